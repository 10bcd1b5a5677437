/**
 * @module Transient faults: errors that come from the environment, not from the
 * document, so that running the same task again later will succeed. A task hit by
 * one goes back to the queue after a growing delay without spending an attempt, and
 * is never failed or purged for it; workers and the sweeper back off the same way
 * while the database is away. One predicate, so every part agrees on the list.
 *
 * Recognised, on the error or anywhere on its `cause` chain (or in an AggregateError):
 * - file systems (errno codes, Linux errno(3)): ENOSPC, EDQUOT, EROFS (a volume
 *   remounted read-only after an I/O error), EMFILE/ENFILE;
 * - PostgreSQL SQLSTATEs (Appendix A of its manual): class 08 (connection
 *   exception), 57P01–57P03 (admin/crash shutdown, cannot connect now), class 53
 *   (insufficient resources: disk full, out of memory, too many connections) and
 *   40001/40P01 (serialization failure, deadlock: "retry the transaction");
 * - sockets: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH,
 *   EAI_AGAIN, and node-postgres' own "Connection terminated…" / "timeout exceeded
 *   when trying to connect" / "not queryable" errors, which carry no code;
 * - SQLite result codes (sqlite.org/rescode.html): SQLITE_FULL, SQLITE_IOERR*,
 *   SQLITE_BUSY*, SQLITE_LOCKED, whether given as `code` (better-sqlite3) or as
 *   node:sqlite's numeric `errcode` (13, 10, 5, 6 in its low byte).
 */
import type { BackoffOptions } from '../shared/backoff.ts';

const FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EMFILE', 'ENFILE']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const PG_CODES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
const PG_CLASSES = ['08', '53'];
const SQLITE_PRIMARY = new Set([5, 6, 10, 13]);
const PG_MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /Client was closed and is not queryable/i];

function codeOf(err: object): string | null {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

function isTransientOne(err: object): boolean {
  const code = codeOf(err);
  if (code !== null) {
    if (FS_CODES.has(code) || SOCKET_CODES.has(code) || PG_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && PG_CLASSES.includes(code.slice(0, 2))) return true;
    if (/^SQLITE_(FULL|IOERR|BUSY|LOCKED)/.test(code)) return true;
  }
  const errcode = (err as { errcode?: unknown }).errcode;
  if (typeof errcode === 'number' && SQLITE_PRIMARY.has(errcode & 0xff)) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && PG_MESSAGES.some((re) => re.test(message));
}

/** The chain of an error: itself, its causes and an AggregateError's members, at most 20 deep. */
function* chain(err: unknown, depth = 0): Generator<object> {
  if (typeof err !== 'object' || err === null || depth > 20) return;
  yield err;
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const e of errors) yield* chain(e, depth + 1);
  yield* chain((err as { cause?: unknown }).cause, depth + 1);
}

export function isTransientFault(err: unknown): boolean {
  for (const e of chain(err)) if (isTransientOne(e)) return true;
  return false;
}

/** A short name for the fault, for event reasons and logs: the code when there is one. */
export function faultName(err: unknown): string {
  for (const e of chain(err)) {
    if (!isTransientOne(e)) continue;
    const code = codeOf(e);
    if (code !== null && code !== 'ERR_SQLITE_ERROR') return code;
    const errstr = (e as { errstr?: unknown }).errstr;
    if (typeof errstr === 'string') return errstr;
    return String((e as { message?: unknown }).message ?? 'transient fault').slice(0, 120);
  }
  return err instanceof Error ? err.message.slice(0, 120) : String(err).slice(0, 120);
}

/** Tasks put back after a transient fault: 5 s, 10 s, 20 s … up to 5 minutes (shared/backoff.ts). */
export const TASK_RETRY: BackoffOptions = { baseMs: 5_000, maxMs: 300_000 };
