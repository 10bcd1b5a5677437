/**
 * @module The free-space rule: the floor is the smaller of the byte and percent
 * settings (so small disks still take uploads), 0 turns it off, and only the errors of
 * a full disk or an exhausted quota count as "disk full" (node:sqlite's SQLITE_FULL by
 * its result code, extended codes included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { belowFloor, DEFAULT_DISK_FLOOR, floorBytes, formatBytes, isDiskFull } from '../../src/core/disk-space.ts';

const GiB = 1024 ** 3;

test('the default floor is 1 GiB or 5 %, whichever is smaller', () => {
  assert.equal(floorBytes(10 * GiB, DEFAULT_DISK_FLOOR), 512 * 1024 ** 2, '5 % of a 10 GiB volume');
  assert.equal(floorBytes(1024 * GiB, DEFAULT_DISK_FLOOR), GiB, '1 GiB of a 1 TiB volume');
  assert.equal(floorBytes(20 * 1024 ** 2, DEFAULT_DISK_FLOOR), 1024 ** 2, 'a 20 MiB tmpfs keeps 1 MiB');
});

test('either setting at 0 turns the floor off', () => {
  assert.equal(floorBytes(GiB, { minFreeBytes: 0, minFreePercent: 5 }), 0);
  assert.equal(floorBytes(GiB, { minFreeBytes: GiB, minFreePercent: 0 }), 0);
  assert.equal(belowFloor({ freeBytes: 0, totalBytes: GiB, floorBytes: 0 }), false, 'even a full disk is not under a floor of 0');
});

test('under the floor means strictly less free space than the floor', () => {
  assert.equal(belowFloor({ freeBytes: 99, totalBytes: 1000, floorBytes: 100 }), true);
  assert.equal(belowFloor({ freeBytes: 100, totalBytes: 1000, floorBytes: 100 }), false);
});

test('ENOSPC, EDQUOT and SQLITE_FULL are a full disk; other errors are not', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });
  const sqlite = (errcode: number) => Object.assign(new Error('sqlite'), { code: 'ERR_SQLITE_ERROR', errcode });
  assert.equal(isDiskFull(errno('ENOSPC')), true);
  assert.equal(isDiskFull(errno('EDQUOT')), true);
  assert.equal(isDiskFull(sqlite(13)), true, 'SQLITE_FULL');
  assert.equal(isDiskFull(sqlite(13 | (1 << 8))), true, 'an extended code of SQLITE_FULL');
  assert.equal(isDiskFull(sqlite(1)), false, 'SQLITE_ERROR');
  assert.equal(isDiskFull(sqlite(19)), false, 'SQLITE_CONSTRAINT');
  assert.equal(isDiskFull(errno('ECONNRESET')), false);
  assert.equal(isDiskFull(new Error('database or disk is full')), false, 'a message alone is not trusted');
  assert.equal(isDiskFull(null), false);
  assert.equal(isDiskFull('ENOSPC'), false);
});

test('sizes are written in binary units', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(GiB), '1.0 GiB');
});
