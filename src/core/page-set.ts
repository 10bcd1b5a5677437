/**
 * @module A task's pages as the stages after "pages" see them: a count, a page range
 * on demand and a walk over the pages one at a time. The pages stage writes each
 * page to the task's folder as soon as it is read (one JSON line per page in
 * `pages.jsonl`, with a byte index in `pages.index.json` when longer than
 * `KEPT_BYTES`), so nothing holds every
 * page's words at once: a 300-page text PDF carries ~120,000 words, 26–30 MB of
 * heap per 100 pages when they were kept in one array (bench/memory). Readers load
 * only the range they work on: one page for the portal's words, one document for
 * extraction, one page at a time for separation.
 */
import type { BlobStore } from './ports/blob-store.ts';
import type { Page, PageSource } from './page.ts';
import { legacyPagesKey, pageIndexKey, pageLinesKey } from './task-files.ts';

export interface PageSet {
  readonly count: number;
  /** Pages `first..last` (0-based, inclusive), in order. */
  range(first: number, last: number): Promise<Page[]>;
  /** Pages `first..last` one at a time, in order; only the current one is held. */
  each(first?: number, last?: number): AsyncIterable<Page>;
}

export type PageIndex = [offset: number, length: number][];

/**
 * A page as it is stored: its JSON line, and the few facts the capture result
 * lists. Page workers encode the pages they read, so the main thread copies bytes
 * instead of rebuilding ~400 word objects per page only to write them out again:
 * that garbage grew the main heap to 190 MB over a 2,000-page PDF (bench/memory).
 */
export interface EncodedPage {
  index: number;
  width: number;
  height: number;
  source: PageSource;
  /** UTF-8 JSON of the whole page followed by a newline. */
  json: Uint8Array;
}

export function encodePage(page: Page): EncodedPage {
  return { index: page.index, width: page.width, height: page.height, source: page.source, json: Buffer.from(`${JSON.stringify(page)}\n`) };
}

export function decodePage(encoded: EncodedPage): Page {
  return JSON.parse(Buffer.from(encoded.json.buffer, encoded.json.byteOffset, encoded.json.byteLength).toString('utf8')) as Page;
}

function clampRange(count: number, first = 0, last = count - 1): [number, number] {
  return [Math.max(0, first), Math.min(count - 1, last)];
}

/** A page set over pages already in memory (tests, samples, the eval harness). */
export function pagesInMemory(pages: readonly Page[]): PageSet {
  const sorted = [...pages].sort((a, b) => a.index - b.index);
  const inRange = (first: number, last: number) => sorted.filter((p) => p.index >= first && p.index <= last);
  return {
    count: sorted.length,
    range: async (first, last) => inRange(first, last),
    async *each(first = 0, last = Infinity) {
      yield* inRange(first, last);
    },
  };
}

/**
 * At most this much of the spool stays in memory between reads, so long documents stay
 * out of memory as before. A spool no longer than this is stored without its index
 * (spool.ts): a reader takes it whole and finds the lines itself, one request where
 * the index was a second object to write (on S3 1 of a 1-page task's 5 requests).
 */
export const KEPT_BYTES = 256 * 1024;

/** The page set stored for a task; `null` when the task has no stored pages. */
export async function openStoredPages(blobs: BlobStore, taskId: string): Promise<PageSet | null> {
  // One more byte than a short spool can have: what comes back says whether the index is needed.
  const head = await readIfThere(blobs, pageLinesKey(taskId), KEPT_BYTES + 1);
  if (head && head.length <= KEPT_BYTES) return storedPages(blobs, taskId, indexOfLines(head), head);
  const index = await readIfThere(blobs, pageIndexKey(taskId));
  if (head && index) return storedPages(blobs, taskId, JSON.parse(index.toString('utf8')) as PageIndex, head);
  const legacy = await readIfThere(blobs, legacyPagesKey(taskId));
  return legacy ? pagesInMemory(JSON.parse(legacy.toString('utf8')) as Page[]) : null;
}

/** The index of a whole spool: each line is one page's JSON (no raw newline inside), in the order pages finished. */
function indexOfLines(bytes: Buffer): PageIndex {
  const index: PageIndex = [];
  for (let start = 0; start < bytes.length;) {
    const end = bytes.indexOf(0x0a, start) + 1 || bytes.length;
    const page = JSON.parse(bytes.toString('utf8', start, end)) as Pick<Page, 'index'>;
    index[page.index] = [start, end - start];
    start = end;
  }
  return index;
}

/** A blob's bytes (the first `length` when given), or null when there is none: one read, where asking first is a second round trip on S3. */
async function readIfThere(blobs: BlobStore, key: string, length?: number): Promise<Buffer | null> {
  try {
    return await (length === undefined ? blobs.read(key) : blobs.readRange(key, 0, length));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The page set over a task's `pages.jsonl` with its index already at hand (the pages
 * stage just wrote it), and the file's first bytes (all of a short one) when read already.
 */
export function storedPages(blobs: BlobStore, taskId: string, index: PageIndex, head: Buffer | null = null): PageSet {
  const linesKey = pageLinesKey(taskId);
  // The last stretch read, when small: stages read the same pages in turn (separation, then
  // extraction of the same page), each read a round trip on S3; every caller parses its own copy.
  let kept: { start: number; bytes: Buffer } | null = head && head.length <= KEPT_BYTES + 1 ? { start: 0, bytes: head } : null;
  const stretch = async (start: number, end: number): Promise<Buffer> => {
    if (kept && start >= kept.start && end <= kept.start + kept.bytes.length) return kept.bytes.subarray(start - kept.start, end - kept.start);
    const bytes = await blobs.readRange(linesKey, start, end - start);
    kept = bytes.length <= KEPT_BYTES ? { start, bytes } : null;
    return bytes;
  };
  const load = async (first: number, last: number): Promise<Page[]> => {
    if (last < first) return [];
    // Pages are written as they finish, so a range is not always one stretch of the file.
    const spans = index.slice(first, last + 1);
    const start = Math.min(...spans.map(([o]) => o));
    const end = Math.max(...spans.map(([o, n]) => o + n));
    if (end - start <= spans.reduce((s, [, n]) => s + n, 0) * 2) {
      const bytes = await stretch(start, end);
      return spans.map(([o, n]) => JSON.parse(bytes.toString('utf8', o - start, o - start + n)) as Page);
    }
    const out: Page[] = [];
    for (const [o, n] of spans) out.push(JSON.parse((await blobs.readRange(linesKey, o, n)).toString('utf8')) as Page);
    return out;
  };
  return {
    count: index.length,
    range: (first, last) => load(...clampRange(index.length, first, last)),
    async *each(first, last) {
      const [a, b] = clampRange(index.length, first, last);
      for (let i = a; i <= b; i++) yield* await load(i, i);
    },
  };
}
