/**
 * @module The store's side of the database-health port: a state kept from round trips
 * (`select 1` with a timeout), refreshed whenever a connection is seen to fail. One
 * lost connection is not an outage (`pg_terminate_backend` ends one session, the next
 * query opens another), so an error only starts a probe, and only a failed probe marks
 * the database down. While it is down the probe repeats with a doubling delay (250 ms
 * up to 2 s), and the first answer marks it up again. Listeners hear of every turn
 * (the store wakes the workers when it is back; the CLI logs both).
 */
import { isDatabaseUnavailable, type DatabaseHealth, type DatabaseStatus } from '../core/ports/database-health.ts';

export interface HealthTracker extends DatabaseHealth {
  /** Reports an error seen on any connection; one that means the connection is gone starts a probe. */
  observe(err: unknown): void;
  close(): void;
}

/** A ping that takes longer than this counts as no answer (a black-holed host never refuses). */
export const PING_TIMEOUT_MS = 3000;
const PROBE_FIRST_MS = 250;
const PROBE_MAX_MS = 2000;

/** A short reason without connection parameters: pg errors carry the SQLSTATE and the server's message. */
function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown[] };
  const inner = Array.isArray(e?.errors) && e.errors.length > 0 ? (e.errors[0] as { message?: unknown }) : null;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(inner?.message ?? err);
  return typeof e?.code === 'string' ? `${e.code}: ${message}` : message;
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export function healthTracker(roundTrip: () => Promise<void>, clock: () => number = Date.now): HealthTracker {
  let state: DatabaseStatus = { ok: true, detail: 'not checked yet', since: clock() };
  const listeners = new Set<(status: DatabaseStatus) => void>();
  let probe: NodeJS.Timeout | null = null;
  let delay = PROBE_FIRST_MS;
  let inflight: Promise<DatabaseStatus> | null = null;
  let closed = false;

  function set(ok: boolean, detail: string): void {
    const turned = ok !== state.ok;
    state = { ok, detail, since: turned ? clock() : state.since };
    if (ok) delay = PROBE_FIRST_MS;
    else schedule();
    if (turned) for (const listener of listeners) listener(state);
  }

  function schedule(): void {
    if (closed || probe) return;
    probe = setTimeout(() => {
      probe = null;
      void ping();
    }, delay);
    probe.unref();
    delay = Math.min(delay * 2, PROBE_MAX_MS);
  }

  function ping(): Promise<DatabaseStatus> {
    inflight ??= (async () => {
      const started = clock();
      try {
        await withTimeout(roundTrip(), PING_TIMEOUT_MS);
        set(true, `answered in ${clock() - started} ms`);
      } catch (err) {
        set(false, describe(err));
      }
      return state;
    })().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  return {
    status: () => state,
    ping,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    observe(err) {
      if (!closed && isDatabaseUnavailable(err)) void ping();
    },
    close() {
      closed = true;
      if (probe) clearTimeout(probe);
      probe = null;
      listeners.clear();
    },
  };
}
