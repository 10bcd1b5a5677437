/**
 * @module The S3 blob store (docs/deploy.md): the blob-store port on a bucket, so API
 * and worker nodes on several machines share nothing but PostgreSQL and the bucket.
 * Keys are the port's keys under the configured prefix; a task's files stay under its
 * `tasks/<id>/` prefix (plus its upload), so a purge is one prefix delete: a listing
 * and one DeleteObjects that takes the upload's key too.
 *
 * Writes (s3-put.ts): a body of at most one 8 MiB part is one PutObject signed with
 * the SHA-256 taken as it arrived; a longer one a multipart upload with at most two
 * parts in memory. A create sends `If-None-Match: *`, so a retried write never
 * overwrites. Parts of uploads cut off by a crash are aborted by `sweepTemp`, the S3
 * twin of the filesystem store's temp files. Reads of a blob whose `localFile` copy
 * is held in this process are answered from that copy (s3-held.ts).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client,
} from '@aws-sdk/client-s3';
import { BlobExistsError, isBlobKey, type BlobInfo, type BlobStore, type StoredBlob } from '../core/ports/blob-store.ts';
import { TASKS_FOLDER, UPLOADS_FOLDER } from '../core/task-files.ts';
import { checkS3AtStart, createS3Client, mapS3Error, statusOf, type S3Settings } from './s3-client.ts';
import type { Scratch } from './scratch.ts';
import { heldCopies } from './s3-held.ts';
import { s3Put, type S3Writer } from './s3-put.ts';

export interface S3BlobOptions extends S3Settings {
  scratch: Scratch;
  /** Parts of a multipart upload; S3's minimum is 5 MiB. */
  partSize?: number;
  /** Called after every S3 request with its operation, duration and whether it worked (metrics). */
  observe?: (op: string, ms: number, ok: boolean) => void;
  /**
   * Keep a created upload's bytes in scratch for this process's own worker (s3-held.ts):
   * for `docket serve` with workers; an API-only node would keep them for nobody.
   */
  keepCreated?: { ms: number; bytes: number };
}

/** How long, and how many bytes of, created uploads are kept for a taker: a free worker slot picks a task up within its poll. */
export const KEEP_CREATED = { ms: 120_000, bytes: 256 * 1024 * 1024 };

const DEFAULT_PART = 8 * 1024 * 1024;

/** Opens the store after checking endpoint, credentials and bucket (s3-client.ts), so a wrong key fails at start. */
export async function openS3BlobStore(o: S3BlobOptions): Promise<BlobStore> {
  const client = createS3Client(o);
  try {
    await checkS3AtStart(client, o);
  } catch (err) {
    client.destroy();
    throw err;
  }
  return createS3BlobStore(client, o);
}

export function createS3BlobStore(client: S3Client, o: S3BlobOptions): BlobStore {
  const root = o.prefix ? `${o.prefix}/` : '';
  const full = (key: string) => {
    if (!isBlobKey(key)) throw new Error(`invalid blob key: ${key}`);
    return root + key;
  };

  /** One request, timed for `observe`, its error mapped onto the port's. */
  async function call<T>(op: string, key: string, run: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      const out = await run();
      o.observe?.(op, performance.now() - t0, true);
      return out;
    } catch (err) {
      const mapped = mapS3Error(err, key);
      // A missing key or a taken one is an answer, not a failure of the store.
      o.observe?.(op, performance.now() - t0, (mapped as { code?: string }).code === 'ENOENT' || mapped instanceof BlobExistsError);
      throw mapped;
    }
  }

  const local = heldCopies(o.keepCreated ? { path: () => o.scratch.path(), keepMs: o.keepCreated.ms, keepBytes: o.keepCreated.bytes } : undefined);
  const writer: S3Writer = { client, bucket: o.bucket, partSize: o.partSize ?? DEFAULT_PART, call, exists, stage: local.stage };

  /**
   * Deletes in flight, by key or prefix (with the keys deleted beside it): a second
   * purge of a task racing the first (the API's after a final transition, a worker's,
   * the sweeper's) joins it instead of sending its 2 requests again. A put through
   * this process under a deleted key or prefix, begun or ended during the delete,
   * makes it stale: a later delete then runs anew, so a blob written after the first
   * one listed is never left behind.
   */
  const deleting = new Map<string, { done: Promise<void>; stale: boolean; keys: readonly string[] }>();
  function touch(key: string): void {
    for (const [target, d] of deleting) if (key === target || key.startsWith(`${target}/`) || d.keys.includes(key)) d.stale = true;
  }
  function once(target: string, keys: readonly string[], run: () => Promise<void>): Promise<void> {
    const running = deleting.get(target);
    if (running && !running.stale && keys.every((k) => running.keys.includes(k))) return running.done;
    const entry = { done: run(), stale: false, keys };
    deleting.set(target, entry);
    entry.done.then(() => undefined, () => undefined).finally(() => {
      if (deleting.get(target) === entry) deleting.delete(target);
    });
    return entry.done;
  }

  async function put(key: string, data: Readable | Uint8Array, options: { maxBytes?: number; create?: boolean } = {}): Promise<BlobInfo> {
    const k = full(key);
    local.forget(key);
    touch(key);
    try {
      return await s3Put(writer, key, k, data, options);
    } finally {
      touch(key);
    }
  }

  async function exists(key: string): Promise<boolean> {
    if (local.has(key)) return true;
    try {
      await call('head', key, () => client.send(new HeadObjectCommand({ Bucket: o.bucket, Key: full(key) })));
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return false;
      throw err;
    }
  }

  async function get(key: string): Promise<Readable> {
    const out = await call('get', key, () => client.send(new GetObjectCommand({ Bucket: o.bucket, Key: full(key) })));
    return out.Body as Readable;
  }

  async function* list(prefix: string): AsyncGenerator<StoredBlob> {
    const clean = prefix.replace(/\/+$/, '');
    const p = clean === '' ? root : `${full(clean)}/`;
    let token: string | undefined;
    do {
      const page = await call('list', prefix, () => client.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: p, ContinuationToken: token })));
      for (const obj of page.Contents ?? []) {
        if (obj.Key) yield { key: obj.Key.slice(root.length), size: obj.Size ?? 0, modifiedMs: obj.LastModified?.getTime() ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async function deleteKeys(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const out = await call('delete', keys[0] as string, () => client.send(new DeleteObjectsCommand({
      Bucket: o.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
    })));
    if (out.Errors && out.Errors.length > 0) throw mapS3Error(Object.assign(new Error(out.Errors[0]?.Message ?? 'delete failed'), { name: out.Errors[0]?.Code }), keys[0] as string);
  }

  /** `extra` (full keys) and the keys listed under `prefix/`, in DeleteObjects of at most 1000 keys (its limit): one for a task. */
  async function deleteAll(prefix: string, extra: string[]): Promise<void> {
    let batch = extra;
    for await (const blob of list(prefix)) {
      batch.push(root + blob.key);
      if (batch.length === 1000) {
        await deleteKeys(batch);
        batch = [];
      }
    }
    await deleteKeys(batch);
  }

  return {
    put,
    get,
    async read(key) {
      const copy = await local.read(key);
      if (copy) return copy;
      const out = await call('get', key, () => client.send(new GetObjectCommand({ Bucket: o.bucket, Key: full(key) })));
      return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    },
    async readRange(key, offset, length) {
      if (length <= 0) return Buffer.alloc(0);
      const copy = await local.readRange(key, offset, length);
      if (copy) return copy;
      const range = `bytes=${offset}-${offset + length - 1}`;
      try {
        const out = await call('get', key, () => client.send(new GetObjectCommand({ Bucket: o.bucket, Key: full(key), Range: range })));
        return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
      } catch (err) {
        // 416: the range starts at or past the end; the filesystem store gives an empty buffer there.
        if (statusOf(err) === 416) return Buffer.alloc(0);
        throw err;
      }
    },
    localFile: (key) => local.take(key, async () => {
      const body = await get(key);
      const path = await o.scratch.path();
      try {
        await pipeline(body, createWriteStream(path, { flags: 'wx' }));
      } catch (err) {
        await rm(path, { force: true });
        throw mapS3Error(err, key);
      }
      return path;
    }),
    exists,
    async delete(key) {
      local.forget(key);
      const k = full(key);
      await once(key, [], () => call('delete', key, async () => void (await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: k })))));
    },
    async deletePrefix(prefix, options) {
      const clean = prefix.replace(/\/+$/, '');
      if (clean === '') throw new Error(`refusing to delete ${prefix}`);
      full(clean);
      const keys = options?.keys ?? [], extra = keys.map(full);
      local.forgetPrefix(clean);
      for (const key of keys) local.forget(key);
      await once(clean, keys, () => deleteAll(clean, extra));
    },
    list,
    async listTaskIds(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      const newest = new Map<string, number>();
      for (const folder of [TASKS_FOLDER, UPLOADS_FOLDER]) {
        for await (const blob of list(folder)) {
          const id = blob.key.split('/')[1] as string;
          newest.set(id, Math.max(newest.get(id) ?? 0, blob.modifiedMs));
        }
      }
      return [...newest].filter(([, ms]) => ms < cutoff).map(([id]) => id);
    },
    async sweepTemp(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      const out = await call('list', root, () => client.send(new ListMultipartUploadsCommand({ Bucket: o.bucket, Prefix: root || undefined })));
      let removed = 0;
      for (const u of out.Uploads ?? []) {
        if (!u.Key || !u.UploadId || (u.Initiated?.getTime() ?? 0) >= cutoff) continue;
        await call('delete', u.Key, () => client.send(new AbortMultipartUploadCommand({ Bucket: o.bucket, Key: u.Key, UploadId: u.UploadId })));
        removed++;
      }
      return removed;
    },
    async check() {
      await call('list', root, () => client.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: root || undefined, MaxKeys: 1 })));
    },
    async close() {
      local.close();
      client.destroy();
      await o.scratch.close();
    },
  };
}
