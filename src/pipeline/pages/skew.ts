/**
 * @module Deskew: a page scanned a few degrees askew is turned straight before OCR,
 * and the words read are mapped back onto the page as it is. Tesseract copes with
 * a small skew but not a larger one (docs/pages.md "Deskew"): the UNLV page turned
 * 3° read at 25 % character errors instead of 7.8 %, turned 5° at 70 %, and the
 * corpus's `pdf-scanned/skew.pdf` (1.9°) at 10 % against 1 % straight; deskewed,
 * all three read as well as the straight page. Under 1° nothing was gained, so such
 * pages are left alone (resampling costs a little: 7.75 → 8.0 % on the UNLV page).
 *
 * The angle is found from the glyphs' bottom edges (text-size.ts), which line up on
 * baselines: the projection of those points across the page is sharpest at the
 * page's skew (a projection profile over ~1 point a glyph instead of every pixel).
 * Coarse steps of 0.5° over ±8°, then 0.05° around the best. The best angle must
 * stand out: its sharpness at least 1.5× the median over all angles (straight and
 * skewed text pages in the corpus: 2.6–6.6×; a page lying on its side: 1.16×).
 */
import sharp from 'sharp';
import type { Glyphs } from './text-size.ts';
import type { RawImage } from './raw-image.ts';

/** Pages skewed less than this are read as they are. */
export const MIN_SKEW_DEG = 1;
const MAX_SKEW_DEG = 8;
const PEAK = 1.5;

function sharpness(glyphs: Glyphs, deg: number, bin: number, width: number, height: number): number {
  const tan = Math.tan((deg * Math.PI) / 180);
  const offset = width * Math.abs(Math.tan((MAX_SKEW_DEG * Math.PI) / 180));
  const bins = new Float64Array(Math.ceil((height + 2 * offset) / bin) + 1);
  for (let i = 0; i < glyphs.bottoms.length; i++) {
    const b = Math.floor((glyphs.bottoms[i]! - glyphs.centres[i]! * tan + offset) / bin);
    if (b >= 0 && b < bins.length) bins[b]!++;
  }
  let sum = 0;
  for (const v of bins) sum += v * v;
  return sum;
}

/**
 * The page's skew in degrees, clockwise positive (text running down to the right),
 * or 0 when there is no clear one.
 */
export function estimateSkew(glyphs: Glyphs, width: number, height: number): number {
  // A quarter of a glyph per bin: baselines stay in one or two bins when aligned.
  const bin = Math.max(1, glyphs.medianHeight / 4);
  let best = 0;
  let bestScore = sharpness(glyphs, 0, bin, width, height);
  const scores: number[] = [];
  for (let deg = -MAX_SKEW_DEG; deg <= MAX_SKEW_DEG; deg += 0.5) {
    const s = sharpness(glyphs, deg, bin, width, height);
    scores.push(s);
    if (s > bestScore) [best, bestScore] = [deg, s];
  }
  const coarse = best;
  for (let deg = coarse - 0.5; deg <= coarse + 0.5; deg += 0.05) {
    const s = sharpness(glyphs, deg, bin, width, height);
    if (s > bestScore) [best, bestScore] = [deg, s];
  }
  // Text lines make one angle stand out; a page without them (on its side, a photo, scattered marks) has a profile
  // that barely changes with the angle, and no skew to correct.
  scores.sort((a, b) => a - b);
  const typical = scores[scores.length >> 1]!;
  return bestScore >= PEAK * typical ? Math.round(best * 100) / 100 : 0;
}

/** The page turned by `-skewDeg` about its centre onto a larger white canvas, so its text lines are level. */
export async function deskew(image: RawImage, skewDeg: number): Promise<RawImage> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).rotate(-skewDeg, {
    background: { r: 255, g: 255, b: 255, alpha: 1 },
  });
  // sharp turns raw one-channel input into sRGB unless told to stay grey.
  if (image.channels === 1) pipeline = pipeline.greyscale();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { ...image, data, width: info.width, height: info.height, channels: info.channels === 3 ? 3 : 1, bilevel: false };
}

export interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * A box read on the deskewed image (`fromW × fromH`) placed on the page as it is
 * (`toW × toH`): its centre turned back by `skewDeg` about the images' common
 * centre; its size kept, since boxes stay upright.
 */
export function unskewBox<T extends PixelBox>(box: T, skewDeg: number, fromW: number, fromH: number, toW: number, toH: number): T {
  const rad = (skewDeg * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const dx = box.x + box.w / 2 - fromW / 2;
  const dy = box.y + box.h / 2 - fromH / 2;
  // Clockwise by skewDeg in image coordinates (y downwards).
  const cx = toW / 2 + dx * cos - dy * sin;
  const cy = toH / 2 + dx * sin + dy * cos;
  return { ...box, x: cx - box.w / 2, y: cy - box.h / 2 };
}
