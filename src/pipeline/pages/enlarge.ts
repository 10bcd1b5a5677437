/**
 * @module Enlarges a page whose text is too small for Tesseract before it is read.
 * Tesseract's accuracy "drops off below 10pt × 300 dpi, rapidly below 8pt" (its
 * ImproveQuality guide): glyphs under ~16 px. The decision is the page's own: the
 * median glyph height measured on the bitmap (text-size.ts), not the file's stated
 * resolution, which for photos and JPEGs is a placeholder (72 dpi on 24 of the 30
 * SROIE receipts).
 *
 * Measured with the native engine (docs/pages.md "Small text"): glyphs under 16 px
 * brought to 24 px took the SROIE receipts from 14.4 % to 11.3 % character errors
 * (word recall 71.8 → 74.9 %), and the ~100 dpi FUNSD forms from 41 % to 64 % of
 * their words read; target 30 px was no better, enlarging every page 2× was worse.
 * Only the page's content box is enlarged (crop.ts), and to 20 px: with the crop,
 * 20 px read the 30 receipts at 11.6 % against 11.5 % for 24 px, with 12 % fewer
 * pixels (Tesseract's CPU time on the bench's 10 receipts: 5.01 s against 5.25 s,
 * medians of 5), and bench/ocr went from 0.80–0.87 of the CLI's speed to 0.92.
 *
 * Text far larger than that is brought down to the same 20 px (`reduceFactor`): a
 * 300 dpi scan of a receipt or a large-type page costs Tesseract time in proportion
 * to its pixels and reads no better for them. On the 32 SROIE receipts (of the first
 * 124) whose median glyph is above 22 px (23–32 px), read by the CLI one at a time,
 * reduced to 20 px they took 14.1 s of CPU against 17.0 s as they were, at a mean
 * character error of 16.6 % against 17.8 % (lower on 24 of the 32); reduced to
 * 24 px they saved less and read no better than as they were. But with the line
 * reader after Tesseract (it reads the bitmap Tesseract read), reducing every page
 * over 22 px lost 3 receipt fields on the dev half (F1 0.733 → 0.722), over 24–28 px
 * 2 (0.726), over 30 px none (0.733): only text over 30 px is reduced.
 */
import sharp from 'sharp';
import type { CropBox } from './crop.ts';
import type { RawImage } from './raw-image.ts';

/** Median glyph height below which a page is enlarged, and the height it is brought to. */
export const SMALL_GLYPH_PX = 16;
export const TARGET_GLYPH_PX = 20;
/** Median glyph height above which a page is reduced to `TARGET_GLYPH_PX`. */
export const LARGE_GLYPH_PX = 30;
/** A page is not reduced below half its size (a 40 px glyph to 20 px). */
const MIN_REDUCE = 0.5;
/** Beyond 4× an image has too little detail left to recover; beyond 600 dpi nothing is gained. */
const MAX_FACTOR = 4;
const MAX_DPI = 600;
/** Factors this close to 1 are not worth a resampling. */
const MIN_FACTOR = 1.15;

/**
 * The factor to enlarge a page by (1 = leave it): the median glyph height brought to
 * `TARGET_GLYPH_PX`, without passing 4×, 600 dpi or the pixel limit.
 */
export function enlargeFactor(glyphPx: number | null, dpi: number, width: number, height: number, maxPixels: number): number {
  if (glyphPx === null || glyphPx >= SMALL_GLYPH_PX) return 1;
  let factor = Math.min(MAX_FACTOR, TARGET_GLYPH_PX / glyphPx, MAX_DPI / dpi, Math.sqrt(maxPixels / (width * height)));
  factor = Math.floor(factor * 100) / 100;
  return factor >= MIN_FACTOR ? factor : 1;
}

/** The factor to reduce a page by (1 = leave it): a median glyph over `LARGE_GLYPH_PX` brought to `TARGET_GLYPH_PX`, no
 * lower than half. */
export function reduceFactor(glyphPx: number | null): number {
  if (glyphPx === null || glyphPx <= LARGE_GLYPH_PX) return 1;
  return Math.max(MIN_REDUCE, Math.floor((TARGET_GLYPH_PX / glyphPx) * 100) / 100);
}

/**
 * The page, or its `box` when given, resampled by `factor` (Lanczos 3); resolutions scale with it, the page's size in
 * points does not.
 */
export async function enlarge(image: RawImage, factor: number, box?: CropBox): Promise<RawImage> {
  if (factor === 1 && !box) return image;
  const area = box ?? { x: 0, y: 0, width: image.width, height: image.height };
  const width = Math.round(area.width * factor);
  const height = Math.round(area.height * factor);
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (box) pipeline = pipeline.extract({ left: box.x, top: box.y, width: box.width, height: box.height });
  pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  // sharp turns raw one-channel input into sRGB unless told to stay grey.
  if (image.channels === 1) pipeline = pipeline.greyscale();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    ...image,
    data,
    width: info.width,
    height: info.height,
    channels: info.channels === 3 ? 3 : 1,
    dpi: image.dpi * factor,
    declaredDpi: image.declaredDpi === null ? null : image.declaredDpi * factor,
    bilevel: false,
  };
}
