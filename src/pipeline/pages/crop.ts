/**
 * @module Finds the part of a page that holds its text, so that a page enlarged for
 * small text (enlarge.ts) is enlarged, and read by Tesseract, only there. The
 * SROIE receipts are a narrow slip on a wide scan scattered with specks: on 5 of
 * the 7 enlarged receipts of bench/ocr the content box is 14–19 % of the image
 * (docs/pages.md "Small text"), and both the Lanczos resampling (~290 ms for a whole
 * receipt at 2.4× here) and Tesseract's thresholding and layout analysis cost in
 * proportion to the pixels.
 *
 * What counts as content: glyph-shaped components with another within 2.5 glyph
 * heights (text, in any direction: FUNSD forms carry numbers printed sideways; a
 * lone speck has no neighbour), and every component too large to be a
 * glyph (rules, frames, logos, headings: text-size.ts `large`). The box is padded by
 * two glyph heights, and kept only when it saves at least a fifth of the pixels; a
 * page with specks everywhere, or a dark scanner edge, simply keeps its full size.
 */
import type { RawImage } from './raw-image.ts';
import type { Glyphs } from './text-size.ts';

export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Neighbours a glyph needs to count as text: one, so that a two-digit page number counts. Two cut small marks off 4
 * of the 12 FUNSD forms and saved nothing on the receipts (the same boxes).
 */
const MIN_NEIGHBOURS = 1;
/** Neighbours' centres are within this many glyph heights, in any direction (text printed sideways counts). */
const REACH = 2.5;
/** Margin kept around the text, in glyph heights: Tesseract reads poorly a line that touches the image edge. */
const PAD = 2;
/** A crop that keeps more than this share of the pixels is not worth a copy. */
const MAX_KEPT = 0.8;

/** Indices of the glyphs with enough neighbours close by (a grid of REACH-sized cells: each glyph looks at 9 cells). */
function textGlyphs(g: Glyphs): number[] {
  const reach = REACH * g.medianHeight;
  const n = g.bottoms.length;
  const cx = (i: number): number => g.centres[i]!;
  const cy = (i: number): number => (g.tops[i]! + g.bottoms[i]!) / 2;
  const cells = new Map<number, number[]>();
  // Cell keys: column and row packed into one number; pages stay far below 2^20 cells a side.
  const key = (col: number, row: number): number => col * 1_048_576 + row;
  for (let i = 0; i < n; i++) {
    const k = key(Math.floor(cx(i) / reach), Math.floor(cy(i) / reach));
    const cell = cells.get(k);
    if (cell) cell.push(i);
    else cells.set(k, [i]);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const col = Math.floor(cx(i) / reach);
    const row = Math.floor(cy(i) / reach);
    let found = 0;
    for (let dc = -1; dc <= 1 && found < MIN_NEIGHBOURS; dc++) {
      for (let dr = -1; dr <= 1 && found < MIN_NEIGHBOURS; dr++) {
        for (const j of cells.get(key(col + dc, row + dr)) ?? []) {
          if (j !== i && Math.abs(cx(j) - cx(i)) <= reach && Math.abs(cy(j) - cy(i)) <= reach) found++;
        }
      }
    }
    if (found >= MIN_NEIGHBOURS) out.push(i);
  }
  return out;
}

/** The padded box around a page's content, in the page's pixels, or null when cropping would not pay. */
export function contentBox(g: Glyphs, width: number, height: number): CropBox | null {
  const text = textGlyphs(g);
  if (text.length === 0) return null;
  let left = g.large?.left ?? Infinity;
  let top = g.large?.top ?? Infinity;
  let right = g.large?.right ?? -Infinity;
  let bottom = g.large?.bottom ?? -Infinity;
  for (const i of text) {
    left = Math.min(left, g.lefts[i]!);
    top = Math.min(top, g.tops[i]!);
    right = Math.max(right, g.rights[i]!);
    bottom = Math.max(bottom, g.bottoms[i]!);
  }
  const pad = PAD * g.medianHeight;
  const x = Math.max(0, Math.floor(left - pad));
  const y = Math.max(0, Math.floor(top - pad));
  const box = { x, y, width: Math.min(width, Math.ceil(right + pad)) - x, height: Math.min(height, Math.ceil(bottom + pad)) - y };
  return box.width * box.height <= MAX_KEPT * width * height ? box : null;
}

/** The part of a grey or RGB bitmap inside `box` (a copy, row by row). */
export function cropRaw(image: RawImage, box: CropBox): RawImage {
  const ch = image.channels;
  const data = Buffer.allocUnsafe(box.width * box.height * ch);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * image.width + box.x) * ch;
    image.data.copy(data, y * box.width * ch, from, from + box.width * ch);
  }
  return { ...image, data, width: box.width, height: box.height };
}

/** `box` measured on a `fromWidth`-wide bitmap, on the same page drawn `toWidth × toHeight` (whole pixels, inside it). */
export function scaleBox(box: CropBox, fromWidth: number, toWidth: number, toHeight: number): CropBox {
  const s = toWidth / fromWidth;
  const x = Math.min(toWidth - 1, Math.floor(box.x * s));
  const y = Math.min(toHeight - 1, Math.floor(box.y * s));
  return { x, y, width: Math.min(toWidth, Math.ceil((box.x + box.width) * s)) - x, height: Math.min(toHeight, Math.ceil((box.y + box.height) * s)) - y };
}
