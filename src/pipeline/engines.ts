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
  /** Told, once the engines start, on what the line reader runs, or why it cannot (ocr/line-runtime.ts). Without it
   * the reader opens on the first page that needs it. */
  log?: (level: 'info' | 'warn', message: string) => void;
}

export async function createEngines(options: EngineOptions = {}): Promise<Engines> {
  const pages = createPageEngine({ threads: options.threads, ocr: options.ocr, log: options.log });
  // Opened at start so that the log says at once whether it runs natively; the reader thread lets the model go after
  // a minute idle, and opens it again for the next page that needs it.
  if (options.log) void pages.lineReader();
  return {
    pages,
    barcodes: createBarcodeReader((filePath, page, dpi) => pages.renderPageImage(filePath, 'pdf', page, { dpi, format: 'png' })),
    async close() {
      await pages.close();
    },
  };
}
