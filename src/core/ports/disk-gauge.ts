/**
 * @module The disk-gauge port: the data folder's free space and whether it takes writes
 * (`src/store/free-space.ts`, statfs); the rule that reads it is core/disk-space.ts.
 */

/** One look at the data folder's filesystem. */
export interface DiskReading {
  /** Bytes an unprivileged process may still write (statfs `bavail × bsize`). */
  freeBytes: number;
  totalBytes: number;
  floorBytes: number;
}

/** The result of trying to write a few bytes in the data folder. */
export interface WriteProbe {
  ok: boolean;
  /** The error code when the write failed (ENOSPC, EDQUOT, EROFS…). */
  code?: string;
}

/** Port: the data folder's free space and whether it takes writes, each cached briefly. */
export interface DiskGauge {
  reading(): Promise<DiskReading>;
  probeWrite(): Promise<WriteProbe>;
}
