/**
 * @module Builds the engines the stages use (OCR pools, PDF renderer, classifier
 * caches) once per process. The CLI calls `createEngines` with the configuration and
 * closes the result on shutdown; tests build their own the same way.
 */
import type { Engines } from './types.ts';
import { createPageEngine } from './pages/engine.ts';
import type { OcrChoice } from './ocr/select.ts';
import { createBarcodeReader } from './capture/barcode.ts';

export interface EngineOptions {
  /** Worker threads for CPU-heavy page work; defaults to the core count. */
  threads?: number;
  /** OCR engine: `auto` (native `tesseract` when on PATH, else tesseract.js), `native` or `tesseract.js`. */
  ocr?: OcrChoice;
}

export async function createEngines(options: EngineOptions = {}): Promise<Engines> {
  const pages = createPageEngine({ threads: options.threads, ocr: options.ocr });
  return {
    pages,
    barcodes: createBarcodeReader((filePath, page, dpi) => pages.renderPageImage(filePath, 'pdf', page, { dpi, format: 'png' })),
    async close() {
      await pages.close();
    },
  };
}
