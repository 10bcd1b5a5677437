/**
 * @module Prepares a decoded page for OCR, in the page worker: one measure of its
 * glyphs (text-size.ts; ~14 ms a receipt, ~40 ms a 300 dpi A4 scan) decides
 * whether its text is too small for Tesseract (enlarge.ts), where that text is
 * (crop.ts: only the content box is enlarged and read), and whether the page is
 * askew (skew.ts). Most pages need none of it and go on untouched.
 */
import { contentBox, cropRaw, scaleBox } from './crop.ts';
import { enlarge, enlargeFactor } from './enlarge.ts';
import type { OcrCrop } from './protocol.ts';
import { checkPixels, type RawImage } from './raw-image.ts';
import { released } from './release.ts';
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
  /** Set when only part of the page was kept: where, to map words back (pixels at the image's resolution). */
  crop?: OcrCrop;
  /** Set when the page was turned straight: the angle and the page's pixel size before, to map words back. */
  skew?: { deg: number; width: number; height: number };
  /** Milliseconds spent measuring the glyphs, cropping and enlarging, and turning straight (bench/ocr's stage shares). */
  ms?: { enlarge: number; deskew: number };
}

/** The page enlarged by `factor`, cut to `box` (measured on `decoded`) when one is given. */
async function enlarged(decoded: RawImage, factor: number, box: ReturnType<typeof contentBox>, options: PrepareOptions): Promise<Prepared> {
  if (!options.rerender) {
    const image = await enlarge(decoded, factor, box ?? undefined);
    if (!box) return { image };
    const crop = { x: box.x * factor, y: box.y * factor, width: image.width, height: image.height, fullWidth: decoded.width * factor, fullHeight: decoded.height * factor };
    return { image, crop };
  }
  const full = await options.rerender(decoded.dpi * factor);
  if (!box) return { image: full };
  const scaled = scaleBox(box, decoded.width, full.width, full.height);
  const image = cropRaw(full, scaled);
  // The whole page drawn again (up to ~35 MB of grey for A4 at 600 dpi) is garbage now: count it towards a collection.
  released(full.data.byteLength);
  return { image, crop: { ...scaled, fullWidth: full.width, fullHeight: full.height } };
}

export async function prepareForOcr(decoded: RawImage, options: PrepareOptions): Promise<Prepared> {
  if (decoded.channels === 4 || (!options.enlargeSmallText && !options.deskew)) return { image: decoded };
  const t0 = performance.now();
  const glyphs = findGlyphs(decoded.data, decoded.width, decoded.height, decoded.channels);
  if (!glyphs) return { image: decoded, ms: { enlarge: performance.now() - t0, deskew: 0 } };
  let prepared: Prepared = { image: decoded };
  if (options.enlargeSmallText) {
    const factor = enlargeFactor(glyphs.medianHeight, decoded.dpi, decoded.width, decoded.height, options.maxPixels);
    if (factor !== 1) prepared = await enlarged(decoded, factor, contentBox(glyphs, decoded.width, decoded.height), options);
  }
  const t1 = performance.now();
  const ms = { enlarge: t1 - t0, deskew: 0 };
  // The angle does not change with the scale or the crop, so the glyphs measured before serve.
  const deg = options.deskew ? estimateSkew(glyphs, decoded.width, decoded.height) : 0;
  if (Math.abs(deg) < MIN_SKEW_DEG) return { ...prepared, ms: { ...ms, deskew: performance.now() - t1 } };
  const { image } = prepared;
  const rad = (Math.abs(deg) * Math.PI) / 180;
  const grownW = Math.ceil(image.width * Math.cos(rad) + image.height * Math.sin(rad));
  const grownH = Math.ceil(image.width * Math.sin(rad) + image.height * Math.cos(rad));
  try {
    checkPixels(grownW, grownH, options.maxPixels, 'the deskewed page');
  } catch {
    return { ...prepared, ms: { ...ms, deskew: performance.now() - t1 } };
  }
  const straight = await deskew(image, deg);
  return { ...prepared, image: straight, skew: { deg, width: image.width, height: image.height }, ms: { ...ms, deskew: performance.now() - t1 } };
}
