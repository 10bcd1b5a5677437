/**
 * @module The in-memory bitmap that moves between decoding, OCR and encoding, and
 * the one pixel-limit check every source goes through. A page is decoded, used and
 * dropped before the next one (bounded memory: a 500-page TIFF never has more than
 * one bitmap per worker thread alive).
 */
import { TaskFailure } from '../../core/errors.ts';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA. */
  channels: 1 | 3 | 4;
  dpi: number;
  /** The resolution the file states (scaled with the bitmap), or null: Tesseract then estimates it from the text. */
  declaredDpi: number | null;
  /** Displayed size in points (page model unit). */
  widthPt: number;
  heightPt: number;
  /** The source was 1 bit per pixel (fax, CCITT G3/G4, JBIG2 scans). */
  bilevel: boolean;
}

/** Throws `page_too_large` when a width × height bitmap would pass the limit. */
export function checkPixels(width: number, height: number, maxPixels: number, what: string): void {
  if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) {
    throw new TaskFailure('corrupt_file', `${what} has no valid size`);
  }
  const pixels = width * height;
  if (pixels > maxPixels) {
    throw new TaskFailure(
      'page_too_large',
      `${what} needs ${width}×${height} px (${(pixels / 1e6).toFixed(1)} MP); the limit is ${(maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
}

/** ITU-R BT.601 luma of an RGBA buffer, as one grey byte per pixel. */
export function rgbaToGrey(rgba: Uint8Array | Uint8ClampedArray, pixels: number): Buffer {
  const out = Buffer.allocUnsafe(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    out[i] = (rgba[j]! * 77 + rgba[j + 1]! * 150 + rgba[j + 2]! * 29) >> 8;
  }
  return out;
}

/** Whether a grey bitmap holds only black and white (then it is stored as 1 bit). */
export function isBilevel(grey: Uint8Array): boolean {
  const step = Math.max(1, Math.floor(grey.length / 200_000));
  for (let i = 0; i < grey.length; i += step) {
    const v = grey[i]!;
    if (v !== 0 && v !== 255) return false;
  }
  return true;
}
