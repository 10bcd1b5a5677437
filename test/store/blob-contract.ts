/**
 * @module The blob-store contract: what every store behind the port (core/ports/
 * blob-store.ts) must do, run unchanged on the filesystem store (blob-fs.test.ts) and
 * on S3 against a real Ceph RGW (blob-s3.test.ts). Whole-or-nothing writes with their
 * SHA-256, streamed or not, small or past a multipart part; the size limit enforced
 * while streaming with nothing left behind and the source left usable; creates that
 * never overwrite; reads, ranges and local copies; missing keys as ENOENT; keys that
 * cannot leave the store; prefix deletes and listings; the orphan sweep's inputs.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BlobExistsError, BlobTooLargeError, type BlobStore } from '../../src/core/ports/blob-store.ts';

export interface ContractStore {
  blobs: BlobStore;
  /** Leaves what an interrupted write leaves behind (a temp file, an unfinished multipart upload). */
  leaveInterruptedWrite(): Promise<void>;
  drop(): Promise<void>;
}

/** Large enough to be several multipart parts on a store opened with 5 MiB parts. */
const BIG = 11 * 1024 * 1024 + 17;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const chunked = (data: Buffer, size = 65_536) => Readable.from(Array.from({ length: Math.ceil(data.length / size) }, (_, k) => data.subarray(k * size, (k + 1) * size)));
const all = async (it: AsyncIterable<{ key: string }>) => {
  const keys: string[] = [];
  for await (const b of it) keys.push(b.key);
  return keys.sort();
};

export function blobContract(name: string, open: () => Promise<ContractStore>, skip: () => Promise<false | string> = async () => false): void {
  describe(`blob store contract: ${name}`, async () => {
    const reason = await skip();
    let s: ContractStore;
    let blobs: BlobStore;
    before(async () => {
      if (reason) return;
      s = await open();
      blobs = s.blobs;
    });
    after(async () => {
      if (!reason) await s.drop();
    });
    const it = (title: string, fn: () => Promise<void>) => test(title, { skip: reason }, fn);

    it('answers its readiness check', async () => {
      await blobs.check();
    });

    it('stores a streamed blob whole, with its size and SHA-256', async () => {
      const data = randomBytes(100_000);
      const info = await blobs.put('tasks/a/original', chunked(data));
      assert.deepEqual(info, { key: 'tasks/a/original', size: 100_000, sha256: sha(data) });
      assert.deepEqual(await blobs.read('tasks/a/original'), data);
      assert.equal(await blobs.exists('tasks/a/original'), true);
    });

    it('gets the SHA-256 right for 1 byte, a buffer, and many multipart parts, streamed and whole', async () => {
      for (const [i, size] of [1, 256 * 1024, BIG].entries()) {
        const data = randomBytes(size);
        assert.equal((await blobs.put(`uploads/s${i}`, chunked(data))).sha256, sha(data), `streamed, ${size} bytes`);
        assert.equal((await blobs.put(`uploads/b${i}`, data)).sha256, sha(data), `buffer, ${size} bytes`);
        assert.equal(sha(await blobs.read(`uploads/s${i}`)), sha(data));
        assert.equal(sha(await blobs.read(`uploads/b${i}`)), sha(data));
      }
    });

    it('past maxBytes fails with BlobTooLargeError, leaves nothing, and leaves the source usable', async () => {
      for (const [key, size, max] of [['tasks/b/original', 10_000, 5000], ['tasks/b/big', BIG, 6 * 1024 * 1024]] as const) {
        // A source that never ends, like a client still sending: only the store could destroy it.
        const source = new Readable({ read() {} });
        for (let at = 0; at < size; at += 65_536) source.push(randomBytes(Math.min(65_536, size - at)));
        await assert.rejects(blobs.put(key, source, { maxBytes: max }), BlobTooLargeError);
        assert.equal(await blobs.exists(key), false);
        assert.equal(source.destroyed, false, 'the source is not destroyed');
        assert.equal(source.readableFlowing, true, 'the source is not left paused');
        source.destroy();
      }
      assert.equal(await blobs.sweepTemp(0), 0, 'no temp file or multipart upload is left');
      await assert.rejects(blobs.put('tasks/b/buffer', Buffer.alloc(10), { maxBytes: 9 }), BlobTooLargeError);
    });

    it('a source that errors mid-way leaves nothing', async () => {
      const source = new Readable({ read() {} });
      const put = blobs.put('tasks/c/original', source);
      source.push(randomBytes(100));
      setTimeout(() => source.destroy(new Error('connection reset')), 20);
      await assert.rejects(put, /connection reset/);
      assert.equal(await blobs.exists('tasks/c/original'), false);
      assert.equal(await blobs.sweepTemp(0), 0);
    });

    it('a create never overwrites: BlobExistsError, the first blob kept', async () => {
      await blobs.put('uploads/once', Buffer.from('first'), { create: true });
      await assert.rejects(blobs.put('uploads/once', Buffer.from('second'), { create: true }), BlobExistsError);
      await assert.rejects(blobs.put('uploads/once', chunked(Buffer.from('third')), { create: true }), BlobExistsError);
      await assert.rejects(blobs.put('uploads/once', chunked(randomBytes(BIG)), { create: true }), BlobExistsError, 'multipart too');
      assert.equal(await blobs.sweepTemp(0), 0, 'the refused multipart upload left no parts');
      assert.equal((await blobs.read('uploads/once')).toString(), 'first');
      await blobs.put('uploads/once', Buffer.from('replaced'));
      assert.equal((await blobs.read('uploads/once')).toString(), 'replaced', 'a plain put replaces');
    });

    it('reads ranges, streams and local copies; fewer bytes only at the end', async () => {
      const data = randomBytes(5000);
      await blobs.put('tasks/r/pages.jsonl', data);
      assert.deepEqual(await blobs.readRange('tasks/r/pages.jsonl', 100, 50), data.subarray(100, 150));
      assert.deepEqual(await blobs.readRange('tasks/r/pages.jsonl', 4990, 50), data.subarray(4990));
      assert.equal((await blobs.readRange('tasks/r/pages.jsonl', 5000, 10)).length, 0);
      const chunks: Buffer[] = [];
      for await (const c of await blobs.get('tasks/r/pages.jsonl')) chunks.push(c as Buffer);
      assert.deepEqual(Buffer.concat(chunks), data);
      const local = await blobs.localFile('tasks/r/pages.jsonl');
      assert.deepEqual(await readFile(local.path), data);
      await local.release();
      assert.equal(await blobs.exists('tasks/r/pages.jsonl'), true, 'releasing a local file keeps the blob');
    });

    it('while local copies are held, reads see the blob, and then a later write or delete', async () => {
      const first = randomBytes(3000);
      await blobs.put('uploads/held', first, { create: true });
      const [a, b] = await Promise.all([blobs.localFile('uploads/held'), blobs.localFile('uploads/held')]);
      assert.deepEqual(await blobs.read('uploads/held'), first);
      assert.deepEqual(await blobs.readRange('uploads/held', 2990, 50), first.subarray(2990));
      assert.equal(await blobs.exists('uploads/held'), true);
      await a.release();
      assert.deepEqual(await readFile(b.path), first, 'one holder releasing leaves the other its copy');
      await blobs.put('uploads/held', Buffer.from('second'));
      assert.equal((await blobs.read('uploads/held')).toString(), 'second');
      assert.equal((await blobs.readRange('uploads/held', 0, 3)).toString(), 'sec');
      const c = await blobs.localFile('uploads/held');
      assert.equal((await readFile(c.path)).toString(), 'second');
      await blobs.put('tasks/held/x', Buffer.from('x'));
      const d = await blobs.localFile('tasks/held/x');
      await blobs.delete('uploads/held');
      await blobs.deletePrefix('tasks/held');
      for (const key of ['uploads/held', 'tasks/held/x']) {
        await assert.rejects(blobs.read(key), (err: NodeJS.ErrnoException) => err.code === 'ENOENT', key);
        assert.equal(await blobs.exists(key), false, key);
      }
      for (const held of [b, c, d]) await held.release();
    });

    it('a blob just created is its bytes to a local copy; one written over or deleted before anyone took it is not', async () => {
      const [x, y, z] = [randomBytes(2000), randomBytes(2100), randomBytes(2200)];
      await blobs.put('uploads/kept-a', x, { create: true });
      const a = await blobs.localFile('uploads/kept-a');
      assert.deepEqual(await readFile(a.path), x);
      await a.release();
      assert.deepEqual(await blobs.read('uploads/kept-a'), x, 'the blob outlives its released copy');
      await blobs.put('uploads/kept-b', y, { create: true });
      await blobs.delete('uploads/kept-b');
      await assert.rejects(blobs.localFile('uploads/kept-b'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
      await assert.rejects(blobs.read('uploads/kept-b'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
      assert.equal(await blobs.exists('uploads/kept-b'), false);
      await blobs.put('uploads/kept-c', y, { create: true });
      await blobs.put('uploads/kept-c', z);
      const c = await blobs.localFile('uploads/kept-c');
      assert.deepEqual(await readFile(c.path), z);
      assert.deepEqual(await blobs.readRange('uploads/kept-c', 0, 10), z.subarray(0, 10));
      await c.release();
      await blobs.put('tasks/kept-d/x', x);
      await blobs.put('uploads/kept-d', x, { create: true });
      await blobs.deletePrefix('tasks/kept-d');
      await blobs.delete('uploads/kept-d');
      await assert.rejects(blobs.localFile('uploads/kept-d'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
    });

    it('a missing key is ENOENT for every read, false for exists, and deleting it is fine', async () => {
      for (const read of [() => blobs.read('tasks/none/x'), () => blobs.get('tasks/none/x'), () => blobs.readRange('tasks/none/x', 0, 1), () => blobs.localFile('tasks/none/x')]) {
        await assert.rejects(read(), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
      }
      assert.equal(await blobs.exists('tasks/none/x'), false);
      await blobs.delete('tasks/none/x');
    });

    it('keys cannot leave the store', async () => {
      for (const key of ['../x', 'tasks/../../x', '/etc/passwd', 'tasks//x', 'a\\b', '.tmp/x', '']) {
        await assert.rejects(blobs.put(key, Buffer.from('x')), /invalid blob key/, key);
      }
      await assert.rejects(blobs.deletePrefix('..'), /invalid blob key|refusing/);
      await assert.rejects(blobs.deletePrefix(''), /invalid blob key|refusing/);
      await assert.rejects(blobs.deletePrefix('tasks/k', { keys: ['../x'] }), /invalid blob key/);
    });

    it('deletePrefix removes a task folder and the keys given with it, and nothing beside; list sees what is there', async () => {
      await blobs.put('uploads/d', Buffer.from('%PDF'));
      await blobs.put('uploads/dd', Buffer.from('%PDF'));
      await blobs.put('tasks/d/original', Buffer.from('1'));
      await blobs.put('tasks/d/outputs/0', Buffer.from('2'));
      await blobs.put('tasks/dd/original', Buffer.from('3'));
      assert.deepEqual(await all(blobs.list('tasks/d')), ['tasks/d/original', 'tasks/d/outputs/0']);
      const listed: { key: string; size: number; modifiedMs: number }[] = [];
      for await (const b of blobs.list('tasks/dd')) listed.push(b);
      assert.equal(listed[0]?.size, 1);
      assert.ok(Math.abs((listed[0]?.modifiedMs ?? 0) - Date.now()) < 60_000);
      await blobs.deletePrefix('tasks/d', { keys: ['uploads/d', 'uploads/gone'] });
      assert.deepEqual(await all(blobs.list('tasks/d')), []);
      assert.deepEqual([await blobs.exists('uploads/d'), await blobs.exists('uploads/dd')], [false, true], 'a key given goes, a missing one is no error');
      assert.equal(await blobs.exists('tasks/dd/original'), true);
      assert.ok((await all(blobs.list(''))).includes('tasks/dd/original'));
    });

    it('purges of one task that race all succeed and leave nothing, a blob written meanwhile included', async () => {
      await blobs.put('uploads/r', Buffer.from('%PDF'));
      await blobs.put('tasks/r/original', Buffer.from('1'));
      await blobs.put('tasks/r/pages/0', Buffer.from('2'));
      // As core/purge.ts does: the task's folder with its upload.
      const purge = () => blobs.deletePrefix('tasks/r', { keys: ['uploads/r'] });
      const first = purge();
      const late = blobs.put('tasks/r/result.json', Buffer.from('{}'));
      await Promise.all([first, purge(), late]);
      // The late writer's own purge (worker/loop.ts) comes after its write.
      await purge();
      assert.deepEqual(await all(blobs.list('tasks/r')), []);
      assert.equal(await blobs.exists('uploads/r'), false);
    });

    it('listTaskIds names tasks by their upload or folder, only once old enough', async () => {
      await blobs.put('tasks/e/result.json', Buffer.from('{}'));
      await blobs.put('uploads/f', Buffer.from('%PDF'));
      assert.deepEqual((await blobs.listTaskIds(60_000)).filter((id) => id === 'e' || id === 'f'), []);
      await new Promise((r) => setTimeout(r, 1100));
      const old = await blobs.listTaskIds(0);
      assert.ok(old.includes('e') && old.includes('f'), `listed: ${old.join(',')}`);
    });

    it('sweepTemp removes what interrupted writes left, once old enough', async () => {
      await s.leaveInterruptedWrite();
      assert.equal(await blobs.sweepTemp(60_000), 0);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await blobs.sweepTemp(0), 1);
    });
  });
}

/** For stores that keep a local file: its size on disk, to prove a copy is not a stub. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
