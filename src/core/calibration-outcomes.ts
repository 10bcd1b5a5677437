/**
 * @module Calibration learned from validations (docs/vendor-memory.md#calibration): every
 * completed validation and every labelled sample tells, per field, the confidence the
 * pipeline gave its value and whether that value was right. Those outcomes are kept as
 * counts per confidence bin, per `type.field`, and per whether the vendor was known to
 * vendor memory (its fields then carry memory's confidences, which mean other things
 * than extraction's). From them an isotonic map (scorer/calibration.ts) of each kind,
 * smoothed towards the other kind's, turns a raw confidence into the rate at which such
 * values were right; `max_field_error` gives the review threshold that keeps the error
 * among accepted values within it, and one rule (`reviewThreshold`) says which threshold
 * a field's calibrated confidence is compared with.
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
 * Outcomes a field needs (both vendor kinds together) before its learned map replaces its
 * raw confidence, and a kind of its own before that kind's map sets a threshold. With
 * fewer, the map's blocks hold a handful of values each and say little beyond what the
 * smoothing already puts in them (a block of 5 right values says 0.86). Chosen on the
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
  const blocks = poolAdjacent(bins.map((b, i) => ({ b, i })).filter(({ b }) => b[0] > 0).map(({ b: [n, right, conf], i }) => ({ sum: right, n, x: i })));
  return toMap(blocks, (b) => (b.sum + 1) / (b.n + 2), total(bins));
}

/** Blocks whose `x` is the index of their lowest bin, as a map: a block's step begins at that bin's lower edge, the first at 0. */
function toMap(blocks: readonly { sum: number; n: number; x: number }[], rate: (b: { sum: number; n: number }) => number, values: number): CalibrationMap {
  return {
    x: blocks.map((b, i) => (i === 0 ? 0 : Number((b.x / BINS).toFixed(4)))),
    y: blocks.map((b) => Number(rate(b).toFixed(4))),
    n: blocks.map((b) => Number(b.n.toFixed(4))),
    values,
  };
}

/**
 * Weight, in outcomes, of the prior a thin vendor kind's map takes from the other kind's
 * (`fitSmoothed`). Chosen on the dev halves (docs/eval.md "Calibration":
 * scripts/eval-calibration.ts, mean ECE over 200 random splits of the dev outcomes, fitted
 * on two thirds): receipts 0.079 at 1, 0.080 at 4, against 0.082 for the former rule (a
 * thin kind pooled with the other); e-invoices 0.094 at 1, 0.099 at 4, against 0.095.
 */
export const PRIOR_WEIGHT = 1;

/**
 * The map of one vendor kind (known or new) smoothed towards the other kind's: in each bin
 * that either kind filled, the own kind's right values plus `weight` outcomes at
 * the rate the other kind's map gives that bin's confidence (a Beta prior), or, without
 * the other kind, plus one right and one wrong (the rule of succession); then pool
 * adjacent violators on those rates. A thin kind so leans on the other where it has few
 * values, and follows its own where it has many; a bin only the other kind filled takes
 * the other kind's rate.
 */
export function fitSmoothed(own: readonly Bin[], other: readonly Bin[], weight = PRIOR_WEIGHT): CalibrationMap {
  const prior = total(other) > 0 ? fitBins(other) : null;
  const blocks = own.flatMap(([n, right, conf], i) => {
    const [m, , c] = other[i] as Bin;
    if (n + m === 0) return [];
    const p = prior ? calibrated(prior, (conf + c) / (n + m)) : null;
    return [p === null ? { sum: right + 1, n: n + 2, x: i } : { sum: right + weight * p, n: n + weight, x: i }];
  });
  const rate = (b: { sum: number; n: number }) => b.sum / b.n;
  return toMap(poolAdjacent(blocks, rate), rate, total(own));
}

/** A field's map, and whether documents like this one (known vendor or new) gave `MIN_OUTCOMES` of its outcomes themselves. */
export interface FieldCalibration { map: CalibrationMap; own: boolean }

/**
 * The map for one field of a document: the isotonic map of documents like it (known vendor
 * or new: a known vendor's fields carry memory's confidences, which mean other things than
 * a new vendor's) once they gave `MIN_OUTCOMES` outcomes; while that kind is thin, its
 * outcomes smoothed towards the other kind's (`fitSmoothed`) once both together are
 * `MIN_OUTCOMES`; before that, none (the raw confidence stays). Only a kind with
 * `MIN_OUTCOMES` of its own may set a threshold (`own`).
 */
export function fieldCalibration(counts: OutcomeCounts | undefined, type: string, field: string, known: boolean): FieldCalibration | null {
  const cell = counts?.[`${type}.${field}`];
  if (!cell) return null;
  const own = known ? cell.known : cell.new;
  const other = known ? cell.new : cell.known;
  if (total(own) >= MIN_OUTCOMES) return { map: fitBins(own), own: true };
  return total(own) + total(other) >= MIN_OUTCOMES ? { map: fitSmoothed(own, other), own: false } : null;
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
 * A hand threshold, set on extraction's confidence (the scale `--fit` fits it on), in the
 * calibrated confidence a map gives: the rate of the map's first block that starts at or
 * above it, so the values accepted are those whose whole block lies above the hand
 * threshold (a block straddling it is reviewed: its rate is what its values earn, on both
 * sides). Above the last block's start: that block's rate when the threshold falls in
 * its first bin, else always reviewed.
 */
export function mappedThreshold(map: CalibrationMap, hand: number): number {
  const i = map.x.findIndex((x) => x >= hand - 1e-9);
  if (i >= 0) return map.y[i] as number;
  return hand - (map.x.at(-1) as number) < 1 / BINS ? (map.y.at(-1) as number) : ALWAYS;
}

/**
 * The one review rule (docs/vendor-memory.md#calibration): a field's confidence — the
 * calibrated one when a calibration maps it — is compared with one threshold, the first of
 * the field's own `confidence_threshold` (a hand threshold overrides, mapped by
 * `mappedThreshold` when the confidence is calibrated), the one `max_field_error` gives
 * its own map (`learnedThreshold`), the one it gives the scorer's calibration (`scorer`),
 * and the project's `confidence_threshold`. The review, the rules that name an unsure
 * value, the reason text and the re-check of submitted results all compare against this
 * number (it is kept on the field as `review_threshold`).
 */
export function reviewThreshold(validation: { confidence_threshold: number; max_field_error?: number }, hand: number | null | undefined, c: FieldCalibration | null, scorer: number | null): number {
  if (hand !== undefined && hand !== null) return c ? mappedThreshold(c.map, hand) : hand;
  return learnedThreshold(c, validation.max_field_error) ?? scorer ?? validation.confidence_threshold;
}
