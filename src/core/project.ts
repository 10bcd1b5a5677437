/**
 * @module The project model: what a task is processed by — name, timeouts,
 * validation mode, and (`capture`) document types, separation, classification,
 * extraction, rules and export settings (project/model.ts, docs/project-file.md).
 * A project file is parsed and checked once, at upload, reporting every problem
 * with its path; the stored, normalised `Project` is then trusted by every stage.
 */
import { parseDuration } from '../shared/duration.ts';
import { Checker } from './project/check.ts';
import { parseCaptureSettings } from './project/parse-settings.ts';
import { DEFAULT_OCR_SETTINGS, type CaptureSettings } from './project/model.ts';
import { schemasOf, type DocumentTypeSchema } from './project/schemas.ts';
import { isRecord } from '../shared/records.ts';
import { learningProblems } from './project/learning.ts';
import { DEFAULT_REJECT, parseReject, type RejectSettings } from './project/reject.ts';

export type * from './project/model.ts';
export type { DocumentTypeSchema, FieldSchema } from './project/schemas.ts';

export const VALIDATION_MODES = ['always', 'never', 'when_needed'] as const;
export type ValidationMode = (typeof VALIDATION_MODES)[number];

export interface Project {
  name: string;
  /** A task must reach a final state within this, else `timed-out`; null = no limit. */
  timeout_ms: number | null;
  /** How long a client may hold a client action before it returns to the queue. */
  client_action_timeout_ms: number;
  /**
   * `reject`: the portal's reasons for rejecting and where a rejected task goes (project/reject.ts); absent on projects stored before it.
   * `max_field_error`: the error allowed among fields accepted without review; their thresholds then come from the scorer's calibration (core/scorer/calibration.ts).
   */
  validation: { mode: ValidationMode; confidence_threshold: number; reject?: RejectSettings; max_field_error?: number };
  /** The file as given, for the parts later stages read (document types, export, …). */
  definition: Record<string, unknown>;
  /** Normalised capture settings; absent on projects stored before they existed (read through `captureSettings`). */
  capture?: CaptureSettings;
}

export interface ProjectProblem {
  path: string;
  message: string;
}

export type ProjectParse = { ok: true; project: Project } | { ok: false; problems: ProjectProblem[] };

export const DEFAULT_CLIENT_ACTION_TIMEOUT_MS = 30 * 60_000;

/** Extra inputs a bundle brings beside the file: lookup lists read from its CSV files. */
export interface ProjectExtras {
  lookups?: Record<string, string[]>;
}

/** The capture settings of a project, defaults filled in for projects stored without them. */
export function captureSettings(project: Project): CaptureSettings {
  if (project.capture) return project.capture.ocr ? project.capture : { ...project.capture, ocr: DEFAULT_OCR_SETTINGS };
  return parseCaptureSettings(new Checker(), isRecord(project.definition) ? project.definition : {});
}

export function parseProject(input: unknown, extras: ProjectExtras = {}): ProjectParse {
  const problems: ProjectProblem[] = [];
  if (!isRecord(input)) return { ok: false, problems: [{ path: '', message: 'a project must be an object' }] };
  const name = input.name;
  if (typeof name !== 'string' || name.trim() === '') problems.push({ path: 'name', message: 'required: a non-empty string' });
  let timeout_ms: number | null = null;
  if (input.timeout !== undefined) {
    timeout_ms = parseDuration(input.timeout);
    if (timeout_ms === null) problems.push({ path: 'timeout', message: 'must be a duration such as 7d or 30m' });
  }
  let client_action_timeout_ms = DEFAULT_CLIENT_ACTION_TIMEOUT_MS;
  if (input.client_action_timeout !== undefined) {
    const parsed = parseDuration(input.client_action_timeout);
    if (parsed === null) problems.push({ path: 'client_action_timeout', message: 'must be a duration such as 30m' });
    else client_action_timeout_ms = parsed;
  }
  let mode: ValidationMode = 'when_needed';
  let confidence_threshold = 0.9;
  let reject = DEFAULT_REJECT;
  let max_field_error: number | undefined;
  if (input.validation !== undefined) {
    const v = input.validation;
    if (!isRecord(v)) problems.push({ path: 'validation', message: 'must be an object' });
    else {
      if (v.mode !== undefined) {
        if (typeof v.mode === 'string' && (VALIDATION_MODES as readonly string[]).includes(v.mode)) mode = v.mode as ValidationMode;
        else problems.push({ path: 'validation.mode', message: `must be one of ${VALIDATION_MODES.join(', ')}` });
      }
      if (v.confidence_threshold !== undefined) {
        const t = v.confidence_threshold;
        if (typeof t === 'number' && t >= 0 && t <= 1) confidence_threshold = t;
        else problems.push({ path: 'validation.confidence_threshold', message: 'must be a number from 0 to 1' });
      }
      reject = parseReject(v.reject, problems);
      if (v.max_field_error !== undefined) {
        const e = v.max_field_error;
        if (typeof e === 'number' && e > 0 && e <= 0.5) max_field_error = e;
        else problems.push({ path: 'validation.max_field_error', message: 'must be a number above 0 and at most 0.5 (0.01: one field in a hundred)' });
      }
    }
  }
  const checker = new Checker();
  const capture = parseCaptureSettings(checker, input, extras.lookups);
  problems.push(...checker.problems, ...learningProblems(input));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    project: {
      name: (name as string).trim(),
      timeout_ms,
      client_action_timeout_ms,
      validation: { mode, confidence_threshold, reject, ...(max_field_error === undefined ? {} : { max_field_error }) },
      definition: input,
      capture,
    },
  };
}

/** Each document type with its field schemas, for the Validation Specification. */
export function documentTypeSchemas(project: Project): DocumentTypeSchema[] {
  return schemasOf(captureSettings(project));
}

export { projectFromFile, projectFromBundle, compileProject } from './project/file.ts';
export type { BundleParse, BundleSample } from './project/file.ts';
export type { Sample } from './project/classifier.ts';
