/**
 * @module Builds the searchable PDF of a page range (docs/architecture.md#stages, outputs). Born-digital
 * pages are the original PDF pages, copied untouched. Scanned PDF pages are copied
 * too (their image stays as the scanner stored it, often CCITT or JBIG2, far smaller
 * than a re-render) and turned upright through /Rotate when OCR found them turned,
 * with the invisible text layer on top. TIFF/JPEG/PNG pages become image pages: 1-bit
 * Flate for black-and-white scans, JPEG otherwise. When pdf-lib cannot parse a PDF
 * that pdf.js could read (damaged xref), every page is rendered as an image instead.
 */
import { PDFDocument, degrees, drawObject, popGraphicsState, pushGraphicsState, concatTransformationMatrix, type PDFPage } from 'pdf-lib';
import { readFile } from 'node:fs/promises';
import type { Page } from '../../core/page.ts';
import type { FileType } from '../types.ts';
import type { Raster } from '../pages/protocol.ts';
import { addTextLayer, embedTextFont, frameToUser, type TextFont } from './text-layer.ts';

export interface BuildInput {
  filePath: string;
  fileType: FileType;
  pages: Page[];
  first: number;
  last: number;
}

export interface BuildDeps {
  /** The page as an image for a PDF (`pdf` raster format); `dpi` null keeps an image file's own. */
  raster(index: number, dpi: number | null): Promise<Raster>;
}

/** Resolution of pages rendered because pdf-lib could not copy them. */
const FALLBACK_DPI = 200;

async function loadOriginal(input: BuildInput): Promise<PDFDocument | null> {
  if (input.fileType !== 'pdf') return null;
  try {
    return await PDFDocument.load(await readFile(input.filePath), { updateMetadata: false });
  } catch {
    return null;
  }
}

async function addImagePage(out: PDFDocument, raster: Raster): Promise<PDFPage> {
  const pdfPage = out.addPage([raster.widthPt, raster.heightPt]);
  if (raster.encoding === 'jpeg') {
    const image = await out.embedJpg(raster.data);
    pdfPage.drawImage(image, { x: 0, y: 0, width: raster.widthPt, height: raster.heightPt });
    return pdfPage;
  }
  if (raster.encoding !== 'bilevel-deflate') throw new Error(`unexpected raster encoding ${raster.encoding}`);
  const stream = out.context.stream(raster.data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: raster.width,
    Height: raster.height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
    Filter: 'FlateDecode',
  });
  const key = pdfPage.node.newXObject('Im', out.context.register(stream));
  pdfPage.pushOperators(pushGraphicsState(), concatTransformationMatrix(raster.widthPt, 0, 0, raster.heightPt, 0, 0), drawObject(key), popGraphicsState());
  return pdfPage;
}

/** Shows a page turned by `rotation` more than it was, and lays the words over it. */
function overlay(out: PDFDocument, pdfPage: PDFPage, page: Page, font: TextFont): void {
  const rotate = (pdfPage.getRotation().angle + page.rotation) % 360;
  if (rotate !== pdfPage.getRotation().angle) pdfPage.setRotation(degrees(rotate));
  addTextLayer(out, pdfPage, page, font, frameToUser(rotate, pdfPage.getCropBox()));
}

export async function buildSearchablePdf(input: BuildInput, deps: BuildDeps): Promise<Uint8Array> {
  const byIndex = new Map(input.pages.map((p) => [p.index, p]));
  const out = await PDFDocument.create();
  const font = await embedTextFont(out);
  const original = await loadOriginal(input);
  const indices: number[] = [];
  for (let i = input.first; i <= input.last; i++) if (byIndex.has(i)) indices.push(i);
  const copies = original && original.getPageCount() >= input.last + 1 ? await out.copyPages(original, indices) : null;
  for (const [k, index] of indices.entries()) {
    const page = byIndex.get(index)!;
    const copy = copies?.[k];
    if (copy) {
      out.addPage(copy);
      if (page.source === 'ocr') overlay(out, copy, page, font);
      continue;
    }
    const dpi = input.fileType === 'pdf' ? (page.source === 'ocr' ? page.dpi : FALLBACK_DPI) : null;
    const pdfPage = await addImagePage(out, await deps.raster(index, dpi));
    overlay(out, pdfPage, page, font);
  }
  out.setProducer('docket');
  out.setCreator('docket');
  return out.save({ useObjectStreams: true });
}

