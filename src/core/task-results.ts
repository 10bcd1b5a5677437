/**
 * @module A task's capture result and a person's corrections to it, as one port for
 * the API and the pipeline alike: the worker writes the result when capture ends,
 * the API reads it for the specifications and records a person's Validation
 * Results beside it, and the worker's finish phase applies those (extracting again
 * what a changed type or page range needs) before it builds the outputs. Declared
 * here with the checker types both sides use; `blobTaskResults` implements it over
 * the blob store at the keys task-files.ts names.
 */
import type { CaptureResult } from './capture.ts';
import type { PageSet } from './page-set.ts';
import type { BlobStore } from './ports.ts';
import type { Project } from './project.ts';
import { correctionsKey, resultKey } from './task-files.ts';

export interface ResultsProblem {
  path: string;
  message: string;
}

export type ResultsCheck = { ok: true; result: CaptureResult } | { ok: false; problems: ResultsProblem[] };

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

export function blobTaskResults(blobs: BlobStore): TaskResults {
  async function readJson<T>(key: string): Promise<T | null> {
    if (!(await blobs.exists(key))) return null;
    return JSON.parse((await blobs.read(key)).toString('utf8')) as T;
  }
  const write = async (taskId: string, result: CaptureResult) => {
    await blobs.put(resultKey(taskId), Buffer.from(JSON.stringify(result)));
  };
  return {
    read: (taskId) => readJson<CaptureResult>(resultKey(taskId)),
    write,
    async writeCorrections(taskId, corrections) {
      await blobs.put(correctionsKey(taskId), Buffer.from(JSON.stringify(corrections)));
    },
    readCorrections: (taskId) => readJson<Corrections>(correctionsKey(taskId)),
    async writeCorrected(taskId, result) {
      await write(taskId, result);
      await blobs.delete(correctionsKey(taskId));
    },
  };
}
