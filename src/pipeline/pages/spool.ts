/**
 * @module Writes a task's pages to its folder as they are read (core/page-set.ts
 * has the layout and the reader): one JSON line per page appended to `pages.jsonl`
 * through a single streamed blob write — one fsync for the file, not one per page
 * — then the byte index, for a spool longer than `KEPT_BYTES` only. Only the page
 * being written, the index and a short spool's bytes are in memory.
 * A failed read destroys the stream, so the blob store leaves no partial file.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { BlobStore } from '../../core/ports/blob-store.ts';
import { KEPT_BYTES, type EncodedPage, type PageIndex } from '../../core/page-set.ts';
import { pageIndexKey, pageLinesKey } from '../../core/task-files.ts';

export interface PageSummary {
  index: number;
  width: number;
  height: number;
  source: string;
}

export interface PageSpool {
  add(page: EncodedPage): Promise<void>;
  /**
   * Ends the file, writes the index; the pages' sizes in page order, the index, and
   * the file's bytes when it is small enough to keep (`KEPT_BYTES`).
   */
  finish(): Promise<{ pages: PageSummary[]; index: PageIndex; bytes: Buffer | null }>;
  /** Abandons the write: nothing of it is left in the store. */
  abort(err: Error): Promise<void>;
}

export function createPageSpool(blobs: BlobStore, taskId: string): PageSpool {
  const out = new PassThrough();
  const written = blobs.put(pageLinesKey(taskId), out);
  // Watched from the start: a store error before `finish` must not go unhandled.
  written.catch(() => undefined);
  const index: PageIndex = [];
  const summaries: PageSummary[] = [];
  let offset = 0;
  // The lines written, while they fit in what the page set keeps anyway: the stages after
  // this one read them from here instead of asking the store for what this run just wrote
  // (on S3 a ranged GET, 1 of a 1-page task's 6 requests; bench/scale, RGW access log).
  let lines: Uint8Array[] | null = [];
  return {
    async add(page) {
      if (out.destroyed) throw new Error('the page spool was abandoned');
      const line = page.json;
      index[page.index] = [offset, line.byteLength];
      summaries[page.index] = { index: page.index, width: page.width, height: page.height, source: page.source };
      offset += line.byteLength;
      if (lines && offset <= KEPT_BYTES) lines.push(line);
      else lines = null;
      if (!out.write(line)) await Promise.race([once(out, 'drain'), written]);
    },
    async finish() {
      out.end();
      // A short spool goes without its index: a reader takes the file whole (core/page-set.ts).
      // A longer one's index is whole once the last page is added, so both writes go at once (one S3 round trip, not two).
      // An index whose spool failed is never read: the run fails, and its next run writes both again.
      await Promise.all([written, ...(offset > KEPT_BYTES ? [blobs.put(pageIndexKey(taskId), Buffer.from(JSON.stringify(index)))] : [])]);
      return { pages: summaries, index, bytes: lines ? Buffer.concat(lines, offset) : null };
    },
    async abort(err) {
      out.destroy(err);
      await written.catch(() => undefined);
    },
  };
}
