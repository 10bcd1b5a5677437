/**
 * @module The free-space rule: how much room the data folder must keep free before
 * docket accepts new work, and which errors mean "the disk is full". An upload that
 * would leave less than the floor is refused up front (HTTP 507) rather than accepted
 * and then lost: the database, the WAL and the processing outputs of the tasks already
 * accepted need that room. Pure: the free-space reading comes through the `DiskGauge`
 * port (statfs in the store adapter).
 */
import type { DiskReading } from './ports/disk-gauge.ts';

/** The two settings of the floor; either set to 0 turns the floor off. */
export interface DiskFloorSettings {
  /** An absolute amount of free space, in bytes. */
  minFreeBytes: number;
  /** A share of the filesystem's size, 0–100. */
  minFreePercent: number;
}

/** 1 GiB or 5 % of the filesystem, whichever is smaller (see `floorBytes`). */
export const DEFAULT_DISK_FLOOR: DiskFloorSettings = { minFreeBytes: 1024 ** 3, minFreePercent: 5 };

/** What a client is told to wait before trying again: freeing a disk takes an operator, not milliseconds. */
export const DISK_RETRY_AFTER_SECONDS = 60;

/**
 * The floor for a filesystem of `totalBytes`: the smaller of the two settings, so that
 * 1 GiB does not refuse every upload on a 10 GiB volume (5 % = 512 MiB there) and 5 %
 * does not hold back 50 GiB of a 1 TiB one (1 GiB there).
 */
export function floorBytes(totalBytes: number, settings: DiskFloorSettings): number {
  const share = Math.floor((totalBytes * settings.minFreePercent) / 100);
  return Math.max(0, Math.min(settings.minFreeBytes, share));
}

export function belowFloor(r: DiskReading): boolean {
  return r.freeBytes < r.floorBytes;
}

/** SQLite's primary result code for "database or disk is full" (sqlite.org/rescode.html#full). */
const SQLITE_FULL = 13;

/**
 * True for the errors a full disk or an exhausted quota raises: ENOSPC and EDQUOT from
 * the filesystem, and SQLITE_FULL from node:sqlite (its errors carry the SQLite result
 * code as `errcode`; the low byte is the primary code, the rest an extended code).
 * These are faults of the environment, not of the document or the request.
 */
export function isDiskFull(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && (errcode & 0xff) === SQLITE_FULL;
}

/** A short text for logs, health checks and problem details: "12.5 MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
