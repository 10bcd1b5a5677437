/**
 * @module The contract between the pipeline's stages (docs/architecture.md#stages). A stage is a small
 * module with one job: it reads what earlier stages put on the context and adds its
 * own part. `stages.ts` lists them in order; engines (PDF, OCR, classifier) reach a
 * stage through `Engines`, never by import, so tests and deployments can swap them.
 */
import type { BlobStore, LocalFile } from '../core/ports/blob-store.ts';
import type { TaskOutput } from '../core/ports/task-processor.ts';
import type { Project } from '../core/project.ts';
import type { PageSet } from '../core/page-set.ts';
import type { CaptureResult } from '../core/capture.ts';
import type { Tags } from '../shared/tags.ts';
import type { VendorMemoryStore } from '../core/ports/vendor-memory.ts';
import type { OutcomeCounts } from '../core/calibration-outcomes.ts';
import type { ScorerLearner } from '../core/ports/scorer-learning.ts';
import type { BarcodeEngine } from './capture/barcode.ts';
import type { PageEngine } from './pages/types.ts';

export type FileType = 'pdf' | 'tiff' | 'jpeg' | 'png';

export interface Limits {
  maxPages: number;
  maxPixelsPerPage: number;
  pageTimeoutMs: number;
  /** Resolution pages are rendered at for OCR. */
  ocrDpi: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxPages: 2000,
  maxPixelsPerPage: 100_000_000,
  pageTimeoutMs: 120_000,
  ocrDpi: 300,
};

/**
 * The engines stages use, built once per process by `createEngines` (engines.ts) and
 * closed on shutdown. Each engine part adds its member here.
 */
export interface Engines {
  close(): Promise<void>;
  /** Pages of words, page images and searchable PDFs (page engine, pages/engine.ts). */
  pages: PageEngine;
  /** Barcode texts of a page, for barcode separation (capture engine, capture/barcode.ts). */
  barcodes?: BarcodeEngine;
}

/** Everything a stage may use and add to. */
export interface PipelineContext {
  taskId: string;
  project: Project;
  tags: Tags;
  blobs: BlobStore;
  /** Blob key and local path of the uploaded file. */
  fileKey: string;
  filePath: string;
  fileType: FileType | null;
  /**
   * Set when the upload is a bare e-invoice XML: its blob key. `fileKey`/`filePath` then
   * name the PDF rendered from it (einvoice/bare-xml.ts), which every stage reads.
   */
  bareXml?: { key: string };
  pageCount: number;
  /** The task's pages, stored by the pages stage and read on demand (core/page-set.ts). */
  pages: PageSet;
  result: CaptureResult;
  outputs: TaskOutput[];
  limits: Limits;
  engines: Engines;
  signal: AbortSignal;
  /** Local copies of blobs a stage opened (a bare XML's rendered PDF, sniff.ts), released when the run ends. */
  scratch?: LocalFile[];
  /** The project's vendor memory, when the pipeline runs with one (capture/memory-stage.ts). */
  memory?: { store: VendorMemoryStore; projectId: string; accountId: string; calibration?: OutcomeCounts; scorer?: ScorerLearner };
}

export interface Stage {
  name: string;
  run(ctx: PipelineContext): Promise<void>;
}
