/**
 * @module How the page engine schedules the pages it reads by OCR over the cores.
 * A page is read in two parts: first decoding and Tesseract (with orientation), which
 * hold one of `threads` OCR slots, one per Tesseract process; then the line reader
 * and placing the words, which hold none. So a Tesseract process takes the next page
 * while the page before it is read again or waits for the reader, instead of idling
 * (docs/pages.md "Speed against the tesseract CLI": one page in flight per Tesseract
 * process left the CPU at 70 % as shipped). Pages in flight across all calls are
 * bounded by `inFlight` (each holds its bitmap, up to ~9 MB for a 300 dpi A4 page in
 * grey), and a page is decoded only once it has an OCR slot, so pages waiting for
 * Tesseract hold no bitmap: a clean multi-page file, which the reader leaves alone,
 * keeps `threads` bitmaps at once as before.
 */
import { Limiter } from '../../shared/limiter.ts';

export interface PageSlots {
  /** Pages of one call worth starting at once: more would only wait for a slot. */
  readonly lanes: number;
  /** Runs `first` in an OCR slot, then `rest` on its result without it, the whole in one of the page slots. */
  run<A, T>(first: () => Promise<A>, rest: (a: A) => Promise<T>): Promise<T>;
}

export function createPageSlots(threads: number, inFlight: number): PageSlots {
  const pages = new Limiter(Math.max(threads, inFlight));
  const ocr = new Limiter(threads);
  return {
    lanes: Math.max(threads, inFlight),
    run: (first, rest) => pages.run(async () => rest(await ocr.run(first))),
  };
}
