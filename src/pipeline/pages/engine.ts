/**
 * @module The page engine (`Engines.pages`): files in, pages of words out. The flow
 * per task is: probe the page count (refusing more than `maxPages` before any other
 * work); read PDF text layers in chunks on the pool (text-chunks.ts); then, page by
 * page with one page per core in flight, decode or render each page that needs OCR,
 * read it upright, read its uncertain lines again (line-reading.ts), and drop its
 * bitmap. No more than `threads` bitmaps exist at once, and `streamPages` hands each
 * page on as soon as it is read (the pages stage writes it to disk), so memory stays
 * flat in the page count. Scheduling Tesseract and the reader apart was measured and
 * not kept (docs/pages.md "Scheduling").
 */
import type { Page } from '../../core/page.ts';
import { decodePage, encodePage, type EncodedPage } from '../../core/page-set.ts';
import { TaskFailure } from '../../core/errors.ts';
import type { FileType, Limits } from '../types.ts';
import { DEFAULT_LIMITS } from '../types.ts';
import { createOcrEngine, type OcrChoice } from '../ocr/select.ts';
import type { OcrEngine, OcrImage, Thresholding } from '../ocr/types.ts';
import { mapLimit } from '../../shared/limiter.ts';
import { readUpright, type UprightReading } from '../ocr/upright.ts';
import type { LineReading } from '../ocr/line-merge.ts';
import type { ReaderOptions } from '../ocr/line-runtime.ts';
import { createLineReading } from './line-reading.ts';
import { buildSearchablePdf } from '../searchable-pdf/build.ts';
import { createPagePool, type PagePool } from './pool.ts';
import { pageFromReading, uncropReading, unskewReading } from './ocr-page.ts';
import type { ProbeResult, Raster } from './protocol.ts';
import { readTextLayers } from './text-chunks.ts';
import type { Preparation } from './prepare.ts';
import type { PageEngine, ReadPagesInput, RenderImageOptions, SearchablePdfInput } from './types.ts';

export interface PageEngineOptions {
  threads?: number;
  ocr?: OcrChoice;
  /** The `tesseract` binary for the native engine. */
  tesseractBinary?: string;
  /** Limits for calls that carry none (portal images, searchable PDFs). */
  limits?: Partial<Limits>;
  /** Read poorly recognised pages turned 90/180/270° too (ocr/upright.ts); on by default. */
  detectOrientation?: boolean;
  /** Enlarge pages whose text is too small for Tesseract before OCR (enlarge.ts); on by default. */
  enlargeSmallText?: boolean;
  /** Reduce pages whose text is far larger than Tesseract needs (enlarge.ts `reduceFactor`); on by default. */
  reduceLargeText?: boolean;
  /** Turn pages scanned askew straight before OCR and map the words back (skew.ts); on by default. */
  deskew?: boolean;
  /** Which OCR lines the line reader reads again (ocr/line-merge.ts) when a call does not say; `off` by default, as
   * the line reader costs about twice Tesseract's time (docs/pages.md "Line reader"); tasks pass their project's. */
  lineReading?: LineReading;
  /** The line reader's model, runtime and threads (ocr/line-runtime.ts): PP-OCRv4 on the native ONNX Runtime, else
   * WebAssembly, one thread, by default. */
  lineReader?: ReaderOptions;
  /** Threads the line reader runs in, each with its own session (~100 MB natively), started as pages need them, a
   * page's lines shared between them; 1 by default (two showed no gain that held: docs/pages.md "Scheduling"). */
  readerThreads?: number;
  /** Lines the line reader reads again on one page at most (`MAX_LINES_PER_PAGE`); the rest keep Tesseract's words. */
  maxLinesRead?: number;
  /** Where the line reader's start is reported (what it runs on, or why there is none). */
  log?: (level: 'info' | 'warn', message: string) => void;
  /** Told the milliseconds each step of each OCR'd page took (bench/ocr's stage shares); steps run in parallel. */
  onStage?: (stage: PageStep, ms: number) => void;
  /** How long idle Tesseract processes and threads are kept before they end; 30 s and 60 s by default (native.ts,
   * pool.ts). Shorter in the tests of their release and start again. */
  idleMs?: number;
}

export type PageStep = 'decode' | 'crop and enlarge' | 'deskew' | 'tesseract' | 'orientation' | 'line reader';

/** Pages whose first reading's decisions (orientation, enlargement, deskew) are remembered for a second reading. */
const UPRIGHT_PAGES = 1000;
/** Pages of an image file put into a searchable PDF keep their resolution up to this. */
const SEARCHABLE_MAX_DPI = 600;

export function createPageEngine(options: PageEngineOptions = {}): PageEngine {
  const pool: PagePool = createPagePool({ threads: options.threads, idleMs: options.idleMs });
  // The line reader has threads of its own: a session holds the model (~100 MB natively, ~170 MB in WebAssembly,
  // whose memory never shrinks), so its sessions serve every page thread (docs/pages.md "Line reader").
  const linePool: PagePool = createPagePool({ threads: options.readerThreads ?? 1, idleMs: options.idleMs });
  const ocr: OcrEngine = createOcrEngine({ choice: options.ocr ?? 'auto', concurrency: pool.threads, binary: options.tesseractBinary, idleMs: options.idleMs });
  const defaults: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const detectOrientation = options.detectOrientation ?? true;
  const enlargeSmallText = options.enlargeSmallText ?? true;
  const reduceLargeText = options.reduceLargeText ?? true;
  const deskew = options.deskew ?? true;
  const lineReading = options.lineReading ?? 'off';
  const never = new AbortController().signal;
  const onStage = options.onStage ?? (() => {});

  // What the first reading of a page decided, for a second reading of it (capture/second-reading.ts): whether it was
  // upright, and how it was enlarged, cropped and turned straight (prepare.ts); the oldest forgotten past
  // UPRIGHT_PAGES. The bitmap is decoded again (it is not kept), but the glyphs are not measured again (~14–40 ms a
  // page) nor the page read turned.
  const firstReadings = new Map<string, { upright: boolean; decided?: Preparation }>();
  const remember = (key: string, first: { upright: boolean; decided?: Preparation }) => {
    firstReadings.delete(key);
    firstReadings.set(key, first);
    if (firstReadings.size > UPRIGHT_PAGES) firstReadings.delete(firstReadings.keys().next().value!);
  };
  const lines = createLineReading({ pool: linePool, reader: options.lineReader, maxLines: options.maxLinesRead, mode: lineReading, log: options.log, startTimeoutMs: defaults.pageTimeoutMs });

  /** Decoding and Tesseract: the page's bitmap and its reading upright. */
  async function tesseractPage(input: ReadPagesInput, index: number, thresholding?: Thresholding): Promise<{ raster: Raster; image: OcrImage; upright: UprightReading }> {
    const { limits, signal } = input;
    const key = `${input.filePath}#${index}`;
    const first = thresholding ? firstReadings.get(key) : undefined;
    const raster = await pool.run<Raster>(
      {
        kind: 'raster',
        filePath: input.filePath,
        fileType: input.fileType,
        index,
        dpi: input.fileType === 'pdf' ? limits.ocrDpi : null,
        // Image files are read at their own resolution, but never above the OCR one (a 400 dpi fax page is read at 300).
        maxDpi: limits.ocrDpi,
        maxPixels: limits.maxPixelsPerPage,
        format: 'grey',
        ocr: { enlargeSmallText, reduceLargeText, deskew, ...(first?.decided && { decided: first.decided }) },
      },
      signal,
      limits.pageTimeoutMs,
    );
    const bits = raster.encoding === 'pbm' ? 1 : 8;
    const image = { data: raster.data, channels: raster.channels, bits, width: raster.width, height: raster.height, dpi: raster.dpi, declaredDpi: raster.declaredDpi } as const;
    if (raster.ms) {
      onStage('decode', raster.ms.decode);
      onStage('crop and enlarge', raster.ms.enlarge);
      onStage('deskew', raster.ms.deskew);
    }
    // The first reading is Tesseract's; any further ones, of the page turned, are the orientation's.
    let firstMs = -1;
    const timed: OcrEngine = {
      ...ocr,
      async recognize(img, opts) {
        const t = performance.now();
        const words = await ocr.recognize(img, opts);
        if (firstMs < 0) firstMs = performance.now() - t;
        return words;
      },
    };
    const t0 = performance.now();
    // A second reading of a page the first found upright does not look for its orientation again.
    const upright = await readUpright(timed, image, { timeoutMs: limits.pageTimeoutMs, signal, detectOrientation: detectOrientation && !first?.upright, thresholding, ...(input.languages ? { languages: input.languages } : {}) });
    if (!thresholding) remember(key, { upright: upright.rotation === 0, ...(raster.decided && { decided: raster.decided }) });
    onStage('tesseract', firstMs);
    onStage('orientation', performance.now() - t0 - firstMs);
    return { raster, image, upright };
  }

  /** A page read by OCR: Tesseract, then the line reader. */
  async function ocrPage(input: ReadPagesInput, index: number, thresholding?: Thresholding): Promise<Page> {
    const { raster, image, upright } = await tesseractPage(input, index, thresholding);
    const t1 = performance.now();
    const read = await lines.readAgain(image, upright, input);
    onStage('line reader', performance.now() - t1);
    const straight = raster.skew ? unskewReading(read, raster.skew, raster.width, raster.height) : read;
    const reading = raster.crop ? uncropReading(straight, raster.crop) : straight;
    return pageFromReading(index, reading, raster.widthPt, raster.heightPt);
  }

  /**
   * Hands each page to `onPage`, encoded for storage, as soon as it is read —
   * text-layer pages in chunks, OCR'd pages one per core — and keeps none: the
   * caller decides where pages go.
   * Pages arrive out of order; the count is known (and checked) before the first.
   */
  async function streamPages(input: ReadPagesInput, onPage: (page: EncodedPage) => void | Promise<void>): Promise<number> {
    const { limits, signal } = input;
    const { pageCount } = await pool.run<ProbeResult>({ kind: 'probe', filePath: input.filePath, fileType: input.fileType, maxPixels: limits.maxPixelsPerPage }, signal, limits.pageTimeoutMs);
    if (pageCount > limits.maxPages) throw new TaskFailure('too_many_pages', `the file has ${pageCount} pages; the limit is ${limits.maxPages}`);
    if (pageCount < 1) throw new TaskFailure('corrupt_file', 'the file has no pages');
    const done = new Uint8Array(pageCount);
    const deliver = async (page: EncodedPage) => {
      done[page.index] = 1;
      await onPage(page);
    };
    const needOcr = input.fileType === 'pdf' ? await readTextLayers(pool, input, pageCount, deliver) : Array.from({ length: pageCount }, (_, i) => i);
    await mapLimit(needOcr, pool.threads, async (index) => {
      await deliver(encodePage(await ocrPage(input, index)));
    });
    const missing = done.indexOf(0);
    if (missing >= 0) throw new TaskFailure('corrupt_file', `page ${missing + 1} could not be read`);
    return pageCount;
  }

  async function readPages(input: ReadPagesInput): Promise<Page[]> {
    const pages: Page[] = [];
    await streamPages(input, (page) => {
      pages[page.index] = decodePage(page);
    });
    return pages;
  }

  /** One page read again by OCR with another thresholding (capture/second-reading.ts). */
  const rereadPage = (input: ReadPagesInput, index: number, thresholding: Thresholding): Promise<Page> => ocrPage(input, index, thresholding);

  async function renderPageImage(filePath: string, fileType: FileType, pageIndex: number, opts: RenderImageOptions): Promise<Buffer> {
    const raster = await pool.run<Raster>(
      { kind: 'raster', filePath, fileType, index: pageIndex, dpi: opts.dpi, maxDpi: opts.dpi, maxPixels: opts.maxPixels ?? defaults.maxPixelsPerPage, format: opts.format },
      never,
      defaults.pageTimeoutMs,
    );
    return Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  }

  function searchable(input: SearchablePdfInput): Promise<Uint8Array> {
    return buildSearchablePdf(input, {
      raster: (index, dpi) =>
        pool.run<Raster>(
          { kind: 'raster', filePath: input.filePath, fileType: input.fileType, index, dpi, maxDpi: SEARCHABLE_MAX_DPI, maxPixels: defaults.maxPixelsPerPage, format: 'pdf' },
          never,
          defaults.pageTimeoutMs,
        ),
    });
  }

  return {
    readPages,
    streamPages,
    rereadPage,
    renderPageImage,
    buildSearchablePdf: searchable,
    attachments: (filePath, names, maxBytes) => pool.run({ kind: 'attachments', filePath, names: [...names], maxBytes, maxPixels: defaults.maxPixelsPerPage }, never, defaults.pageTimeoutMs),
    ocrEngine: ocr.name,
    lineReader: lines.start,
    async close() {
      await lines.settled().then(() => Promise.all([pool.close(), linePool.close(), ocr.close()]));
    },
  };
}
