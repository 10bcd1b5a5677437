/**
 * @module The blob-store port: where uploads, page images, results and outputs live, and
 * the errors a store may end an operation with on purpose: `BlobTooLargeError`
 * (answered 413), `BlobExistsError` (a create that found the key taken) and
 * `BlobStoreUnavailableError` (the store cannot be reached or keeps failing: answered
 * 503 by the API, retried with backoff by the worker). `src/store/blob-fs.ts`
 * implements it on a local folder, `src/store/blob-s3.ts` on an S3 bucket; one contract
 * suite (test/store/blob-contract.ts) holds both to the same behaviour.
 */
import type { Readable } from 'node:stream';

/** Content-addressed facts about a stored blob. */
export interface BlobInfo {
  key: string;
  size: number;
  sha256: string;
}

/** One entry of a listing: `modifiedMs` is when the blob was last written. */
export interface StoredBlob {
  key: string;
  size: number;
  modifiedMs: number;
}

/** A blob as a local file for engines that need a path (pdf.js, tesseract); `release` drops a scratch copy. */
export interface LocalFile {
  path: string;
  release(): Promise<void>;
}

/**
 * What `BlobStore.put` rejects with when the data passes `maxBytes`: the write is
 * abandoned and leaves nothing behind, and a stream source is neither destroyed nor
 * left paused, so an HTTP caller can still answer 413 on the same connection.
 */
export class BlobTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the data is larger than ${limit} bytes`);
    this.name = 'BlobTooLargeError';
    this.limit = limit;
  }
}

/** What `put(…, { create: true })` rejects with when the key already holds a blob: nothing was overwritten. */
export class BlobExistsError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`a blob already exists at ${key}`);
    this.name = 'BlobExistsError';
    this.key = key;
  }
}

/** The store did not answer, timed out or kept failing after its own retries; nothing of the operation is relied on. */
export class BlobStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BlobStoreUnavailableError';
  }
}

/** Keys: `/`-separated segments of letters, digits, `_`, `-` and `.` (not leading), so none can leave the store. */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

export function isBlobKey(key: string): boolean {
  return KEY.test(key) && !key.split('/').some((p) => p === '..' || p === '.');
}

/**
 * Where files and derived data live. Keys are `/`-separated relative paths, every
 * one of a task's built by task-files.ts. Writes are atomic: a reader sees the
 * whole blob or none. A missing key makes `get`, `read`, `readRange` and
 * `localFile` reject with an error whose `code` is `ENOENT`.
 */
export interface BlobStore {
  /**
   * Streams the data in, computing its SHA-256 on the way. Rejects with the stream's
   * error, `BlobTooLargeError` or `BlobExistsError` (`create`: only if the key is free)
   * and leaves nothing behind.
   */
  put(key: string, data: Readable | Uint8Array, options?: { maxBytes?: number; create?: boolean }): Promise<BlobInfo>;
  get(key: string): Promise<Readable>;
  read(key: string): Promise<Buffer>;
  /** `length` bytes from `offset`; fewer only at the end of the blob. */
  readRange(key: string, offset: number, length: number): Promise<Buffer>;
  /** The blob as a local file: the file itself, or a copy in the process's scratch folder until `release`. */
  localFile(key: string): Promise<LocalFile>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Deletes every blob whose key starts with `prefix/`, and the blobs at `keys` (a
   * missing one is no error): a task's upload lives outside its folder
   * (task-files.ts), and on S3 both go in the one DeleteObjects that follows the
   * folder's listing, 2 requests where a separate `delete` made it 3.
   */
  deletePrefix(prefix: string, options?: { keys?: readonly string[] }): Promise<void>;
  /** Every blob under `prefix/` (all of them for `''`), in no promised order. */
  list(prefix: string): AsyncIterable<StoredBlob>;
  /** Task ids with an upload or a folder not modified for `olderThanMs`, for the orphan sweep. */
  listTaskIds(olderThanMs: number): Promise<string[]>;
  /** Removes what interrupted writes left (temp files, unfinished multipart uploads) older than `olderThanMs`; returns how many. */
  sweepTemp(olderThanMs: number): Promise<number>;
  /** Resolves when the store answers (readiness); rejects with `BlobStoreUnavailableError` otherwise. */
  check(): Promise<void>;
  /** Releases connections and the scratch folder. */
  close(): Promise<void>;
}
