/**
 * @module Whether the database answers, as a port the store implements and the API
 * and the CLI read: `/health` reports it, uploads are refused with 503 and
 * `Retry-After` while it is known to be down, and an error that means "the
 * connection is gone" is told apart from a bug by `isDatabaseUnavailable`. Pure: it
 * only looks at error codes and messages.
 */

export interface DatabaseStatus {
  ok: boolean;
  /** Why not (the last connection error), or how long the last round trip took. */
  detail: string;
  /** Clock time of the last change between up and down. */
  since: number;
}

export interface DatabaseHealth {
  /** The last known state, without a round trip (the upload gate asks on every request). */
  status(): DatabaseStatus;
  /** One round trip bounded by a short timeout; updates the state. */
  ping(): Promise<DatabaseStatus>;
  /** Calls `listener` each time the state turns (down, or up again); returns an unsubscribe function. */
  onChange(listener: (status: DatabaseStatus) => void): () => void;
}

/** How long a client is asked to wait before retrying while the database is down, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * PostgreSQL SQLSTATEs of a lost or refused connection (PostgreSQL manual, appendix A):
 * class 08 (connection exception), 57P01 admin_shutdown (`pg_terminate_backend`, a fast
 * shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting
 * down), 53300 too_many_connections.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket errors of the database connection (Node's `net`). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * What node-postgres says when a connection ends under a query, when a broken client is
 * used again, and when `connectionTimeoutMillis` runs out (pg and pg-pool 8.x messages).
 */
const MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i;

/** True when `err` says the database connection was lost or could not be made, not that a query was wrong. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code) || SOCKET_CODES.has(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // Node reports a refused connection to every address of a host as one AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}
