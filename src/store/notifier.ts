/**
 * @module Wakes idle workers the moment a task becomes claimable, so no task waits
 * for a poll interval on an idle server. In one process an EventEmitter is enough;
 * across processes PostgreSQL's LISTEN/NOTIFY carries the signal, on one dedicated
 * connection per process (outside the pool, which would otherwise lose a slot to it).
 *
 * That connection can end at any time (a restart, `pg_terminate_backend`, a network
 * cut). LISTEN lives and dies with its session, so the client is then thrown away and
 * a new one connects and LISTENs again, retrying with a doubling delay (250 ms up to
 * 5 s). Notifications sent in between are lost, so the workers of this process are
 * woken once it is back; polling stays the backstop.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Notifier } from '../core/ports/notifier.ts';

const CHANNEL = 'docket_tasks';
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

export function localNotifier(): Notifier {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    notify: () => void events.emit('task'),
    subscribe(listener) {
      events.on('task', listener);
      return () => void events.off('task', listener);
    },
    async close() {
      events.removeAllListeners();
    },
  };
}

export interface PostgresNotifierOptions {
  /** Sends NOTIFY (any pooled connection will do). */
  pool: Pick<pg.Pool, 'query'>;
  /** A new, unconnected client for the LISTEN session. */
  newClient: () => pg.Client;
  /** Reports connection errors (to the health state). */
  onError?: (err: unknown) => void;
}

export function postgresNotifier(options: PostgresNotifierOptions): Notifier {
  const local = localNotifier();
  let client: pg.Client | null = null;
  let closed = false;
  let connecting: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let retryMs = RETRY_FIRST_MS;
  // Set once a session was lost or never made: the next successful LISTEN wakes the workers.
  let missed = false;

  function scheduleRetry(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void ensure();
    }, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  // A lost session reports 'error' and then 'end'; it is dropped once.
  const dropped = new WeakSet<pg.Client>();

  function drop(c: pg.Client, err: unknown): void {
    if (dropped.has(c)) return;
    dropped.add(c);
    if (client === c) client = null;
    c.removeAllListeners('notification');
    if (!closed) {
      missed = true;
      options.onError?.(err);
      c.end().catch(() => undefined);
      scheduleRetry();
    }
  }

  async function connect(): Promise<void> {
    if (closed || client) return;
    const c = options.newClient();
    // An 'error' event with no listener ends the process; here every one means the session is gone.
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c, new Error('Connection terminated')));
    c.on('notification', (msg) => {
      if (msg.channel === CHANNEL) local.notify();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      drop(c, err);
      return;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    retryMs = RETRY_FIRST_MS;
    if (missed) {
      missed = false;
      local.notify();
    }
  }

  function ensure(): Promise<void> {
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  return {
    notify() {
      local.notify();
      options.pool.query(`NOTIFY ${CHANNEL}`).catch(() => undefined);
    },
    subscribe(listener) {
      void ensure();
      return local.subscribe(listener);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await connecting;
      const c = client;
      client = null;
      if (c) {
        await c.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        await c.end().catch(() => undefined);
      }
      await local.close();
    },
  };
}
