/**
 * @module Calibration learned from validations (docs/vendor-memory.md#calibration): every
 * completed validation and every labelled sample tells, per field, the confidence the
 * pipeline gave its value and whether that value was right. Those outcomes are kept as
 * counts per confidence bin, per `type.field`, and per whether the vendor was known to
 * vendor memory (its fields then carry memory's confidences, which mean other things
 * than extraction's). From them an isotonic map (scorer/calibration.ts) turns a raw
 * confidence into the rate at which such values were right, and `max_field_error`
 * gives the review threshold that keeps the error among accepted values within it.
 *
 * Only counts are kept, never a value: 20 bins of width 0.05, each [values, right, sum
 * of confidences]. A cell holding more than `CELL_CAP` values is halved, so old
 * evidence fades and the counts stay bounded.
 */
import type { CalibrationMap } from './scorer/model.ts';
import { calibrated, poolAdjacent, thresholdForError } from './scorer/calibration.ts';

export const BINS = 20;
/** Values a cell (one field, known or new vendor) holds before its counts are halved. */
export const CELL_CAP = 4000;
/**
 * Outcomes a field needs before its learned map replaces its raw confidence. With fewer,
 * the map's blocks hold a handful of values each and say little beyond what the rule of
 * succession already puts in them (a block of 5 right values says 0.86). Chosen on the
 * receipts' dev half (learned online, docs/eval.md): ECE after learning 0.071 at 10,
 * 0.070 at 20, 0.082 at 30, 0.102 at 50.
 */
export const MIN_OUTCOMES = 20;

/** One bin: [values, right ones, sum of their confidences]. */
export type Bin = [number, number, number];
export interface OutcomeCell { known: Bin[]; new: Bin[] }
/** Per `type.field`. */
export type OutcomeCounts = Record<string, OutcomeCell>;

/** One field's outcome on one document. */
export interface FieldOutcome { field: string; confidence: number; ok: boolean }

const emptyBins = (): Bin[] => Array.from({ length: BINS }, () => [0, 0, 0] as Bin);

function binOf(confidence: number): number {
  return Math.min(BINS - 1, Math.max(0, Math.floor(confidence * BINS)));
}

/** Counts one document's outcomes (of document type `type`) into `counts`; returns new counts. */
export function recordOutcomes(counts: OutcomeCounts | undefined, type: string, known: boolean, outcomes: readonly FieldOutcome[]): OutcomeCounts {
  const out: OutcomeCounts = { ...(counts ?? {}) };
  for (const o of outcomes) {
    const key = `${type}.${o.field}`;
    const cell = out[key] ?? { known: emptyBins(), new: emptyBins() };
    let bins = (known ? cell.known : cell.new).map((b) => [...b] as Bin);
    const b = bins[binOf(o.confidence)] as Bin;
    b[0] += 1;
    b[1] += o.ok ? 1 : 0;
    b[2] = Number((b[2] + o.confidence).toFixed(4));
    if (bins.reduce((s, x) => s + x[0], 0) > CELL_CAP) bins = bins.map(([n, r, c]) => [Math.ceil(n / 2), Math.round(r / 2), Number((c / 2).toFixed(4))] as Bin).map(([n, r, c]) => [n, Math.min(n, r), c] as Bin);
    out[key] = known ? { ...cell, known: bins } : { ...cell, new: bins };
  }
  return out;
}

const total = (bins: readonly Bin[]): number => bins.reduce((s, b) => s + b[0], 0);

/**
 * The isotonic map of a field's binned outcomes: pool adjacent violators over the bins
 * (each bin a block at its mean confidence), each block mapped to (right + 1) / (n + 2)
 * as in scorer/calibration.ts `fitIsotonic`.
 */
export function fitBins(bins: readonly Bin[]): CalibrationMap {
  const blocks = poolAdjacent(bins.filter(([n]) => n > 0).map(([n, right, conf]) => ({ sum: right, n, x: conf / n })));
  // A block's step begins at its lowest bin's lower edge, so a confidence between bins takes the block above's lower rate only from there.
  return {
    x: blocks.map((b, i) => (i === 0 ? 0 : Number((Math.floor(b.x * BINS) / BINS).toFixed(4)))),
    y: blocks.map((b) => Number(((b.sum + 1) / (b.n + 2)).toFixed(4))),
    n: blocks.map((b) => b.n),
    values: total(bins),
  };
}

/** A field's map, and whether it came from documents like this one alone (known vendor or new) or from both pooled. */
export interface FieldCalibration { map: CalibrationMap; own: boolean }

/**
 * The map for one field of a document: from the outcomes of documents like it (known
 * vendor or new) when they are `MIN_OUTCOMES` or more, else from both pooled when those
 * are (it then only maps the confidence shown: memory's confidences for a known vendor
 * mean other things than a new vendor's, so a pooled map never sets a threshold), else
 * none (the raw confidence and the hand threshold stay).
 */
export function fieldCalibration(counts: OutcomeCounts | undefined, type: string, field: string, known: boolean): FieldCalibration | null {
  const cell = counts?.[`${type}.${field}`];
  if (!cell) return null;
  const own = known ? cell.known : cell.new;
  if (total(own) >= MIN_OUTCOMES) return { map: fitBins(own), own: true };
  const pooled = own.map((b, i) => b.map((v, k) => v + ((known ? cell.new : cell.known)[i] as Bin)[k]!) as Bin);
  return total(pooled) >= MIN_OUTCOMES ? { map: fitBins(pooled), own: false } : null;
}

/** Above any confidence: the field is always reviewed. */
export const ALWAYS = 1.01;

/**
 * The review threshold, on the calibrated confidence, that `maxError` gives a field
 * with its own map (not a pooled one); null while the map cannot decide yet, and the hand threshold applies.
 * It decides once it can vouch for the target (its most confident blocks' error within
 * it) or once it holds 1 / maxError values (100 for 1 %): by then a run of right values
 * long enough to vouch would have shown — after n right values the next is wrong with
 * probability about 1 / (n + 2) — so a field that still cannot be vouched for is always
 * reviewed.
 */
export function learnedThreshold(c: FieldCalibration | null, maxError: number | undefined): number | null {
  if (!c || !c.own || maxError === undefined) return null;
  const t = thresholdForError(c.map, maxError);
  if (t !== null) return t;
  return c.map.values >= 1 / maxError ? ALWAYS : null;
}

export { calibrated };

/**
 * The one review rule (docs/vendor-memory.md#calibration): a field's confidence — the
 * calibrated one when a calibration maps it — is compared with one threshold, the first of
 * the field's own `confidence_threshold` (a hand threshold overrides, on the confidence
 * shown), the one `max_field_error` gives its own map (`learnedThreshold`), the one it gives
 * the scorer's calibration (`scorer`), and the project's `confidence_threshold`. The review,
 * the rules that name an unsure value, the reason text and the re-check of submitted
 * results all compare against this number (it is kept on the field as `review_threshold`).
 */
export function reviewThreshold(validation: { confidence_threshold: number; max_field_error?: number }, hand: number | null | undefined, c: FieldCalibration | null, scorer: number | null): number {
  if (hand !== undefined && hand !== null) return hand;
  return learnedThreshold(c, validation.max_field_error) ?? scorer ?? validation.confidence_threshold;
}
