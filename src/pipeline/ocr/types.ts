/**
 * @module The OCR port: one interface, two engines (the native `tesseract` CLI and
 * tesseract.js), chosen at start (select.ts). Engines take a greyscale bitmap and
 * give words with pixel boxes, a 0..1 confidence and a line key, so the page engine
 * builds the same page model from either.
 */

export interface OcrImage {
  /** 8 bits a sample, row-major, no padding: grey (1 channel) or RGB (3). */
  data: Uint8Array;
  channels: 1 | 3;
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

export interface OcrEngine {
  readonly name: 'native' | 'tesseract.js';
  /** Rejects with a `TaskFailure('page_timeout')` past `timeoutMs`, or with the signal's reason when aborted. */
  recognize(image: OcrImage, options: { timeoutMs: number; signal: AbortSignal }): Promise<OcrWord[]>;
  close(): Promise<void>;
}

/** A binary PNM (P5 grey, P6 RGB) header + pixels: the cheapest format both engines' Leptonica reads. */
export function toPgm(image: OcrImage): Buffer {
  const header = Buffer.from(`${image.channels === 3 ? 'P6' : 'P5'}\n${image.width} ${image.height}\n255\n`, 'latin1');
  return Buffer.concat([header, image.data]);
}
