/**
 * @module Builds a page of the page model from an OCR reading: words read on a
 * deskewed or cropped image are put back where they are on the page, pixel boxes become
 * points (× 72 / dpi), Tesseract's lines become the page's lines, and a page read
 * turned by 90° or 270° swaps its width and height, since the model describes the
 * page as it reads upright.
 */
import type { Page, Word } from '../../core/page.ts';
import { turnWord, type UprightReading } from '../ocr/upright.ts';
import { linesFromKeys } from './lines.ts';
import type { OcrCrop } from './protocol.ts';
import { unskewBox } from './skew.ts';

/**
 * Words read on a deskewed image (`width × height` px) placed on the page as it is (`skew.width × skew.height`).
 * The small turn and the quarter turns of orientation are both about the centre, so they commute: in the upright
 * frame the same angle applies, with both sizes swapped for a page read turned by 90° or 270°.
 */
export function unskewReading(reading: UprightReading, skew: { deg: number; width: number; height: number }, width: number, height: number): UprightReading {
  const turned = reading.rotation === 90 || reading.rotation === 270;
  const [fromW, fromH] = turned ? [height, width] : [width, height];
  const [toW, toH] = turned ? [skew.height, skew.width] : [skew.width, skew.height];
  return { ...reading, words: reading.words.map((w) => unskewBox(w, skew.deg, fromW, fromH, toW, toH)) };
}

/**
 * Words read on the part of a page kept for OCR placed on the whole page. In the upright frame of a page read turned
 * by `rotation`, the kept part is the crop box turned with the page; its corner there is the offset.
 */
export function uncropReading(reading: UprightReading, crop: OcrCrop): UprightReading {
  const box = { text: '', confidence: 0, line: '', x: crop.x, y: crop.y, w: crop.width, h: crop.height };
  const at = turnWord(box, reading.rotation, crop.fullWidth, crop.fullHeight);
  return { ...reading, words: reading.words.map((w) => ({ ...w, x: w.x + at.x, y: w.y + at.y })) };
}

export function pageFromReading(index: number, reading: UprightReading, widthPt: number, heightPt: number): Page {
  const k = 72 / reading.dpi;
  const words: Word[] = reading.words.map((w) => ({
    text: w.text,
    box: { x: w.x * k, y: w.y * k, w: w.w * k, h: w.h * k },
    confidence: w.confidence,
  }));
  const turned = reading.rotation === 90 || reading.rotation === 270;
  return {
    index,
    width: turned ? heightPt : widthPt,
    height: turned ? widthPt : heightPt,
    dpi: reading.dpi,
    rotation: reading.rotation,
    source: 'ocr',
    words,
    lines: linesFromKeys(words, reading.words.map((w) => w.line)),
    ...(reading.notes && { notes: reading.notes }),
  };
}
