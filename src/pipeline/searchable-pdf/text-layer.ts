/**
 * @module Writes a page's words as an invisible text layer (rendering mode 3): the
 * page still looks like its image, but its text can be selected, searched and
 * extracted where the words were read. Each word's baseline and size come from its
 * line (sizing each word by its own box made extracted lines break oddly, NOTES
 * "PDF"), and its width is squeezed to its box. The layer is written in the page
 * model's frame (points, top-left origin of the upright page) through one matrix
 * that maps that frame onto the PDF page's user space, whatever its /Rotate and
 * crop box.
 */
import {
  PDFContentStream,
  PDFPage,
  StandardFonts,
  TextRenderingMode,
  beginText,
  concatTransformationMatrix,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  type PDFDocument,
  type PDFFont,
  type PDFOperator,
} from 'pdf-lib';
import type { Page } from '../../core/page.ts';

export type Matrix = [number, number, number, number, number, number];

/** Share of the line height above the baseline; the page engine's PDF word boxes use the same 0.8/0.2 split. */
const ASCENT = 0.8;

export interface TextFont {
  font: PDFFont;
  encodable: Set<number>;
}

export async function embedTextFont(doc: PDFDocument): Promise<TextFont> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  return { font, encodable: new Set(font.getCharacterSet()) };
}

/** Helvetica carries WinAnsi only; other characters become '?' so the word keeps its place. */
function encodable(text: string, set: Set<number>): string {
  let out = '';
  for (const ch of text) out += set.has(ch.codePointAt(0)!) ? ch : '?';
  return out;
}

/**
 * Maps the upright page frame (x right, y down, points from the top-left corner) to
 * user space for a page shown with `rotate` degrees and crop box [x0, y0, x1, y1].
 */
export function frameToUser(rotate: number, box: { x: number; y: number; width: number; height: number }): Matrix {
  const x0 = box.x;
  const y0 = box.y;
  const x1 = box.x + box.width;
  const y1 = box.y + box.height;
  switch (((rotate % 360) + 360) % 360) {
    case 90:
      return [0, 1, 1, 0, x0, y0];
    case 180:
      return [-1, 0, 0, 1, x1, y0];
    case 270:
      return [0, -1, -1, 0, x1, y1];
    default:
      return [1, 0, 0, -1, x0, y1];
  }
}

/** Appends the invisible words of `page` to `pdfPage`, wrapping its existing content in q/Q first. */
export function addTextLayer(doc: PDFDocument, pdfPage: PDFPage, page: Page, font: TextFont, toUser: Matrix): void {
  if (page.words.length === 0) return;
  const key = pdfPage.node.newFontDictionary(font.font.name, font.font.ref);
  const ops: PDFOperator[] = [pushGraphicsState(), concatTransformationMatrix(...toUser), beginText(), setTextRenderingMode(TextRenderingMode.Invisible), setFontAndSize(key, 1)];
  const lineOf = new Map<number, Page['lines'][number]>();
  for (const line of page.lines) for (const w of line.words) lineOf.set(w, line);
  page.words.forEach((word, i) => {
    const text = encodable(word.text, font.encodable);
    const unit = font.font.widthOfTextAtSize(text, 1);
    if (unit <= 0 || word.box.w <= 0) return;
    const line = lineOf.get(i);
    const size = Math.max(1, line ? line.box.h : word.box.h);
    const top = line ? line.box.y : word.box.y;
    ops.push(setTextMatrix(word.box.w / unit, 0, 0, -size, word.box.x, top + ASCENT * size), showText(font.font.encodeText(text)));
  });
  ops.push(endText(), popGraphicsState());
  const context = doc.context;
  const start = context.register(PDFContentStream.of(context.obj({}), [pushGraphicsState()]));
  const end = context.register(PDFContentStream.of(context.obj({}), [popGraphicsState()]));
  pdfPage.node.wrapContentStreams(start, end);
  pdfPage.pushOperators(...ops);
}
