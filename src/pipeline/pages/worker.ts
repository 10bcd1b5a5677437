/**
 * @module The page worker thread (piscina): probes files, reads PDF text layers and
 * decodes or renders pages. Everything that parses untrusted bytes runs here, under
 * the pool's heap limit and per-page timeout, so a hostile file can end this thread
 * but not the service. Expected failures are answered as codes (protocol.ts).
 */
import { TaskFailure } from '../../core/errors.ts';
import type { PageTask, ProbeResult, PdfPageText, Raster, WorkerAnswer } from './protocol.ts';
import { openPdf } from './pdf-doc.ts';
import { readPdfText } from './pdf-text.ts';
import { renderPdfPage } from './pdf-render.ts';
import { decodeImagePage, imagePageCount } from './image-source.ts';
import { encodeRaster } from './encode.ts';

async function probe(task: Extract<PageTask, { kind: 'probe' }>): Promise<ProbeResult> {
  if (task.fileType === 'pdf') {
    const doc = await openPdf(task.filePath, task.maxPixels);
    return { pageCount: doc.numPages };
  }
  return { pageCount: await imagePageCount(task.filePath) };
}

async function raster(task: Extract<PageTask, { kind: 'raster' }>): Promise<Raster> {
  const colour = task.format !== 'grey' || task.fileType !== 'pdf';
  const image =
    task.fileType === 'pdf'
      ? await renderPdfPage(task.filePath, task.index, task.dpi ?? task.maxDpi, task.maxPixels, colour)
      : await decodeImagePage(task.filePath, task.index, { dpi: task.dpi, maxDpi: task.maxDpi, maxPixels: task.maxPixels, colour });
  return encodeRaster(image, task.format);
}

async function run(task: PageTask): Promise<ProbeResult | PdfPageText[] | Raster> {
  switch (task.kind) {
    case 'probe':
      return probe(task);
    case 'pdfText':
      return readPdfText(task.filePath, task.first, task.count, task.maxPixels);
    case 'raster':
      return raster(task);
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
