/**
 * @module Wakes idle workers the moment a task becomes claimable, so no task waits
 * for a poll interval on an idle server. In one process an EventEmitter is enough;
 * across processes PostgreSQL's LISTEN/NOTIFY carries the signal (one dedicated
 * connection per process). Polling stays as the backstop for lost notifications.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Notifier } from '../core/ports.ts';

const CHANNEL = 'docket_tasks';

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

export function postgresNotifier(pool: pg.Pool): Notifier {
  const local = localNotifier();
  let client: pg.PoolClient | null = null;
  let closed = false;
  let connecting: Promise<void> | null = null;

  async function connect(): Promise<void> {
    if (closed || client) return;
    try {
      const c = await pool.connect();
      c.on('notification', (msg) => {
        if (msg.channel === CHANNEL) local.notify();
      });
      c.on('error', () => {
        c.release(true);
        client = null;
        if (!closed) setTimeout(() => void ensure(), 1000).unref();
      });
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
    } catch {
      if (!closed) setTimeout(() => void ensure(), 1000).unref();
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
      pool.query(`NOTIFY ${CHANNEL}`).catch(() => undefined);
    },
    subscribe(listener) {
      void ensure();
      return local.subscribe(listener);
    },
    async close() {
      closed = true;
      await connecting;
      if (client) {
        await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        client.release();
        client = null;
      }
      await local.close();
    },
  };
}
