/**
 * @module Writing one blob to S3 (the S3 blob store's `put`): the fewest requests and
 * one pass over the bytes.
 *
 * - A body of at most one part (8 MiB) is read into memory as it arrives, hashed on
 *   the way, and sent as one PutObject with a known length. Its SHA-256 is also the
 *   SigV4 payload hash (`x-amz-content-sha256`): the SDK does not hash the body a
 *   second time, and the store refuses bytes that do not match it (end-to-end
 *   integrity for the hash docket records). Through lib-storage's `Upload`, the same
 *   200 KB upload cost a buffer copy, the SDK's own SHA-256 pass and the multipart
 *   machinery: 8 % of an API node's CPU (bench/ingest profile).
 * - A longer body goes multipart through `Upload` (at most `queueSize` parts in
 *   memory). RGW 16 ignores `If-None-Match: *` on CompleteMultipartUpload (it
 *   overwrote in the contract suite), so a create that goes multipart looks for the
 *   key first (racy only against another writer of the same new key).
 * - Past `maxBytes` the read stops with `BlobTooLargeError`; the source is neither
 *   destroyed nor left paused (the API still answers 413 on the connection).
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobExistsError, BlobTooLargeError, type BlobInfo } from '../core/ports/blob-store.ts';
import { attemptsOf, signedSha256 } from './s3-client.ts';
import type { Staged } from './s3-held.ts';

export interface S3Writer {
  client: S3Client;
  bucket: string;
  partSize: number;
  /** Times one request and maps its error onto the port's (blob-s3.ts). */
  call<T>(op: string, key: string, run: () => Promise<T>): Promise<T>;
  exists(key: string): Promise<boolean>;
  /** Keeps a created blob's bytes for this process's next `localFile` (s3-held.ts). */
  stage?(key: string, body: Uint8Array): Staged | null;
}

export interface PutOptions {
  maxBytes?: number;
  create?: boolean;
}

/** Writes `data` at `fullKey` (`key` is the port's key, for errors and `exists`). */
export async function s3Put(w: S3Writer, key: string, fullKey: string, data: Readable | Uint8Array, options: PutOptions = {}): Promise<BlobInfo> {
  const max = options.maxBytes ?? Infinity;
  const hash = createHash('sha256');
  if (data instanceof Uint8Array) {
    if (data.byteLength > max) throw new BlobTooLargeError(max);
    hash.update(data);
    if (data.byteLength <= w.partSize) return putOne(w, key, fullKey, data, hash.digest('hex'), options.create);
    if (options.create && (await w.exists(key))) throw new BlobExistsError(key);
    await multipart(w, key, fullKey, data, options.create);
    return { key, size: data.byteLength, sha256: hash.digest('hex') };
  }
  const source = data;
  // destroyOnReturn off: leaving the loop early (a size error) neither destroys the source nor leaves it paused.
  const chunks = source.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  try {
    while (size <= w.partSize) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      size += next.value.length;
      if (size > max) throw new BlobTooLargeError(max);
      hash.update(next.value);
      head.push(next.value);
    }
    if (!ended && options.create && (await w.exists(key))) throw new BlobExistsError(key);
  } catch (err) {
    await release(source, chunks);
    throw err;
  }
  if (ended) return putOne(w, key, fullKey, head.length === 1 ? (head[0] as Buffer) : Buffer.concat(head, size), hash.digest('hex'), options.create);
  let failure: unknown = null;
  const counted = { size };
  const body = Readable.from(rest(head, chunks, hash, counted, max, (err) => (failure ??= err)));
  try {
    await multipart(w, key, fullKey, body, options.create);
  } catch (err) {
    await release(source, chunks);
    throw failure ?? err;
  }
  return { key, size: counted.size, sha256: hash.digest('hex') };
}

/** The bytes read so far, then the rest of the source, counted and hashed on the way. */
async function* rest(head: Buffer[], chunks: AsyncIterator<Buffer>, hash: Hash, counted: { size: number }, max: number, failed: (err: unknown) => void): AsyncGenerator<Buffer> {
  try {
    yield* head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      counted.size += next.value.length;
      if (counted.size > max) throw new BlobTooLargeError(max);
      hash.update(next.value);
      yield next.value;
    }
  } catch (err) {
    failed(err);
    throw err;
  }
}

async function release(source: Readable, chunks: AsyncIterator<Buffer>): Promise<void> {
  await chunks.return?.().catch(() => undefined);
  if (!source.destroyed) source.resume();
}

async function putOne(w: S3Writer, key: string, fullKey: string, body: Uint8Array, sha256: string, create?: boolean): Promise<BlobInfo> {
  const command = new PutObjectCommand(signedSha256({ Bucket: w.bucket, Key: fullKey, Body: body, ContentLength: body.byteLength, ...(create ? { IfNoneMatch: '*' } : {}) }, sha256));
  const staged = create ? (w.stage?.(key, body) ?? null) : null;
  try {
    await w.call('put', key, () => w.client.send(command));
  } catch (err) {
    // A create the SDK retried (its first try landed, the answer was lost) finds its own blob: same size and just written, so it is ours.
    const ours = err instanceof BlobExistsError && attemptsOf(err.cause) > 1 && (await sameSize(w, fullKey, body.byteLength));
    if (!ours) {
      await staged?.discard();
      throw err;
    }
  }
  await staged?.commit();
  return { key, size: body.byteLength, sha256 };
}

/** The caller has looked for the key of a create; AWS also honours `If-None-Match` on the completion. */
async function multipart(w: S3Writer, key: string, fullKey: string, body: Readable | Uint8Array, create?: boolean): Promise<void> {
  const upload = new Upload({
    client: w.client, partSize: w.partSize, queueSize: 2, leavePartsOnError: false,
    params: { Bucket: w.bucket, Key: fullKey, Body: body, ...(create ? { IfNoneMatch: '*' } : {}) },
  });
  await w.call('put', key, () => upload.done());
}

async function sameSize(w: S3Writer, fullKey: string, size: number): Promise<boolean> {
  const head = await w.client.send(new HeadObjectCommand({ Bucket: w.bucket, Key: fullKey })).catch(() => null);
  return head !== null && head.ContentLength === size && Date.now() - (head.LastModified?.getTime() ?? 0) < 120_000;
}
