/**
 * @module The page engine's port (docs/architecture.md#stages: pages, and the searchable-PDF half
 * of 8). Stages, the export outputs and the portal reach it as `ctx.engines.pages`,
 * never by importing the modules behind it, so a deployment can swap the OCR engine
 * or the pool without touching a stage.
 */
import type { Page } from '../../core/page.ts';
import type { EncodedPage } from '../../core/page-set.ts';
import type { Thresholding } from '../ocr/types.ts';
import type { ReaderInfo } from '../ocr/line-runtime.ts';
import type { LineReading } from '../../core/project/model.ts';
import type { FileType, Limits } from '../types.ts';
import type { PdfAttachment } from './protocol.ts';

export type { PdfAttachment } from './protocol.ts';

export type { OcrChoice } from '../ocr/select.ts';

export interface RenderImageOptions {
  dpi: number;
  format: 'png' | 'jpeg';
  /** Defaults to the engine's limit (100 MP unless configured). */
  maxPixels?: number;
}

export interface SearchablePdfInput {
  filePath: string;
  fileType: FileType;
  /** The pages of `first..last` as the pages stage produced them (the task's stored pages). */
  pages: Page[];
  /** First and last 0-based page index of the range, inclusive. */
  first: number;
  last: number;
}

export interface ReadPagesInput {
  filePath: string;
  fileType: FileType;
  limits: Limits;
  signal: AbortSignal;
  /** Which OCR lines the line reader reads again (the project's `ocr.line_reading`); the engine's default if absent. */
  lineReading?: LineReading;
  /** The languages OCR reads in (the project's `ocr.languages`); English if absent. */
  languages?: readonly string[];
}

export interface PageEngine {
  /** Every page of the file with words and lines; OCR where the text layer is unusable. Throws `TaskFailure`. */
  readPages(input: ReadPagesInput): Promise<Page[]>;
  /** The same pages, encoded for storage, handed to `onPage` as each is read, in any order, none kept; resolves to the page count. Throws `TaskFailure`. */
  streamPages(input: ReadPagesInput, onPage: (page: EncodedPage) => void | Promise<void>): Promise<number>;
  /** Page `index` read by OCR again, with the given thresholding (a second reading). Throws `TaskFailure`. */
  rereadPage(input: ReadPagesInput, index: number, thresholding: Thresholding): Promise<Page>;
  /** One page as PNG or JPEG at `dpi` (portal images use 100–150). Throws `TaskFailure`. */
  renderPageImage(filePath: string, fileType: FileType, pageIndex: number, options: RenderImageOptions): Promise<Buffer>;
  /** A PDF of pages `first..last`: born-digital pages copied untouched, scanned ones as image + invisible text. */
  buildSearchablePdf(input: SearchablePdfInput): Promise<Uint8Array>;
  /** The files attached to a PDF under one of `names` (case-insensitive), for e-invoice XML (pdf-attachments.ts). Throws `TaskFailure`. */
  attachments(filePath: string, names: readonly string[], maxBytes: number): Promise<PdfAttachment[]>;
  /** Opens the line reader if it is not open and says on what it runs, or why it cannot (`runtime: null`). */
  lineReader(): Promise<ReaderInfo>;
  /** The OCR engine in use after automatic selection. */
  readonly ocrEngine: 'native' | 'tesseract.js';
  close(): Promise<void>;
}
