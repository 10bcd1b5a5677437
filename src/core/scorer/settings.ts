/**
 * @module The scorer a project uses, and what follows from it.
 *
 * - `scorer` in the project file (docs/project-file.md#scorer): `builtin` (the
 *   default: weights.json, which scripts/train-scorer.ts trains only on documents
 *   docket may redistribute — the Apache-2.0 e-invoices' `dev` half and the
 *   generated documents of core/demo-training.ts, never SROIE or FUNSD), `none` (the
 *   hand scores of each method rank the candidates) or a weights object as the
 *   training script writes it, so that a project can carry a version of its own.
 * - Review thresholds from a stated error target: with `validation: {
 *   max_field_error: 0.01 }`, a field without a hand `confidence_threshold` gets the
 *   threshold its kind's calibration gives for that error (calibration.ts
 *   `thresholdForError`); a kind the calibration cannot vouch for at that error is
 *   always reviewed; a field the scorer does not score keeps the project default.
 */
import weights from './weights.json' with { type: 'json' };
import type { Checker } from '../project/check.ts';
import type { CaptureSettings, FieldDef } from '../project/model.ts';
import { thresholdForError } from './calibration.ts';
import type { ScorerWeights } from './model.ts';

export type ScorerSetting = ScorerWeights | 'builtin' | 'none' | 'learned' | undefined;

export function builtinScorer(): ScorerWeights {
  return weights as ScorerWeights;
}

/**
 * The weights a project's fields are scored with, or null for the hand scores. The hand
 * scores are the default (docs/project-file.md#scorer): on the dev half the shipped weights
 * raised the error among receipt fields accepted without review from 2.6 % to 4.5 % and
 * lowered invoice F1 from 0.836 to 0.807.
 */
export function scorerOf(setting: ScorerSetting): ScorerWeights | null {
  if (setting === undefined || setting === 'none') return null;
  // `learned` is replaced by the project's current version before capture (learning.ts `withLearnedScorer`); unresolved (no store), it is the shipped weights.
  return setting === 'builtin' || setting === 'learned' ? builtinScorer() : setting;
}

/** The kind of a field for the scorer: its type, or the layout heuristic that reads it (a party name reads unlike an address, a total unlike a subtotal). */
export function fieldKind(field: FieldDef): string {
  const heuristic = field.extract.find((m) => m.heuristic !== null)?.heuristic;
  if (field.type !== 'text') return heuristic ?? field.type;
  return heuristic === 'company' ? 'name' : heuristic === 'address' ? 'address' : 'text';
}

/** Above any confidence: the field is always reviewed. */
const ALWAYS = 1.01;

/** The review threshold `max_field_error` gives a field (null: the project has no target, or the field is not scored). */
export function targetThreshold(maxFieldError: number | undefined, settings: CaptureSettings, field: FieldDef): number | null {
  const w = scorerOf(settings.scorer);
  if (maxFieldError === undefined || !w || !w.kinds[fieldKind(field)]) return null;
  return thresholdForError(w.calibration[fieldKind(field)], maxFieldError) ?? ALWAYS;
}

function numbers(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

export function parseScorer(c: Checker, value: unknown): ScorerWeights | 'builtin' | 'none' | 'learned' {
  if (value === undefined || value === null || value === 'none') return 'none';
  if (value === 'builtin' || value === 'learned') return value;
  const w = c.record(value, 'scorer');
  if (!w) return 'builtin';
  c.keys(w, 'scorer', ['format', 'version', 'trained_on', 'kinds', 'calibration']);
  if (w.format !== 'docket-scorer/1') c.add('scorer.format', 'must be docket-scorer/1 (or give scorer: builtin | learned | none)');
  if (typeof w.version !== 'string' || w.version === '') c.add('scorer.version', 'required: a non-empty string');
  const kinds = c.record(w.kinds, 'scorer.kinds') ?? {};
  for (const [kind, k] of Object.entries(kinds)) {
    const r = c.record(k, `scorer.kinds.${kind}`);
    if (!r) continue;
    const weights = c.record(r.weights, `scorer.kinds.${kind}.weights`) ?? {};
    if (!Object.values(weights).every((v) => typeof v === 'number' && Number.isFinite(v))) c.add(`scorer.kinds.${kind}.weights`, 'must map feature names to numbers');
    if (typeof r.none !== 'number' || !Number.isFinite(r.none)) c.add(`scorer.kinds.${kind}.none`, 'must be a number');
  }
  const calibration = w.calibration === undefined ? {} : (c.record(w.calibration, 'scorer.calibration') ?? {});
  for (const [kind, m] of Object.entries(calibration)) {
    const r = c.record(m, `scorer.calibration.${kind}`);
    if (r && (!numbers(r.x) || !numbers(r.y) || (r.x as number[]).length !== (r.y as number[]).length)) c.add(`scorer.calibration.${kind}`, 'x and y must be lists of numbers of the same length');
  }
  return { format: 'docket-scorer/1', version: String(w.version ?? ''), trained_on: String(w.trained_on ?? ''), kinds: kinds as ScorerWeights['kinds'], calibration: calibration as ScorerWeights['calibration'] };
}
