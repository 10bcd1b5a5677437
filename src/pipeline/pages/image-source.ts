/**
 * @module Decodes TIFF, JPEG and PNG pages with sharp (libvips + libtiff): multi-page
 * files, CCITT G3/G4, FillOrder=2, old-style JPEG, Deflate, BigTIFF (all in the
 * corpus). Every page is oriented by its Orientation tag, flattened onto white (alpha
 * channels), and given a resolution: a missing or placeholder one (≤ 72 dpi, the
 * JFIF and PNG default) is estimated from the pixel size as if the longer side were
 * 11 inches (a Letter/A4 page), which gives 300 dpi for a 2550×3300 scan (core/page.ts).
 * `limitInputPixels` makes libvips refuse a page over the pixel limit before decoding.
 */
import sharp from 'sharp';
import { effectiveDpi } from '../../core/page.ts';
import { TaskFailure } from '../../core/errors.ts';
import { checkPixels, isBilevel, type RawImage } from './raw-image.ts';
import { readOldJpeg } from './tiff-ojpeg.ts';

export function imageFailure(err: unknown, what: string): TaskFailure {
  if (err instanceof TaskFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return new TaskFailure('page_too_large', `${what}: ${message}`);
  return new TaskFailure('corrupt_file', `${what} could not be read: ${message}`);
}

export async function imagePageCount(filePath: string): Promise<number> {
  try {
    const meta = await sharp(filePath, { limitInputPixels: false }).metadata();
    return meta.pages ?? 1;
  } catch (err) {
    throw imageFailure(err, 'the image');
  }
}

export interface DecodeOptions {
  /** Output resolution; null keeps the page's own, capped at `maxDpi`. */
  dpi: number | null;
  maxDpi: number;
  maxPixels: number;
  colour: boolean;
}

async function decodeSource(source: string | Buffer, page: number, options: DecodeOptions, density: number | undefined): Promise<RawImage> {
  const what = `page ${page + 1}`;
  const input = { page, limitInputPixels: options.maxPixels, failOn: 'error' } as const;
  const meta = await sharp(source, input).metadata();
  const srcW = meta.width ?? 0;
  const srcH = meta.pageHeight ?? meta.height ?? 0;
  checkPixels(srcW, srcH, options.maxPixels, what);
  const swap = (meta.orientation ?? 1) >= 5;
  const w = swap ? srcH : srcW;
  const h = swap ? srcW : srcH;
  const declared = density ?? meta.density ?? null;
  const dpi = effectiveDpi(declared ?? undefined, w, h);
  const target = options.dpi ?? Math.min(dpi, options.maxDpi);
  const scale = target / dpi;
  let pipeline = sharp(source, input).autoOrient().flatten({ background: '#ffffff' });
  const outW = Math.max(1, Math.round(w * scale));
  const outH = Math.max(1, Math.round(h * scale));
  checkPixels(outW, outH, options.maxPixels, `${what} at ${Math.round(target)} dpi`);
  if (outW !== w || outH !== h) pipeline = pipeline.resize(outW, outH, { fit: 'fill' });
  const colour = options.colour && (meta.channels ?? 1) >= 3;
  pipeline = colour ? pipeline.removeAlpha().toColourspace('srgb') : pipeline.greyscale();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels === 3 ? 3 : 1,
    dpi: target,
    declaredDpi: declared === null ? null : declared * scale,
    widthPt: (w * 72) / dpi,
    heightPt: (h * 72) / dpi,
    bilevel: info.channels === 1 && isBilevel(data),
  };
}

export async function decodeImagePage(filePath: string, index: number, options: DecodeOptions): Promise<RawImage> {
  const what = `page ${index + 1}`;
  try {
    return await decodeSource(filePath, index, options, undefined);
  } catch (err) {
    if (err instanceof Error && /old-style jpeg/i.test(err.message)) {
      const jpeg = await readOldJpeg(filePath, index).catch(() => null);
      if (jpeg) {
        const density = (await sharp(filePath, { page: index }).metadata().catch(() => null))?.density;
        try {
          return await decodeSource(jpeg, 0, options, density);
        } catch (inner) {
          throw imageFailure(inner, what);
        }
      }
    }
    throw imageFailure(err, what);
  }
}
