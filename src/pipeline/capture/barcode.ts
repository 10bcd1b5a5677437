/**
 * @module Barcode and patch code reading, for barcode and patch-code separation.
 * Barcodes are decoded by @zxing/library (pure JS, ships its code, no downloads),
 * patch codes by capture/patch-code.ts, both from greyscale pixels. Pages of image
 * files are decoded with sharp here; PDF pages need the page engine's renderer, handed
 * in by `createEngines` as `render` (a stage never imports another engine part).
 * Pages are read at 150 dpi: a Code 39/128 bar at 150 dpi is ≥ 2 px for the usual
 * 0.33 mm module, enough for zxing, and a quarter of the pixels of 300 dpi.
 */
import sharp from 'sharp';
import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import { effectiveDpi } from '../../core/page.ts';
import type { PatchCode } from '../../core/project/model.ts';
import type { FileType } from '../types.ts';
import { decodePatchCodes } from './patch-code.ts';

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Renders a PDF page to an encoded image (PNG or JPEG) at `dpi`: the page engine's `renderPageImage`. */
export type PageRenderer = (filePath: string, page: number, dpi: number) => Promise<Buffer>;

export interface BarcodeEngine {
  /** The texts of the barcodes on a page (empty when none or the page cannot be read). */
  read(filePath: string, fileType: FileType, page: number): Promise<string[]>;
  /** The patch codes on a page (capture/patch-code.ts). */
  patches(filePath: string, fileType: FileType, page: number): Promise<PatchCode[]>;
}

const FORMATS = [BarcodeFormat.CODE_39, BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE, BarcodeFormat.ITF, BarcodeFormat.EAN_13, BarcodeFormat.DATA_MATRIX];
const BARCODE_DPI = 150;

/** Decodes the barcode of a greyscale image; tries the image and its 90° turn. */
export function decodeBarcodes(image: GreyImage): string[] {
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, FORMATS],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  const reader = new MultiFormatReader();
  reader.setHints(hints);
  const lum = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.width * image.height);
  const source = new RGBLuminanceSource(lum, image.width, image.height);
  for (const src of [source, source.isRotateSupported() ? source.rotateCounterClockwise() : null]) {
    if (!src) continue;
    try {
      return [reader.decode(new BinaryBitmap(new HybridBinarizer(src)), hints).getText()];
    } catch {
      // zxing signals "no barcode here" by throwing NotFoundException; try the next orientation.
    }
  }
  return [];
}

/**
 * The page in grey at (at most) 150 dpi, and its resolution: a rendered PDF page is at 150; an image file's own
 * resolution is used when plausible, else estimated as the page engine does (a JPEG's placeholder 72 dpi is not).
 */
async function imagePage(input: string | Buffer, page: number): Promise<GreyImage & { dpi: number }> {
  const meta = await sharp(input, { page, limitInputPixels: 200_000_000 }).metadata();
  const dpi = typeof input === 'string' ? effectiveDpi(meta.density, meta.width ?? 1, meta.pageHeight ?? meta.height ?? 1) : BARCODE_DPI;
  const scale = Math.min(1, BARCODE_DPI / dpi);
  const width = Math.max(1, Math.round((meta.width ?? 1) * scale));
  const { data, info } = await sharp(input, { page, limitInputPixels: 200_000_000 })
    .resize({ width })
    .removeAlpha()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, dpi: dpi * scale };
}

export function createBarcodeReader(render?: PageRenderer): BarcodeEngine {
  async function grey(filePath: string, fileType: FileType, page: number): Promise<(GreyImage & { dpi: number }) | null> {
    if (fileType !== 'pdf') return imagePage(filePath, page);
    return render ? imagePage(await render(filePath, page, BARCODE_DPI), 0) : null;
  }
  return {
    async read(filePath, fileType, page) {
      const image = await grey(filePath, fileType, page);
      return image ? decodeBarcodes(image) : [];
    },
    async patches(filePath, fileType, page) {
      const image = await grey(filePath, fileType, page);
      return image ? decodePatchCodes(image, image.dpi) : [];
    },
  };
}
