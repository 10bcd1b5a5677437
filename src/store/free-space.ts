/**
 * @module The `DiskGauge` adapter: statfs(2) of the data folder, and a small write
 * probe. Both answers are cached for a second, and callers that arrive while one is
 * being fetched share it, so the upload route pays one statfs per second at most
 * however many uploads arrive (bench/ingest). `bavail` (blocks free to unprivileged
 * users) is used, not `bfree`: root-reserved blocks are no room for docket.
 */
import { randomBytes } from 'node:crypto';
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { floorBytes, formatBytes, type DiskFloorSettings } from '../core/disk-space.ts';
import { type DiskGauge, type DiskReading, type WriteProbe } from '../core/ports/disk-gauge.ts';

/** How long one answer is reused: short enough that a freed disk takes uploads again almost at once. */
const CACHE_MS = 1000;

/** The probe writes what SQLite would need for one page (its default page size, 4096 bytes). */
const PROBE_BYTES = 4096;

/** One cached async value: fetched at most once per `ms`, shared by concurrent callers. */
function cached<T>(ms: number, fetch: () => Promise<T>): () => Promise<T> {
  let value: { at: number; v: T } | null = null;
  let pending: Promise<T> | null = null;
  return () => {
    if (value && Date.now() - value.at < ms) return Promise.resolve(value.v);
    pending ??= fetch().then(
      (v) => {
        value = { at: Date.now(), v };
        pending = null;
        return v;
      },
      (err: unknown) => {
        pending = null;
        throw err;
      },
    );
    return pending;
  };
}

async function probe(dir: string): Promise<WriteProbe> {
  const path = join(dir, `.disk-probe-${randomBytes(4).toString('hex')}`);
  try {
    const fh = await open(path, 'wx');
    try {
      await fh.write(Buffer.alloc(PROBE_BYTES));
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, code: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  } finally {
    await rm(path, { force: true }).catch(() => undefined);
  }
}

export function createDiskGauge(dir: string, settings: DiskFloorSettings): DiskGauge {
  return {
    reading: cached<DiskReading>(CACHE_MS, async () => {
      const s = await statfs(dir);
      const totalBytes = s.blocks * s.bsize;
      return { freeBytes: s.bavail * s.bsize, totalBytes, floorBytes: floorBytes(totalBytes, settings) };
    }),
    probeWrite: cached<WriteProbe>(CACHE_MS, () => probe(dir)),
  };
}

/**
 * What to say when the store cannot be opened: on a full disk SQLite fails to size its
 * WAL index (`-shm`) and reports a bare "disk I/O error" (SQLITE_IOERR_SHMSIZE), which
 * says nothing of the cause. When a small write in the data folder fails with ENOSPC or
 * EDQUOT, the error is replaced by one that names the folder and the remedy.
 */
export async function explainOpenFailure(err: unknown, dir: string): Promise<unknown> {
  const write = await probe(dir);
  if (write.ok || (write.code !== 'ENOSPC' && write.code !== 'EDQUOT')) return err;
  const free = await statfs(dir).then((s) => formatBytes(s.bavail * s.bsize), () => 'unknown');
  const why = write.code === 'EDQUOT' ? 'the disk quota is used up' : 'the disk is full';
  return new Error(`cannot open the database in ${dir}: ${why} (${free} free; writing there fails with ${write.code}). Free some space and start docket again; nothing was changed`, { cause: err });
}
