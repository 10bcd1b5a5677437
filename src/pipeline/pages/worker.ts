/**
 * @module The page worker thread (piscina): probes files, reads PDF text layers,
 * decodes or renders pages, and reads OCR lines again with the line reader
 * (ocr/line-reader.ts). Everything that parses untrusted bytes runs here, under the
 * pool's heap limit and per-page timeout, so a hostile file can end this thread but
 * not the service. Expected failures are answered as codes (protocol.ts).
 */
import sharp from 'sharp';
import { TaskFailure } from '../../core/errors.ts';
import type { PageTask, PdfAttachment, ProbeResult, PdfPageText, Raster, WorkerAnswer } from './protocol.ts';
import { openPdf } from './pdf-doc.ts';
import { readPdfText } from './pdf-text.ts';
import { renderPdfPage } from './pdf-render.ts';
import { decodeImagePage, imagePageCount } from './image-source.ts';
import { encodeRaster } from './encode.ts';
import { prepareForOcr } from './prepare.ts';
import { released } from './release.ts';
import { readerInfo, readLines, type ReadChar } from '../ocr/line-reader.ts';
import { readPdfAttachments } from './pdf-attachments.ts';
import type { ReaderInfo } from '../ocr/line-runtime.ts';

// libvips keeps recent operations and open files (by default up to 50 MB and 20 files) for reuse; pages are decoded
// once each, so the cache only holds memory (bench/memory.ts, docs/pages.md "Memory").
sharp.cache(false);

async function probe(task: Extract<PageTask, { kind: 'probe' }>): Promise<ProbeResult> {
  if (task.fileType === 'pdf') {
    const doc = await openPdf(task.filePath, task.maxPixels);
    return { pageCount: doc.numPages };
  }
  return { pageCount: await imagePageCount(task.filePath) };
}

async function raster(task: Extract<PageTask, { kind: 'raster' }>): Promise<Raster> {
  // OCR gets grey: Tesseract parses an RGB PNM ~80 ms slower than a grey one (a 1080×1528 receipt, 0.3 s in all) and
  // reads it no better (SROIE: 14.3 % character errors from colour, 14.4 % from sharp's grey).
  const colour = task.format !== 'grey';
  const dpi = task.dpi ?? task.maxDpi;
  const t0 = performance.now();
  const image =
    task.fileType === 'pdf'
      ? await renderPdfPage(task.filePath, task.index, dpi, task.maxPixels, colour)
      : await decodeImagePage(task.filePath, task.index, { dpi: task.dpi, maxDpi: task.maxDpi, maxPixels: task.maxPixels, colour });
  if (!task.ocr) {
    const encoded = await encodeRaster(image, task.format);
    released(image.data.byteLength);
    return encoded;
  }
  const decodeMs = performance.now() - t0;
  const prepared = await prepareForOcr(image, {
    ...task.ocr,
    maxPixels: task.maxPixels,
    rerender: task.fileType === 'pdf' ? (higher) => renderPdfPage(task.filePath, task.index, higher, task.maxPixels, colour) : undefined,
  });
  const raster = await encodeRaster(prepared.image, task.format);
  released(image.data.byteLength + (prepared.image === image ? 0 : prepared.image.data.byteLength));
  const ms = { decode: decodeMs, enlarge: prepared.ms?.enlarge ?? 0, deskew: prepared.ms?.deskew ?? 0 };
  return { ...raster, ...(prepared.skew && { skew: prepared.skew }), ...(prepared.crop && { crop: prepared.crop }), ...(prepared.decided && { decided: prepared.decided }), ms };
}

async function run(task: PageTask): Promise<ProbeResult | PdfPageText[] | Raster | ReadChar[][] | ReaderInfo | PdfAttachment[]> {
  switch (task.kind) {
    case 'probe':
      return probe(task);
    case 'pdfText':
      return readPdfText(task.filePath, task.first, task.count, task.maxPixels);
    case 'raster':
      return raster(task);
    case 'lines':
      return readLines({ ...task.image, dpi: 0, declaredDpi: null }, task.boxes, task.reader, task.deadline);
    case 'reader':
      return readerInfo(task.reader);
    case 'attachments':
      return readPdfAttachments(task.filePath, task.names, task.maxBytes, task.maxPixels);
  }
}

export default async function handle(task: PageTask): Promise<WorkerAnswer<unknown>> {
  try {
    return { ok: true, value: await run(task) };
  } catch (err) {
    if (err instanceof TaskFailure) return { ok: false, code: err.code, message: err.message };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, code: 'corrupt_file', message: `the file could not be read: ${message}` };
  }
}
