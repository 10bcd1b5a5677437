/**
 * @module What the HTTP API is handed by its composition root: repositories, the
 * blob store, the notifier, the clock, engine ports and its slice of the
 * configuration. `buildApp` never reads the environment or opens anything itself.
 */
import type { BlobStore, Clock, Notifier } from '../core/ports.ts';
import type { Repositories } from '../core/repositories.ts';
import type { CaptureResult } from '../core/capture.ts';
import type { PageSet } from '../core/page-set.ts';
import type { Project, ProjectParse } from '../core/project.ts';

export interface ApiConfig {
  maxUploadBytes: number;
  tokenTtlMs: number;
  /** Body limit for JSON requests and project files. */
  maxJsonBytes: number;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs, DOCKET_TRUST_PROXY); none when empty or absent. */
  trustProxy?: string[];
}

export type ResultsCheck = { ok: true; result: CaptureResult } | { ok: false; problems: { path: string; message: string }[] };

/** Checks a person's Validation Results against the task's result and the project's rules. */
export type ResultsChecker = (input: { project: Project; result: CaptureResult; pages: PageSet; submitted: unknown }) => Promise<ResultsCheck>;

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
  checkResults: ResultsChecker;
  renderPage: PageRenderer;
  loadProject: ProjectLoader;
  /** Pino options or false; the CLI passes its logger settings. */
  logger?: boolean | object;
}
