/**
 * @module What the API does about a full disk. Uploads are refused with 507
 * Insufficient Storage (RFC 4918 §11.5) and a `Retry-After` while the data folder's
 * free space is under the floor, before a byte of the body is read; an ENOSPC,
 * EDQUOT or SQLITE_FULL met anyway (a large upload, a token insert) becomes the same
 * 507 problem instead of a 400 or a 500; and `/health` reports the disk as one check.
 */
import type { FastifyReply } from 'fastify';
import { Problem } from '../core/errors.ts';
import { belowFloor, DISK_RETRY_AFTER_SECONDS, formatBytes, isDiskFull } from '../core/disk-space.ts';
import type { ApiDeps } from './deps.ts';
import type { HealthCheck, HealthCheckResult } from './health.ts';

function refuse(reply: FastifyReply, detail: string, extra: Record<string, unknown> = {}): Problem {
  reply.header('retry-after', String(DISK_RETRY_AFTER_SECONDS));
  return new Problem('insufficient_storage', detail, extra);
}

/**
 * Bodies up to this size are read and dropped after a refusal, keeping the connection;
 * past it the connection is closed so that the client stops sending. Closing a socket
 * with unread bytes makes the kernel answer with a TCP RST, which can destroy the 507
 * before the client reads it, so this is kept for bodies too large to drain.
 */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * Throws a 507 problem when the data folder is under its free-space floor. Called at
 * the start of an upload, before the body is read; the reading is cached
 * (store/free-space.ts), so this costs a statfs per second, not per request. Nothing
 * of the body is stored.
 */
export async function refuseUploadWhenDiskLow(deps: ApiDeps, reply: FastifyReply): Promise<void> {
  if (!deps.disk) return;
  const r = await deps.disk.reading();
  if (!belowFloor(r)) return;
  if (!(Number(reply.request.headers['content-length']) <= DRAIN_LIMIT)) reply.header('connection', 'close');
  throw refuse(reply, `the data folder has ${formatBytes(r.freeBytes)} free, under the floor of ${formatBytes(r.floorBytes)}; no upload is taken until space is freed`, {
    free_bytes: r.freeBytes,
    floor_bytes: r.floorBytes,
  });
}

/** The 507 problem for an error raised by a full disk, or null for any other error. */
export function diskFullProblem(err: unknown, reply: FastifyReply): Problem | null {
  if (!isDiskFull(err)) return null;
  return refuse(reply, 'the data folder is full; nothing of this request was kept');
}

/** Throws the 507 problem if `err` was raised by a full disk (before any other reading of the error). */
export function throwIfDiskFull(err: unknown, reply: FastifyReply): void {
  const problem = diskFullProblem(err, reply);
  if (problem) throw problem;
}

/** `/health`'s disk check: free space against the floor, and whether a small write succeeds. */
/** The disk as one of `GET /health`'s checks. */
export function diskCheck(deps: ApiDeps): HealthCheck {
  return { name: 'disk', run: async () => diskHealth(deps) };
}

export async function diskHealth(deps: ApiDeps): Promise<HealthCheckResult> {
  if (!deps.disk) return { name: 'disk', ok: true, detail: 'not checked' };
  try {
    const [r, write] = await Promise.all([deps.disk.reading(), deps.disk.probeWrite()]);
    const space = `${formatBytes(r.freeBytes)} free of ${formatBytes(r.totalBytes)}, floor ${formatBytes(r.floorBytes)}`;
    if (!write.ok) return { name: 'disk', ok: false, detail: `${space}; writing to the data folder fails (${write.code})` };
    if (belowFloor(r)) return { name: 'disk', ok: false, detail: `${space}; uploads are refused until space is freed` };
    return { name: 'disk', ok: true, detail: space };
  } catch (err) {
    return { name: 'disk', ok: false, detail: `cannot read the data folder's free space: ${(err as Error).message}` };
  }
}
