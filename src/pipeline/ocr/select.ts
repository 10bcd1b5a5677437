/**
 * @module Chooses the OCR engine once per process. `auto` (the default) takes the
 * native `tesseract` CLI when it is on PATH (2× faster here: 0.62 s vs 1.2 s a page
 * on two cores, NOTES "OCR") and tesseract.js otherwise, so the service works with
 * nothing installed. `native` insists on the CLI; `tesseract.js` never uses it.
 */
import { createNativeOcr, nativeAvailable } from './native.ts';
import { createTesseractJsOcr } from './tesseract-js.ts';
import type { OcrEngine } from './types.ts';

export type OcrChoice = 'auto' | 'native' | 'tesseract.js';

export interface OcrOptions {
  choice: OcrChoice;
  concurrency: number;
  /** The CLI to run; `tesseract` on PATH by default. */
  binary?: string;
  /** How long an idle Tesseract process is kept (native.ts); its default when not given. */
  idleMs?: number;
}

export function createOcrEngine(options: OcrOptions): OcrEngine {
  const binary = options.binary ?? 'tesseract';
  if (options.choice === 'tesseract.js') return createTesseractJsOcr({ concurrency: options.concurrency });
  const native = nativeAvailable(binary);
  if (options.choice === 'native' && !native) {
    throw new Error(`OCR engine "native" was asked for but "${binary}" does not run; install tesseract-ocr or choose "auto"`);
  }
  if (native) return createNativeOcr({ binary, concurrency: options.concurrency, idleMs: options.idleMs });
  return createTesseractJsOcr({ concurrency: options.concurrency });
}
