/**
 * @module The task-processor port: what a worker hands the pipeline for one task and what it
 * gets back. `src/pipeline/processor.ts` implements it; `src/worker/loop.ts` calls it.
 */
import type { ClientAction } from '../task-states.ts';
import type { Project } from '../project.ts';
import type { Tags } from '../../shared/tags.ts';

/** A file a task produced that a client action can download. */
export interface TaskOutput {
  kind: 'original' | 'data' | 'document' | 'page_image';
  file_name: string;
  content_type: string;
  blob_key: string;
  size: number;
  sha256: string;
  document_index: number | null;
}

export interface ProcessInput {
  taskId: string;
  accountId: string;
  /** The project's id, which its vendor memory is kept under (absent: capture without memory). */
  projectId?: string;
  project: Project;
  tags: Tags;
  /** Blob key of the uploaded file. */
  fileKey: string;
  /** `capture` runs the stages up to the review decision; `finish` applies a person's corrections and builds outputs. */
  phase: 'capture' | 'finish';
  signal: AbortSignal;
}

export interface ProcessOutcome {
  action: ClientAction;
  documents_count: number;
  /** Outputs to list in the Export Specification (built only when `action` is `export`). */
  outputs: TaskOutput[];
}

/** Runs the pipeline for one task. Throws `TaskFailure` for a reasoned failure. */
export type TaskProcessor = (input: ProcessInput) => Promise<ProcessOutcome>;
