/**
 * @module The filesystem blob store (DESIGN §1: a folder under the data dir; for
 * scale-out, the same folder on shared storage). Each write goes to a temp file in
 * the same filesystem, is fsynced, then renamed over the key: a reader sees a whole
 * blob or none, and a crash mid-write leaves only a temp file that `sweepTemp`
 * removes. The SHA-256 is computed while streaming, so nothing is read twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { finished, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore } from '../core/ports.ts';

/** Raised when a stream passes `maxBytes`; the write is abandoned and its temp file removed. */
export class BlobTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the data is larger than ${limit} bytes`);
    this.name = 'BlobTooLargeError';
    this.limit = limit;
  }
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

export function createFsBlobStore(root: string): BlobStore {
  const base = resolve(root);
  const tmpDir = join(base, '.tmp');
  let tmpReady: Promise<void> | null = null;

  function pathOf(key: string): string {
    if (!KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.')) throw new Error(`invalid blob key: ${key}`);
    return join(base, ...key.split('/'));
  }

  async function put(key: string, data: Readable | Uint8Array, options: { maxBytes?: number } = {}): Promise<BlobInfo> {
    const target = pathOf(key);
    // Watch the source from the first moment: it may fail (a client hanging up) while the
    // folders are being made, and an unwatched stream error would crash the process.
    let sourceError: Error | null = null;
    let meter: Transform | null = null;
    if (!(data instanceof Uint8Array)) {
      finished(data, (err) => {
        if (!err) return;
        sourceError = err;
        meter?.destroy(err);
      });
    }
    tmpReady ??= mkdir(tmpDir, { recursive: true }).then(() => undefined);
    await tmpReady;
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(tmpDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const max = options.maxBytes ?? Infinity;
    meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new BlobTooLargeError(max));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // `flush` fsyncs before close: the data is on disk before the rename makes it visible.
    const written = pipeline(meter, createWriteStream(tmp, { flags: 'wx', flush: true }));
    if (data instanceof Uint8Array) meter.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    else {
      // Not pipeline(source, …): that would destroy an HTTP request on a size error, and the
      // client would see a reset instead of the 413 the caller wants to answer with.
      if (sourceError) meter.destroy(sourceError);
      else data.pipe(meter);
    }
    try {
      await written;
      await rename(tmp, target);
    } catch (err) {
      if (!(data instanceof Uint8Array)) {
        data.unpipe(meter);
        if (!data.destroyed) data.resume();
      }
      await rm(tmp, { force: true });
      throw err;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  return {
    put,
    async get(key) {
      const path = pathOf(key);
      await stat(path);
      return createReadStream(path);
    },
    read: (key) => readFile(pathOf(key)),
    localPath: async (key) => pathOf(key),
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch {
        return false;
      }
    },
    delete: (key) => rm(pathOf(key), { force: true }),
    async deletePrefix(prefix) {
      const clean = prefix.replace(/\/+$/, '');
      const path = pathOf(clean);
      if (path === base || !path.startsWith(base + sep)) throw new Error(`refusing to delete ${prefix}`);
      await rm(path, { recursive: true, force: true });
    },
    async listTaskIds(olderThanMs) {
      const dir = join(base, 'tasks');
      const names = await readdir(dir).catch(() => [] as string[]);
      const cutoff = Date.now() - olderThanMs;
      const old: string[] = [];
      for (const name of names) {
        const s = await stat(join(dir, name)).catch(() => null);
        if (s && s.mtimeMs < cutoff) old.push(name);
      }
      return old;
    },
    async sweepTemp(olderThanMs) {
      let names: string[];
      try {
        names = await readdir(tmpDir);
      } catch {
        return 0;
      }
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      for (const name of names) {
        const p = join(tmpDir, name);
        const s = await stat(p).catch(() => null);
        if (s && s.mtimeMs < cutoff) {
          await rm(p, { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
