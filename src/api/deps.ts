/**
 * @module What the HTTP API is handed by its composition root: repositories, the
 * blob store, the task-result port, the notifier, the clock, engine ports and its
 * slice of the configuration. `buildApp` never reads the environment or opens anything itself.
 */
import type { BlobStore } from '../core/ports/blob-store.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Notifier } from '../core/ports/notifier.ts';
import type { Repositories } from '../core/ports/repositories.ts';
import type { ProjectParse } from '../core/project.ts';
import type { ResultsChecker, TaskResults } from '../core/ports/task-results.ts';
import type { DiskGauge } from '../core/ports/disk-gauge.ts';
import type { VendorMemoryStore } from '../core/ports/vendor-memory.ts';
import type { ScorerLearningStore, ScorerRetrainer } from '../core/ports/scorer-learning.ts';
import type { SampleLearner } from '../core/ports/sample-learner.ts';

export interface ApiConfig {
  maxUploadBytes: number;
  tokenTtlMs: number;
  /** Body limit for JSON requests and project files. */
  maxJsonBytes: number;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs, DOCKET_TRUST_PROXY); none when empty or absent. */
  trustProxy?: string[];
  /** The address links are built from (DOCKET_PUBLIC_URL); absent = the listen address (public-url.ts). */
  publicUrl?: string;
}

/** Renders one page of a task's file as an image for the portal. */
export type PageRenderer = (input: { filePath: string; pageIndex: number; dpi: number }) => Promise<{ data: Buffer; contentType: string }>;

/** Turns an uploaded project file (YAML, JSON or a bundle) into a project. */
export type ProjectLoader = (body: Buffer, contentType: string | undefined) => Promise<ProjectParse>;

export interface ApiLogger {
  level: string;
}

export interface ApiDeps {
  repos: Repositories;
  blobs: BlobStore;
  notifier: Notifier;
  clock: Clock;
  config: ApiConfig;
  /** Task results and a person's corrections, shared with the pipeline. */
  results: TaskResults;
  /** The full check, extracting again what a changed type or page range needs: the portal's draft preview. */
  checkResults: ResultsChecker;
  /** The check of a validation completion, which extracts nothing: the worker does that when it finishes the task. */
  checkSubmission: ResultsChecker;
  renderPage: PageRenderer;
  loadProject: ProjectLoader;
  /** The data folder's free space (uploads are refused under the floor); absent, nothing is checked. */
  disk?: DiskGauge;
  /** The projects' vendor memory and the learner of samples (api/memory.ts); absent, those routes answer 503. */
  memory?: VendorMemoryStore;
  learnSample?: SampleLearner;
  /** The projects' scorer versions and the retrainer (api/scorer.ts); absent, those routes answer 503. */
  scorer?: { store: ScorerLearningStore; learner: ScorerRetrainer };
  /** Pino options or false; the CLI passes its logger settings. */
  logger?: boolean | object;
}
