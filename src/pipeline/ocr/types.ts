/**
 * @module The OCR port: one interface, two engines (the native `tesseract` CLI and
 * tesseract.js), chosen at start (select.ts). Engines take a greyscale bitmap and
 * give words with pixel boxes, a 0..1 confidence and a line key, so the page engine
 * builds the same page model from either.
 */

export interface OcrImage {
  /** 8 bits a sample, row-major, no padding: grey (1 channel) or RGB (3); or with `bits: 1`, one channel packed
   * 8 pixels a byte, rows padded to whole bytes, 1 = black (PBM). */
  data: Uint8Array;
  channels: 1 | 3;
  /** 8 unless the page is black and white and packed (then Tesseract skips thresholding). */
  bits?: 1 | 8;
  width: number;
  height: number;
  /** The resolution the page model's points are computed with. */
  dpi: number;
  /** The resolution told to Tesseract: the file's own, or null to let it estimate from the text (a guess was worse:
   * SROIE receipt 045 read at 15.7 % character errors with 139 dpi guessed, 8.8 % with its stated 72). */
  declaredDpi: number | null;
}

export interface OcrWord {
  text: string;
  /** Pixels, top-left origin of the image. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** 0..1. */
  confidence: number;
  /** Words sharing a key are on one line; keys follow reading order. */
  line: string;
}

/**
 * How Tesseract turns the grey page into black and white. `global` is its default
 * (Otsu over the whole page). `adaptive` is Sauvola's local threshold (Tesseract's
 * `thresholding_method 2`, `thresholding_kfactor 0.1`: the lower k, the fainter the
 * print kept): it keeps faint print next to dark print — SROIE receipt 164's date,
 * printed lighter, is lost with `global` (and with k 0.2 or 0.34) and read with
 * `adaptive` — but used for every page it read the 30 SROIE receipts worse (F1 0.761
 * with k 0.1, 0.780 with k 0.2, against 0.783), so it makes only the second reading
 * (capture/second-reading.ts).
 */
export type Thresholding = 'global' | 'adaptive';

export interface RecognizeOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** `global` unless given. */
  thresholding?: Thresholding;
  /** Tesseract language codes, the main one first (the project's `ocr.languages`); English unless given. */
  languages?: readonly string[];
}

/** Tesseract parameters for a thresholding choice. */
export function thresholdingParameters(t: Thresholding | undefined): Record<string, string> {
  return t === 'adaptive' ? { thresholding_method: '2', thresholding_kfactor: '0.1' } : { thresholding_method: '0' };
}

export interface OcrEngine {
  readonly name: 'native' | 'tesseract.js';
  /** Rejects with a `TaskFailure('page_timeout')` past `timeoutMs`, or with the signal's reason when aborted. */
  recognize(image: OcrImage, options: RecognizeOptions): Promise<OcrWord[]>;
  close(): Promise<void>;
}

/** The header of a binary PNM (P4 1-bit, P5 grey, P6 RGB): the cheapest format both engines' Leptonica reads. */
export function pnmHeader(image: OcrImage): Buffer {
  if (image.bits === 1) return Buffer.from(`P4\n${image.width} ${image.height}\n`, 'latin1');
  return Buffer.from(`${image.channels === 3 ? 'P6' : 'P5'}\n${image.width} ${image.height}\n255\n`, 'latin1');
}

/** The image with 8 bits a sample (a packed 1-bit page unpacked to 0/255 grey). */
export function eightBit(image: OcrImage): OcrImage {
  if (image.bits !== 1) return image;
  const stride = Math.ceil(image.width / 8);
  const grey = Buffer.alloc(image.width * image.height, 255);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[y * stride + (x >> 3)]! & (0x80 >> (x & 7))) grey[y * image.width + x] = 0;
    }
  }
  return { ...image, data: grey, channels: 1, bits: 8 };
}

/** The page as one binary PNM buffer (header + pixels). */
export function toPgm(image: OcrImage): Buffer {
  return Buffer.concat([pnmHeader(image), image.data]);
}
