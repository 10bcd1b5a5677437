/**
 * @module Prepares a decoded page for OCR, in the page worker: one measure of its
 * glyphs (text-size.ts; ~14 ms a receipt, ~40 ms a 300 dpi A4 scan) decides
 * whether its text is too small for Tesseract (enlarge.ts), where that text is
 * (crop.ts: only the content box is enlarged and read), and whether the page is
 * askew (skew.ts). Most pages need none of it and go on untouched. The decision is
 * handed back with the page, so that a second reading of it (capture/second-reading.ts)
 * applies the same one without measuring the glyphs again.
 */
import { contentBox, cropRaw, scaleBox, type CropBox } from './crop.ts';
import { enlarge, enlargeFactor, reduceFactor } from './enlarge.ts';
import type { OcrCrop } from './protocol.ts';
import { checkPixels, type RawImage } from './raw-image.ts';
import { released } from './release.ts';
import { deskew, estimateSkew, MIN_SKEW_DEG } from './skew.ts';
import { findGlyphs } from './text-size.ts';

/** What a page needs before OCR, decided once from its glyphs: enlarged by `factor` (1 = not) and cut to `box`, turned
 * straight by `deg` (under MIN_SKEW_DEG = not). */
export interface Preparation {
  factor: number;
  box: CropBox | null;
  deg: number;
}

export interface PrepareOptions {
  enlargeSmallText: boolean;
  /** Reduce pages whose text is far larger than Tesseract needs (enlarge.ts `reduceFactor`). */
  reduceLargeText?: boolean;
  deskew: boolean;
  /** The page's preparation decided by an earlier reading of it: the glyphs are not measured again. */
  decided?: Preparation;
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
  /** What was decided for the page (absent when nothing was asked: RGBA pages, enlarging and deskew both off). */
  decided?: Preparation;
  /** Milliseconds spent measuring the glyphs, cropping and enlarging, and turning straight (bench/ocr's stage shares). */
  ms?: { enlarge: number; deskew: number };
}

/** The page enlarged by `factor`, cut to `box` (measured on `decoded`) when one is given. */
async function enlarged(decoded: RawImage, factor: number, box: CropBox | null, options: PrepareOptions): Promise<Prepared> {
  // A PDF page is drawn again only to enlarge it: reducing the bitmap drawn is cheaper than drawing it again.
  if (!options.rerender || factor < 1) {
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

/** The preparation the page's glyphs call for; nothing when too few glyph-shaped components say anything. */
export function decidePreparation(decoded: RawImage, options: PrepareOptions): Preparation {
  const glyphs = decoded.channels === 4 ? null : findGlyphs(decoded.data, decoded.width, decoded.height, decoded.channels);
  if (!glyphs) return { factor: 1, box: null, deg: 0 };
  const larger = options.enlargeSmallText ? enlargeFactor(glyphs.medianHeight, decoded.dpi, decoded.width, decoded.height, options.maxPixels) : 1;
  // A 1-bit page (fax, G4 scan) is not reduced: resampled it turns grey, 8× the bytes to hand on and a page Tesseract
  // must threshold again, where 1 bit it reads as it is (docs/pages.md "How a file is read"); not measured on faxes.
  const factor = larger === 1 && options.reduceLargeText && !decoded.bilevel ? reduceFactor(glyphs.medianHeight) : larger;
  // The angle does not change with the scale or the crop, so the glyphs measured before serve.
  const deg = options.deskew ? estimateSkew(glyphs, decoded.width, decoded.height) : 0;
  return { factor, box: factor !== 1 ? contentBox(glyphs, decoded.width, decoded.height) : null, deg };
}

export async function prepareForOcr(decoded: RawImage, options: PrepareOptions): Promise<Prepared> {
  if (decoded.channels === 4 || (!options.enlargeSmallText && !options.reduceLargeText && !options.deskew)) return { image: decoded };
  const t0 = performance.now();
  const decided = options.decided ?? decidePreparation(decoded, options);
  const { factor, box, deg } = decided;
  const prepared: Prepared = factor !== 1 ? await enlarged(decoded, factor, box, options) : { image: decoded };
  const t1 = performance.now();
  const ms = { enlarge: t1 - t0, deskew: 0 };
  if (Math.abs(deg) < MIN_SKEW_DEG) return { ...prepared, decided, ms };
  const { image } = prepared;
  const rad = (Math.abs(deg) * Math.PI) / 180;
  const grownW = Math.ceil(image.width * Math.cos(rad) + image.height * Math.sin(rad));
  const grownH = Math.ceil(image.width * Math.sin(rad) + image.height * Math.cos(rad));
  try {
    checkPixels(grownW, grownH, options.maxPixels, 'the deskewed page');
  } catch {
    return { ...prepared, decided, ms: { ...ms, deskew: performance.now() - t1 } };
  }
  const straight = await deskew(image, deg);
  return { ...prepared, image: straight, skew: { deg, width: image.width, height: image.height }, decided, ms: { ...ms, deskew: performance.now() - t1 } };
}
