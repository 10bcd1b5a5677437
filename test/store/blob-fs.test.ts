/**
 * @module The filesystem blob store under the blob-store contract (blob-contract.ts),
 * plus what only a folder has: no temp file survives a write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { blobContract } from './blob-contract.ts';

blobContract('filesystem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-blobs-'));
  return {
    blobs: createFsBlobStore(dir),
    async leaveInterruptedWrite() {
      await mkdir(join(dir, '.tmp'), { recursive: true });
      await writeFile(join(dir, '.tmp', 'stale'), 'x');
    },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
});

test('a write leaves no temp file, and a failed one none either', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-blobs-'));
  try {
    const blobs = createFsBlobStore(dir);
    await blobs.put('tasks/a/original', Readable.from([Buffer.alloc(1000)]));
    await blobs.put('uploads/x', Buffer.alloc(10), { create: true });
    await blobs.put('uploads/x', Buffer.alloc(10), { create: true }).catch(() => undefined);
    assert.deepEqual(await readdir(join(dir, '.tmp')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
