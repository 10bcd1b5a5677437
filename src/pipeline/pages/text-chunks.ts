/**
 * @module A PDF's text layers read in chunks of pages on the page pool, for the page
 * engine (engine.ts): pages whose text layer is usable are handed on as they come,
 * the others are returned for OCR. Its own module because it is the engine's one
 * other way of reading pages beside OCR, with its own ordering rules.
 */
import type { EncodedPage } from '../../core/page-set.ts';
import type { PagePool } from './pool.ts';
import type { PdfPageText } from './protocol.ts';
import type { ReadPagesInput } from './types.ts';

/**
 * Pages of a PDF text layer read per pool call at most: 25 pages take ~50 ms, well inside a page timeout. A file of
 * fewer pages than threads × 25 is split evenly, so that a 19-page file keeps both threads busy instead of one.
 */
const TEXT_CHUNK = 25;

/** Hands each page with a usable text layer to `deliver`; resolves to the indices of the others, in order. */
export async function readTextLayers(pool: PagePool, input: ReadPagesInput, pageCount: number, deliver: (page: EncodedPage) => Promise<void>): Promise<number[]> {
  const { limits, signal } = input;
  const needOcr: number[] = [];
  const chunk = Math.min(TEXT_CHUNK, Math.ceil(pageCount / pool.threads));
  const starts: number[] = [];
  for (let s = 0; s < pageCount; s += chunk) starts.push(s);
  // Pages are handed on one chunk at a time, in the order the chunks come back, while each thread reads its next
  // chunk: a thread waits only when its previous chunk has not been handed on yet (one chunk in waiting a thread).
  let handed: Promise<void> = Promise.resolve();
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    let mine: Promise<void> = Promise.resolve();
    while (!failed && next < starts.length) {
      const first = starts[next++]!;
      const texts = await pool
        .run<PdfPageText[]>({ kind: 'pdfText', filePath: input.filePath, first, count: chunk, maxPixels: limits.maxPixelsPerPage }, signal, limits.pageTimeoutMs)
        .catch((err: unknown) => {
          failed = true;
          throw err;
        });
      await mine;
      mine = handed = handed.then(async () => {
        for (const t of texts) {
          if (t.page) await deliver(t.page);
          else needOcr.push(t.index);
        }
      });
      // Awaited on the next turn or at the end; marked handled so that a lane leaving on a failed read does not
      // leave it as an unhandled rejection, which would end the process.
      mine.catch(() => {});
    }
    await mine;
  };
  await Promise.all(Array.from({ length: Math.min(pool.threads, starts.length) }, lane));
  return needOcr.sort((a, b) => a - b);
}
