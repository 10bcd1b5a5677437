/**
 * @module Confidence that means what it says: isotonic calibration of field
 * confidences, the expected calibration error, and the review threshold that keeps
 * the error among accepted fields under a project's `max_field_error`.
 *
 * Isotonic regression (pool adjacent violators) fits the right-rate as a
 * non-decreasing function of the raw confidence, on labelled values the scorer was
 * not trained on. It makes no assumption on the shape (Platt scaling assumes a
 * logistic one); with few values it is smoothed towards the rule of succession:
 * each block of n values with k right maps to (k + 1) / (n + 2), so a block of 5
 * right values says 0.86, not 1. The map is a step function: a confidence takes the
 * rate of the block it falls in (from the block's lowest confidence up to the next's).
 */
import type { CalibrationMap } from './model.ts';

/** One labelled value: its confidence and whether it was right. */
export interface Outcome {
  confidence: number;
  ok: boolean;
}

/** A run of values pooled into one step: `sum` right of `n`, starting at confidence `x`. */
export interface Block {
  sum: number;
  n: number;
  x: number;
}

/**
 * Pool adjacent violators over `blocks` in rising confidence: a block whose smoothed
 * right-rate (`rate`; by default the rule of succession) is not above the one before it
 * is merged into it, so the rates rise.
 */
export function poolAdjacent(blocks: Iterable<Block>, rate: (b: Block) => number = (b) => (b.sum + 1) / (b.n + 2)): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    out.push({ ...block });
    while (out.length > 1) {
      const b = out[out.length - 1] as Block;
      const a = out[out.length - 2] as Block;
      if (rate(a) < rate(b)) break;
      out.splice(out.length - 2, 2, { sum: a.sum + b.sum, n: a.n + b.n, x: a.x });
    }
  }
  return out;
}

/** Fits the isotonic map of `outcomes` (rule-of-succession smoothed per block). */
export function fitIsotonic(outcomes: readonly Outcome[]): CalibrationMap {
  const sorted = [...outcomes].sort((a, b) => a.confidence - b.confidence);
  // x: the block's lowest confidence, where its step begins.
  const blocks = poolAdjacent(sorted.map((o) => ({ sum: o.ok ? 1 : 0, n: 1, x: o.confidence })));
  return {
    x: blocks.map((b) => Number(b.x.toFixed(4))),
    y: blocks.map((b) => Number(((b.sum + 1) / (b.n + 2)).toFixed(4))),
    n: blocks.map((b) => b.n),
    values: outcomes.length,
  };
}

/** The calibrated confidence of a raw one (the step it falls on); without a map, the raw one. */
export function calibrated(map: CalibrationMap | undefined, raw: number): number {
  if (!map || map.x.length === 0) return raw;
  let i = 0;
  while (i + 1 < map.x.length && (map.x[i + 1] as number) <= raw) i++;
  return map.y[i] as number;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  values: number;
  meanConfidence: number;
  rightRate: number;
}

/** Values binned by confidence (`bins` equal widths over 0..1), with each bin's mean confidence and right rate. */
export function reliability(outcomes: readonly Outcome[], bins = 10): ReliabilityBin[] {
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = outcomes.filter((o) => o.confidence >= from && (o.confidence < to || (b === bins - 1 && o.confidence <= 1)));
    const n = inBin.length;
    out.push({ from, to, values: n, meanConfidence: n === 0 ? 0 : inBin.reduce((s, o) => s + o.confidence, 0) / n, rightRate: n === 0 ? 0 : inBin.filter((o) => o.ok).length / n });
  }
  return out;
}

/** Expected calibration error: the value-weighted mean gap between confidence and right rate over the bins. */
export function expectedCalibrationError(outcomes: readonly Outcome[], bins = 10): number {
  if (outcomes.length === 0) return 0;
  return reliability(outcomes, bins).reduce((s, b) => s + (b.values / outcomes.length) * Math.abs(b.meanConfidence - b.rightRate), 0);
}

/**
 * The review threshold, in calibrated confidence, that keeps the expected error of
 * the accepted values of a kind at most `maxError`: the calibration's blocks from
 * the most confident down are accepted while the value-weighted mean of their
 * (1 − right rate) stays within it; the threshold is the right rate of the last block
 * taken. Null when even the most confident block is wrong more often (the field is
 * then always reviewed): after n right values the next is wrong with probability
 * about 1 / (n + 2), so 1 % needs about a hundred right values in a row.
 */
export function thresholdForError(map: CalibrationMap | undefined, maxError: number): number | null {
  if (!map || map.y.length === 0) return null;
  let wrong = 0;
  let n = 0;
  let threshold: number | null = null;
  for (let i = map.y.length - 1; i >= 0; i--) {
    const count = map.n?.[i] ?? 1;
    wrong += count * (1 - (map.y[i] as number));
    n += count;
    if (wrong / n > maxError) break;
    threshold = map.y[i] as number;
  }
  return threshold;
}
