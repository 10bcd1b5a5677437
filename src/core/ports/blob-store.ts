/**
 * @module The blob-store port: where uploads, page images, results and outputs live, and
 * the one error a write may end with on purpose (`BlobTooLargeError`, answered 413).
 * `src/store/blob-fs.ts` implements it on a local folder.
 */
import type { Readable } from 'node:stream';

/** Content-addressed facts about a stored blob. */
export interface BlobInfo {
  key: string;
  size: number;
  sha256: string;
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

/**
 * Where files and derived data live. Keys are `/`-separated relative paths, every
 * one of a task's built by task-files.ts. Writes are atomic: a reader sees the
 * whole blob or none.
 */
export interface BlobStore {
  /** Streams into a temp file, fsyncs, renames. Rejects with the stream's error (or `BlobTooLargeError`) and leaves nothing behind. */
  put(key: string, data: Readable | Uint8Array, options?: { maxBytes?: number }): Promise<BlobInfo>;
  get(key: string): Promise<Readable>;
  read(key: string): Promise<Buffer>;
  /** `length` bytes from `offset`; fewer only at the end of the blob. */
  readRange(key: string, offset: number, length: number): Promise<Buffer>;
  /** A local path for engines that need one (pdf.js, tesseract); a copy for remote stores. */
  localPath(key: string): Promise<string>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  /** Task ids with an upload or a folder not modified for `olderThanMs`, for the orphan sweep. */
  listTaskIds(olderThanMs: number): Promise<string[]>;
  /** Removes temp files of interrupted writes older than `olderThanMs`; returns how many. */
  sweepTemp(olderThanMs: number): Promise<number>;
}
