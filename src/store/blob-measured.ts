/**
 * @module A blob store that counts and times every call of the one it wraps, for
 * GET /metrics (`docket_blob_*`): calls, errors and seconds per operation. A missing
 * key or a create that finds its key taken is an answer, not an error; anything
 * else that rejects is. Listings are timed to their first entry only.
 */
import { BlobExistsError, type BlobStore } from '../core/ports/blob-store.ts';

export interface BlobOpStats {
  calls: number;
  errors: number;
  seconds: number;
}

export interface MeasuredBlobStore extends BlobStore {
  /** Per operation, since start. */
  stats(): Map<string, BlobOpStats>;
}

const TIMED = ['put', 'get', 'read', 'readRange', 'localFile', 'exists', 'delete', 'deletePrefix', 'listTaskIds', 'sweepTemp', 'check'] as const;

export function measuredBlobStore(inner: BlobStore): MeasuredBlobStore {
  const stats = new Map<string, BlobOpStats>();
  const record = (op: string, t0: number, failed: boolean) => {
    const s = stats.get(op) ?? { calls: 0, errors: 0, seconds: 0 };
    s.calls++;
    if (failed) s.errors++;
    s.seconds += (performance.now() - t0) / 1000;
    stats.set(op, s);
  };
  const out = { ...inner, stats: () => stats } as MeasuredBlobStore;
  for (const op of TIMED) {
    const fn = inner[op] as (...args: unknown[]) => Promise<unknown>;
    (out as unknown as Record<string, unknown>)[op] = async (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        const result = await fn.apply(inner, args);
        record(op, t0, false);
        return result;
      } catch (err) {
        record(op, t0, !((err as { code?: string }).code === 'ENOENT' || err instanceof BlobExistsError));
        throw err;
      }
    };
  }
  return out;
}
