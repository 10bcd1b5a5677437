/**
 * @module Reads the text layer of a range of PDF pages: words with boxes in reading
 * order, the page's displayed size, and the verdict on whether the text is usable
 * (text-quality.ts). A page without text is always rendered for OCR: whether it
 * draws anything cannot be asked of pdf.js without decoding its images, which is
 * what the pixel limit must guard (`ocrmypdf-hugemono.pdf` hides a 1.2-gigapixel
 * image on an 8400 pt page). A page with a little text (a stamped page number on a
 * scan) is OCR'd when its operator list paints an image or many paths.
 */
import type { PdfPageText } from './protocol.ts';
import { encodePage } from '../../core/page-set.ts';
import { loadPdfJs, openPdf, pdfFailure, type PdfPage } from './pdf-doc.ts';
import { wordsFromRuns, type TextRun } from './pdf-words.ts';
import { orderIntoLines } from './lines.ts';
import { judgeTextLayer, type TextVerdict } from './text-quality.ts';

/** Paths beyond this count on a text-poor page suggest text drawn as curves or a drawing worth reading. */
const MANY_PATHS = 20;

async function drawsSomething(page: PdfPage): Promise<boolean> {
  const { OPS } = await loadPdfJs();
  const list = await page.getOperatorList();
  const images = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat, OPS.paintImageMaskXObjectGroup, OPS.paintInlineImageXObjectGroup, OPS.paintSolidColorImageMask]);
  let paths = 0;
  for (const fn of list.fnArray) {
    if (images.has(fn)) return true;
    if (fn === OPS.constructPath) paths++;
  }
  return paths > MANY_PATHS;
}

async function readPage(page: PdfPage, index: number): Promise<PdfPageText> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if ('str' in item) runs.push(item);
  }
  const { words, lines } = orderIntoLines(wordsFromRuns(runs, viewport.transform));
  let verdict: TextVerdict = judgeTextLayer(words);
  if (verdict === 'sparse' && !(await drawsSomething(page))) verdict = 'usable';
  if (verdict !== 'usable') return { index, verdict, page: null };
  // Sizes are the displayed ones, in points, after the page's /Rotate.
  return { index, verdict, page: encodePage({ index, width: viewport.width, height: viewport.height, dpi: 72, rotation: 0, source: 'text', words, lines }) };
}

/** Text of pages `first .. first+count-1`; rejects with a `TaskFailure`. */
export async function readPdfText(filePath: string, first: number, count: number, maxPixels: number): Promise<PdfPageText[]> {
  const doc = await openPdf(filePath, maxPixels);
  const out: PdfPageText[] = [];
  for (let i = first; i < Math.min(first + count, doc.numPages); i++) {
    try {
      const page = await doc.getPage(i + 1);
      out.push(await readPage(page, i));
      page.cleanup();
    } catch (err) {
      throw pdfFailure(err);
    }
  }
  // pdf.js keeps every page it has parsed (and its fonts) until told: without this, a
  // thread's heap grew ~4 MB per 100 text pages for the whole file (bench/memory).
  await doc.cleanup();
  return out;
}
