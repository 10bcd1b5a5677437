/**
 * @module The sample-learner port: teaches a project's vendor memory one labelled
 * document (`POST /projects/{id}/samples`, `docket learn`). The pipeline implements it
 * (pipeline/capture/sample.ts): it reads the file up to extraction, then learns; the
 * file and its pages are dropped as soon as it answers.
 */
import type { Learned } from '../memory/learn.ts';
import type { Project } from '../project.ts';

export interface SampleInput {
  accountId: string;
  projectId: string;
  project: Project;
  file: Uint8Array;
  /** The document type's name; classified when null. */
  type: string | null;
  /** Field name → labelled value. */
  fields: Record<string, unknown>;
}

export type SampleOutcome =
  | { ok: true; document_type: string; learned: Learned; unmatched: string[] }
  /** `unmatched`: no labelled field is on the pages; `unknown_type`: the type is not the project's or could not be classified; `unknown_fields`: fields the type does not have. */
  | { ok: false; reason: 'unmatched' | 'unknown_type' | 'unknown_fields'; document_type: string | null; fields: string[] };

export type SampleLearner = (input: SampleInput, signal?: AbortSignal) => Promise<SampleOutcome>;
