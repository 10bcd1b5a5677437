/**
 * @module The filesystem blob store: whole-or-nothing writes with their SHA-256, the
 * size limit enforced while streaming (nothing left behind), key validation against
 * path traversal, and prefix deletion confined to the store.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { BlobTooLargeError } from '../../src/core/ports/blob-store.ts';
import type { BlobStore } from '../../src/core/ports/blob-store.ts';

let dir: string;
let blobs: BlobStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docket-blobs-'));
  blobs = createFsBlobStore(dir);
});
after(() => rm(dir, { recursive: true, force: true }));

test('a streamed blob is stored whole, with its size and SHA-256', async () => {
  const data = Buffer.from('x'.repeat(100_000));
  const info = await blobs.put('tasks/a/original', Readable.from([data.subarray(0, 50_000), data.subarray(50_000)]));
  assert.deepEqual(info, { key: 'tasks/a/original', size: 100_000, sha256: createHash('sha256').update(data).digest('hex') });
  assert.deepEqual(await blobs.read('tasks/a/original'), data);
  assert.equal(await blobs.exists('tasks/a/original'), true);
  assert.deepEqual(await readdir(join(dir, '.tmp')), []);
});

test('the SHA-256 is right for one small buffer, one write batch and many batches (streamed and whole)', async () => {
  const { randomBytes } = await import('node:crypto');
  for (const [i, size] of [1, 256 * 1024 - 1, 256 * 1024, 3 * 256 * 1024 + 17].entries()) {
    const data = randomBytes(size);
    const chunks = Array.from({ length: Math.ceil(size / 65_536) }, (_, k) => data.subarray(k * 65_536, (k + 1) * 65_536));
    const want = createHash('sha256').update(data).digest('hex');
    assert.equal((await blobs.put(`uploads/s${i}`, Readable.from(chunks))).sha256, want, `streamed, ${size} bytes`);
    assert.equal((await blobs.put(`uploads/b${i}`, data)).sha256, want, `buffer, ${size} bytes`);
    assert.deepEqual(await blobs.read(`uploads/s${i}`), data);
  }
});

test('past maxBytes the write fails and leaves nothing, not even a partial file', async () => {
  const source = Readable.from((function* () {
    for (let i = 0; i < 10; i++) yield Buffer.alloc(1000, i);
  })());
  await assert.rejects(blobs.put('tasks/b/original', source, { maxBytes: 5000 }), BlobTooLargeError);
  assert.equal(await blobs.exists('tasks/b/original'), false);
  assert.deepEqual(await readdir(join(dir, '.tmp')), []);
});

test('a source that errors mid-way leaves nothing', async () => {
  const source = new Readable({ read() {} });
  const put = blobs.put('tasks/c/original', source);
  source.push(Buffer.alloc(100));
  source.destroy(new Error('connection reset'));
  await assert.rejects(put, /connection reset/);
  assert.equal(await blobs.exists('tasks/c/original'), false);
  assert.deepEqual(await readdir(join(dir, '.tmp')), []);
});

test('keys cannot leave the store', async () => {
  for (const key of ['../x', 'tasks/../../x', '/etc/passwd', 'tasks//x', 'a\\b', '.tmp/x', '']) {
    await assert.rejects(blobs.put(key, Buffer.from('x')), /invalid blob key/, key);
  }
  await assert.rejects(blobs.deletePrefix('..'), /invalid blob key|refusing/);
});

test('deletePrefix removes a task folder; listTaskIds sees only old folders', async () => {
  await blobs.put('tasks/d/original', Buffer.from('1'));
  await blobs.put('tasks/d/outputs/x.json', Buffer.from('2'));
  assert.deepEqual(await blobs.listTaskIds(60_000), []);
  assert.ok((await blobs.listTaskIds(0)).includes('d'));
  await blobs.deletePrefix('tasks/d');
  assert.equal(await blobs.exists('tasks/d/original'), false);
  await writeFile(join(dir, '.tmp', 'stale'), 'x');
  assert.equal(await blobs.sweepTemp(0), 1);
});
