/**
 * @module The ports between parts (docs/architecture.md#imports): interfaces declared in core so that
 * pipeline, store and worker each depend on core only, and the CLI plugs the
 * adapters together. Every adapter is swappable in tests with a real alternative
 * (a temp folder, a fresh schema), never a mock.
 */
import type { Readable } from 'node:stream';
import type { ClientAction } from './task-states.ts';
import type { Project } from './project.ts';
import type { Tags } from '../shared/tags.ts';

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

/** A file a task produced that a client action can download. */
export interface TaskOutput {
  kind: 'original' | 'data' | 'document' | 'page_image';
  file_name: string;
  content_type: string;
  blob_key: string;
  size: number;
  sha256: string;
  document_index: number | null;
}

export interface ProcessInput {
  taskId: string;
  accountId: string;
  project: Project;
  tags: Tags;
  /** Blob key of the uploaded file. */
  fileKey: string;
  /** `capture` runs the stages up to the review decision; `finish` applies a person's corrections and builds outputs. */
  phase: 'capture' | 'finish';
  signal: AbortSignal;
}

export interface ProcessOutcome {
  action: ClientAction;
  documents_count: number;
  /** Outputs to list in the Export Specification (built only when `action` is `export`). */
  outputs: TaskOutput[];
}

/** Runs the pipeline for one task. Throws `TaskFailure` for a reasoned failure. */
export type TaskProcessor = (input: ProcessInput) => Promise<ProcessOutcome>;

/** Wakes idle workers when a task becomes claimable. */
export interface Notifier {
  notify(): void;
  /** Calls `listener` on every notification (from any process); returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The clock, injected so that leases, timeouts and retention are testable. */
export type Clock = () => number;
