/**
 * @module The filesystem blob store (docs/architecture.md#storage: a folder under the data dir,
 * the default for one machine; several machines use the S3 store, blob-s3.ts). Each write goes to a temp file in
 * the same filesystem, is fsynced, then renamed over the key: a reader sees a whole
 * blob or none, and a crash mid-write leaves only a temp file that `sweepTemp`
 * removes. The SHA-256 is computed while streaming, so nothing is read twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { finished, type Readable } from 'node:stream';
import { BlobExistsError, BlobTooLargeError, isBlobKey, type BlobInfo, type BlobStore, type StoredBlob } from '../core/ports/blob-store.ts';
import { TASKS_FOLDER, UPLOADS_FOLDER } from '../core/task-files.ts';

/** Chunks are gathered up to this size before a write: a 200 KB upload is one write call. */
const WRITE_BATCH = 256 * 1024;

async function writeAll(fh: FileHandle, chunks: Uint8Array[]): Promise<void> {
  // writev takes the chunks as they came: no concatenated copy of the batch.
  let pending = chunks.filter((c) => c.byteLength > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await fh.writev(pending);
    while (pending.length > 0 && bytesWritten >= (pending[0] as Uint8Array).byteLength) {
      bytesWritten -= (pending[0] as Uint8Array).byteLength;
      pending = pending.slice(1);
    }
    if (bytesWritten > 0 && pending.length > 0) pending[0] = (pending[0] as Uint8Array).subarray(bytesWritten);
  }
}

/**
 * Renames into the target's folder, making the folder only when the rename says it is
 * missing: uploads go to one flat folder that exists after the first, and a mkdir per
 * upload was ~3 % of the API's CPU at 400 uploads/s (bench/ingest profile).
 */
async function renameInto(tmp: string, target: string, create: boolean): Promise<void> {
  // A create links instead: link(2) fails with EEXIST where rename would replace.
  const move = create ? async () => { await link(tmp, target); await rm(tmp, { force: true }); } : () => rename(tmp, target);
  // A purge of the folder racing this write may remove it again between the mkdir and the move: try again, a few times.
  for (let attempt = 0; ; attempt++) {
    try {
      await move();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw err;
      await mkdir(dirname(target), { recursive: true });
    }
  }
}

/** Every file under `dir` (relative keys joined with `/`), skipping the temp folder. */
async function* walk(dir: string, key: string): AsyncGenerator<StoredBlob> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (key === '' && e.name === '.tmp') continue;
    const child = key === '' ? e.name : `${key}/${e.name}`;
    if (e.isDirectory()) yield* walk(join(dir, e.name), child);
    else if (e.isFile()) {
      const s = await stat(join(dir, e.name)).catch(() => null);
      if (s) yield { key: child, size: s.size, modifiedMs: s.mtimeMs };
    }
  }
}

export function createFsBlobStore(root: string): BlobStore {
  const base = resolve(root);
  const tmpDir = join(base, '.tmp');
  let tmpReady: Promise<void> | null = null;

  function pathOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`invalid blob key: ${key}`);
    return join(base, ...key.split('/'));
  }

  async function put(key: string, data: Readable | Uint8Array, options: { maxBytes?: number; create?: boolean } = {}): Promise<BlobInfo> {
    const target = pathOf(key);
    const source = data instanceof Uint8Array ? null : data;
    // Watch the source from the first moment: it may fail (a client hanging up) while the
    // folders are being made, and an unwatched stream error would crash the process.
    let sourceError: Error | null = null;
    if (source) finished(source, (err) => void (err && (sourceError ??= err)));
    tmpReady ??= mkdir(tmpDir, { recursive: true }).then(
      () => undefined,
      (err: unknown) => {
        tmpReady = null;
        throw err;
      },
    );
    await tmpReady;
    const tmp = join(tmpDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    const max = options.maxBytes ?? Infinity;
    let size = 0;
    const fh = await open(tmp, 'wx');
    try {
      try {
        if (!source) {
          size = (data as Uint8Array).byteLength;
          if (size > max) throw new BlobTooLargeError(max);
          hash.update(data as Uint8Array);
          await writeAll(fh, [data as Uint8Array]);
        } else {
          if (sourceError) throw sourceError;
          // A plain read loop with a file handle, not a stream pipeline: it does the same
          // writes with far less per-chunk machinery (uploads are CPU-bound on the event
          // loop at hundreds per second), and it never destroys the source, so on a size
          // error the caller can still answer 413 on the same connection.
          let batch: Uint8Array[] = [];
          let batched = 0;
          for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > max) throw new BlobTooLargeError(max);
            hash.update(chunk);
            batch.push(chunk);
            batched += chunk.length;
            if (batched >= WRITE_BATCH) {
              await writeAll(fh, batch);
              batch = [];
              batched = 0;
            }
          }
          if (sourceError) throw sourceError;
          await writeAll(fh, batch);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      await renameInto(tmp, target, options.create === true).catch((err: unknown) => {
        throw (err as NodeJS.ErrnoException).code === 'EEXIST' ? new BlobExistsError(key) : err;
      });
    } catch (err) {
      if (source && !source.destroyed) source.resume();
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
    async readRange(key, offset, length) {
      const fh = await open(pathOf(key), 'r');
      try {
        const buf = Buffer.allocUnsafe(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      } finally {
        await fh.close();
      }
    },
    async localFile(key) {
      const path = pathOf(key);
      await stat(path);
      return { path, release: async () => undefined };
    },
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch {
        return false;
      }
    },
    delete: (key) => rm(pathOf(key), { force: true }),
    async deletePrefix(prefix, options) {
      const clean = prefix.replace(/\/+$/, '');
      const path = pathOf(clean);
      if (path === base || !path.startsWith(base + sep)) throw new Error(`refusing to delete ${prefix}`);
      const files = (options?.keys ?? []).map(pathOf);
      await Promise.all(files.map((file) => rm(file, { force: true })));
      // A write racing the purge can put a file in a folder rm has just emptied (ENOTEMPTY): rm then walks it again.
      await rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 5 });
    },
    list(prefix) {
      const clean = prefix.replace(/\/+$/, '');
      return walk(clean === '' ? base : pathOf(clean), clean);
    },
    async listTaskIds(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      const old = new Set<string>();
      // Task folders (derived data) and uploaded originals, both named by task id.
      for (const dir of [join(base, TASKS_FOLDER), join(base, UPLOADS_FOLDER)]) {
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          const s = await stat(join(dir, name)).catch(() => null);
          if (s && s.mtimeMs < cutoff) old.add(name);
        }
      }
      return [...old];
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
    async check() {
      await stat(base).catch(() => mkdir(base, { recursive: true }));
    },
    close: async () => undefined,
  };
}
