/**
 * @module The task-results port: a task's capture result and a person's corrections to it, for
 * the API and the pipeline alike, and the checker type both use. core/task-results.ts
 * implements it over the blob store.
 */
import type { CaptureResult, DocumentResult } from '../capture.ts';
import type { PageSet } from '../page-set.ts';
import type { Project } from '../project.ts';

export interface ResultsProblem {
  path: string;
  message: string;
}

/**
 * A refused check may carry the documents as the submission made them (values normalised,
 * rules run), so the portal can show what would be stored beside what was typed.
 */
export type ResultsCheck = { ok: true; result: CaptureResult } | { ok: false; problems: ResultsProblem[]; documents?: DocumentResult[] };

/** Checks a person's Validation Results against the task's result and the project's rules. */
export type ResultsChecker = (input: { project: Project; result: CaptureResult; pages: PageSet; submitted: unknown }) => Promise<ResultsCheck>;

/** The Validation Results a person submitted, as they were sent (the `documents` array). */
export interface Corrections {
  documents: unknown[];
}

export interface TaskResults {
  /** The task's capture result; null before capture has written one. */
  read(taskId: string): Promise<CaptureResult | null>;
  write(taskId: string, result: CaptureResult): Promise<void>;
  /** Records a person's accepted Validation Results for the finish phase to apply. */
  writeCorrections(taskId: string, corrections: Corrections): Promise<void>;
  /** The corrections recorded and not yet applied; null when there are none. */
  readCorrections(taskId: string): Promise<Corrections | null>;
  /**
   * Writes the result the corrections made, then forgets them. A crash between the
   * two applies them again to the corrected result, which changes nothing: every
   * document then keeps its type and pages, and the same values are set again.
   */
  writeCorrected(taskId: string, result: CaptureResult): Promise<void>;
}
