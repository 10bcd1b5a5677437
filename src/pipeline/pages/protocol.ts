/**
 * @module The messages between the page engine and its worker threads. Decoding
 * and rendering hostile files happens in those threads (piscina, with heap limits
 * and a per-page timeout), so a file that exhausts memory or hangs ends one thread,
 * not the process. Workers answer with plain data: class instances and custom error
 * properties do not survive structured cloning, so failures travel as codes.
 */
import type { Rotation } from '../../core/page.ts';
import type { TaskErrorCode } from '../../core/errors.ts';
import type { EncodedPage } from '../../core/page-set.ts';
import type { FileType } from '../types.ts';
import type { TextVerdict } from './text-quality.ts';
import type { LineBox } from '../ocr/line-reader.ts';
import type { ReaderOptions } from '../ocr/line-runtime.ts';
import type { OcrImage } from '../ocr/types.ts';
import type { Preparation } from './prepare.ts';

export interface ProbeTask {
  kind: 'probe';
  filePath: string;
  fileType: FileType;
  /** Passed so the PDF opened for probing is the one later calls on this thread reuse. */
  maxPixels: number;
}

export interface PdfTextTask {
  kind: 'pdfText';
  filePath: string;
  /** 0-based first page and how many to read. */
  first: number;
  count: number;
  maxPixels: number;
}

export interface RasterTask {
  kind: 'raster';
  filePath: string;
  fileType: FileType;
  index: number;
  /** Target resolution; null keeps an image file's own resolution (OCR of scans). */
  dpi: number | null;
  /** Images above this resolution are scaled down to it (e.g. 400 dpi fax → 300). */
  maxDpi: number;
  maxPixels: number;
  /** `grey`: raw 8-bit grey, for OCR; `png`/`jpeg`: encoded for people; `pdf`: the smallest faithful encoding for a searchable PDF. */
  format: 'grey' | 'png' | 'jpeg' | 'pdf';
  /** For OCR: enlarge a page whose text is too small for Tesseract, reduce one whose text is far too large, turn an askew one straight (prepare.ts), as an
   * earlier reading of the page decided when it did (`decided`). */
  ocr?: { enlargeSmallText: boolean; reduceLargeText?: boolean; deskew: boolean; decided?: Preparation };
}

/** Lines of a page read again by the line reader (ocr/line-reader.ts), on the bitmap Tesseract read. */
export interface LinesTask {
  kind: 'lines';
  image: Pick<OcrImage, 'data' | 'channels' | 'bits' | 'width' | 'height'>;
  boxes: LineBox[];
  reader: ReaderOptions;
  /** When (epoch ms) the page's time is up: the thread stops reading its lines there (it is not terminated). */
  deadline?: number;
}

/** Opens the line reader in its thread and says on what it runs (line-runtime.ts `ReaderInfo`). */
export interface ReaderTask {
  kind: 'reader';
  reader: ReaderOptions;
}

/** The files attached to a PDF under these names (pdf-attachments.ts). */
export interface AttachmentsTask {
  kind: 'attachments';
  filePath: string;
  names: string[];
  /** A larger file comes back with its size and no data. */
  maxBytes: number;
  maxPixels: number;
}

export type PageTask = ProbeTask | PdfTextTask | RasterTask | LinesTask | ReaderTask | AttachmentsTask;

/** A file attached to a PDF: from the EmbeddedFiles name tree or the catalog's `/AF`; `data` null when it could not be decoded or is larger than asked. */
export interface PdfAttachment {
  name: string;
  via: 'names' | 'af';
  size: number;
  data: Uint8Array | null;
}

/** A PDF page's text layer as a page worker answers it: the page itself, encoded, only when its text is usable. */
export interface PdfPageText {
  index: number;
  verdict: TextVerdict;
  page: EncodedPage | null;
}

export interface Raster {
  /** Raw greyscale or packed 1-bit (`pbm`: rows padded to bytes, 1 = black) for `grey`; PNG; JPEG; or for `pdf` a
   * deflated 1-bit bitmap (`bilevel-deflate`) or a JPEG. */
  data: Uint8Array;
  encoding: 'grey' | 'pbm' | 'png' | 'jpeg' | 'bilevel-deflate';
  /** Channels of `grey` data: 1 or 3. */
  channels: 1 | 3;
  width: number;
  height: number;
  dpi: number;
  declaredDpi: number | null;
  /** The page's displayed size in points. */
  widthPt: number;
  heightPt: number;
  /** Set when the page was deskewed for OCR: the angle and the pixel size before (prepare.ts). */
  skew?: { deg: number; width: number; height: number };
  /** Set when only the page's content box was kept for OCR (prepare.ts, crop.ts). */
  crop?: OcrCrop;
  /** What was decided for OCR (prepare.ts), for a later reading of the same page. */
  decided?: Preparation;
  /** Milliseconds the worker spent on this page: decoding or rendering, glyph measure with crop and enlargement,
   * deskew (the page engine's `onStage`, bench/ocr's stage shares). */
  ms?: { decode: number; enlarge: number; deskew: number };
}

/** The part of a page kept for OCR, and the whole page's size, in pixels at the resolution it is read at. */
export interface OcrCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  fullWidth: number;
  fullHeight: number;
}

export interface ProbeResult {
  pageCount: number;
}

export type WorkerAnswer<T> = { ok: true; value: T } | { ok: false; code: TaskErrorCode; message: string };

export const ROTATIONS: readonly Rotation[] = [0, 90, 180, 270];
