/**
 * @module Prepares a decoded page for OCR, in the page worker: one measure of its
 * glyphs (text-size.ts; ~14 ms a receipt, ~40 ms a 300 dpi A4 scan) decides both
 * whether its text is too small for Tesseract (enlarge.ts) and whether it is
 * askew (skew.ts). Most pages need neither and go on untouched.
 */
import { enlarge, enlargeFactor } from './enlarge.ts';
import { checkPixels, type RawImage } from './raw-image.ts';
import { deskew, estimateSkew, MIN_SKEW_DEG } from './skew.ts';
import { findGlyphs } from './text-size.ts';

export interface PrepareOptions {
  enlargeSmallText: boolean;
  deskew: boolean;
  maxPixels: number;
  /** Draws the page again at another resolution (PDF pages: sharper than resampling); absent for image files. */
  rerender?: (dpi: number) => Promise<RawImage>;
}

export interface Prepared {
  image: RawImage;
  /** Set when the page was turned straight: the angle and the page's pixel size before, to map words back. */
  skew?: { deg: number; width: number; height: number };
}

export async function prepareForOcr(decoded: RawImage, options: PrepareOptions): Promise<Prepared> {
  if (decoded.channels === 4 || (!options.enlargeSmallText && !options.deskew)) return { image: decoded };
  const glyphs = findGlyphs(decoded.data, decoded.width, decoded.height, decoded.channels);
  if (!glyphs) return { image: decoded };
  let image = decoded;
  if (options.enlargeSmallText) {
    const factor = enlargeFactor(glyphs.medianHeight, image.dpi, image.width, image.height, options.maxPixels);
    if (factor !== 1) image = options.rerender ? await options.rerender(image.dpi * factor) : await enlarge(image, factor);
  }
  // The angle does not change with the scale, so the glyphs measured before enlarging serve.
  const deg = options.deskew ? estimateSkew(glyphs, decoded.width, decoded.height) : 0;
  if (Math.abs(deg) < MIN_SKEW_DEG) return { image };
  const rad = (Math.abs(deg) * Math.PI) / 180;
  const grownW = Math.ceil(image.width * Math.cos(rad) + image.height * Math.sin(rad));
  const grownH = Math.ceil(image.width * Math.sin(rad) + image.height * Math.cos(rad));
  try {
    checkPixels(grownW, grownH, options.maxPixels, 'the deskewed page');
  } catch {
    return { image };
  }
  return { image: await deskew(image, deg), skew: { deg, width: image.width, height: image.height } };
}
