/**
 * @module The learned candidate scorer: which of a field's candidate values is the
 * right one, and how likely it is right (docs/eval.md "Learned scorer").
 *
 * A field's candidates are its distinct values, each described by named features
 * (pipeline/capture/features.ts). The model is a conditional logit: value i gets the
 * logit z_i = w · x_i, and an extra outcome "none of them is right" the logit
 * `none`, so P(i) = e^z_i / (e^none + Σ e^z_j). Trained on labelled documents it
 * learns both the ranking and how often the best candidate is wrong, so P of the
 * winner is a confidence, not a score (calibration.ts then corrects what is left).
 * Weights are per field kind (`date`, `amount`, `name`, …) and a project may carry
 * its own set: `version` says which.
 */

/** Named feature values of one candidate value. Missing features count as 0. */
export type Features = Record<string, number>;

export interface KindWeights {
  weights: Record<string, number>;
  /** Logit of "none of the candidates is right". */
  none: number;
  /** Training documents (fields) this kind was fitted on. */
  examples: number;
}

/** Isotonic calibration of one kind: confidences `x` (ascending) map to right rates `y` (piecewise linear). */
export interface CalibrationMap {
  x: number[];
  y: number[];
  /** Values in each block. */
  n?: number[];
  values: number;
}

export interface ScorerWeights {
  format: 'docket-scorer/1';
  version: string;
  trained_on: string;
  kinds: Record<string, KindWeights>;
  calibration: Record<string, CalibrationMap>;
  /** Set on the weights `scorer: learned` resolved to for one capture (learning.ts `withLearnedScorer`), so that what it teaches still retrains the project. */
  source?: 'learned';
}

/** One labelled field of one document: its candidates and which (if any) is the right value. */
export interface ScorerExample {
  kind: string;
  candidates: Features[];
  /** Index into `candidates` of the right value, or -1 when none of them is right. */
  right: number;
}

export function logit(w: KindWeights, x: Features): number {
  let z = 0;
  for (const [name, v] of Object.entries(x)) z += (w.weights[name] ?? 0) * v;
  return z;
}

/** P of each candidate (same order) and of "none". */
export function candidateProbabilities(w: KindWeights, candidates: readonly Features[]): { p: number[]; none: number } {
  const z = candidates.map((x) => logit(w, x));
  const max = Math.max(w.none, ...z);
  const e = z.map((v) => Math.exp(v - max));
  const en = Math.exp(w.none - max);
  const sum = en + e.reduce((s, v) => s + v, 0);
  return { p: e.map((v) => v / sum), none: en / sum };
}

export interface TrainOptions {
  /** L2 penalty per weight (the "none" logit is not penalised). */
  l2?: number;
  epochs?: number;
  rate?: number;
}

/**
 * Fits one kind's weights by gradient descent with Adam on the mean negative log
 * likelihood of the right outcome, plus an L2 penalty: the loss is convex, so the
 * result does not depend on the start.
 */
export function trainKind(examples: readonly ScorerExample[], options: TrainOptions = {}): KindWeights {
  const { l2 = 0.05, epochs = 400, rate = 0.05 } = options;
  const names = [...new Set(examples.flatMap((e) => e.candidates.flatMap((c) => Object.keys(c))))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  // Flat arrays (candidate → its nonzero features; example → its candidates) so an epoch allocates nothing: ~5× faster than per-row objects.
  const candStart: number[] = [0];
  const featIndex: number[] = [];
  const featValue: number[] = [];
  const exStart: number[] = [0];
  const right: number[] = [];
  for (const e of examples) {
    for (const c of e.candidates) {
      for (const [k, val] of Object.entries(c)) {
        featIndex.push(index.get(k) as number);
        featValue.push(val);
      }
      candStart.push(featIndex.length);
    }
    exStart.push(candStart.length - 1);
    right.push(e.right);
  }
  const fi = Int32Array.from(featIndex);
  const fv = Float64Array.from(featValue);
  const cs = Int32Array.from(candStart);
  const d = names.length + 1;
  const theta = new Float64Array(d);
  const m = new Float64Array(d);
  const v = new Float64Array(d);
  const g = new Float64Array(d);
  const z = new Float64Array(Math.max(1, candStart.length - 1));
  const n = Math.max(1, examples.length);
  for (let t = 1; t <= epochs; t++) {
    g.fill(0);
    for (let r = 0; r < examples.length; r++) {
      const a = exStart[r] as number;
      const b = exStart[r + 1] as number;
      const none = theta[d - 1] as number;
      let max = none;
      for (let j = a; j < b; j++) {
        let s = 0;
        for (let q = cs[j] as number; q < (cs[j + 1] as number); q++) s += (theta[fi[q] as number] as number) * (fv[q] as number);
        z[j] = s;
        if (s > max) max = s;
      }
      const en = Math.exp(none - max);
      let sum = en;
      for (let j = a; j < b; j++) {
        z[j] = Math.exp((z[j] as number) - max);
        sum += z[j] as number;
      }
      for (let j = a; j < b; j++) {
        const coef = (z[j] as number) / sum - (j - a === right[r] ? 1 : 0);
        for (let q = cs[j] as number; q < (cs[j + 1] as number); q++) g[fi[q] as number] = (g[fi[q] as number] as number) + coef * (fv[q] as number);
      }
      g[d - 1] = (g[d - 1] as number) + en / sum - ((right[r] as number) < 0 ? 1 : 0);
    }
    for (let i = 0; i < d; i++) {
      const grad = (g[i] as number) / n + (i < d - 1 ? l2 * (theta[i] as number) : 0);
      m[i] = 0.9 * (m[i] as number) + 0.1 * grad;
      v[i] = 0.999 * (v[i] as number) + 0.001 * grad * grad;
      const mh = (m[i] as number) / (1 - 0.9 ** t);
      const vh = (v[i] as number) / (1 - 0.999 ** t);
      theta[i] = (theta[i] as number) - (rate * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  const weights: Record<string, number> = {};
  names.forEach((name, i) => {
    weights[name] = Number((theta[i] as number).toFixed(4));
  });
  return { weights, none: Number((theta[d - 1] as number).toFixed(4)), examples: examples.length };
}

/**
 * Trains a scorer from labelled examples (from pipeline/capture/features.ts
 * `scorerExamples`, or stored by a project's learning): one set of weights per kind
 * with at least `minExamples` examples. Calibration is fitted separately, on
 * documents the weights were not trained on (calibration.ts).
 */
export function trainScorer(examples: readonly ScorerExample[], version: string, trainedOn: string, options: TrainOptions & { minExamples?: number } = {}): ScorerWeights {
  const byKind = new Map<string, ScorerExample[]>();
  for (const e of examples) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
  const kinds: Record<string, KindWeights> = {};
  for (const [kind, list] of [...byKind.entries()].sort()) if (list.length >= (options.minExamples ?? 10) && list.some((e) => e.right >= 0)) kinds[kind] = trainKind(list, options);
  return { format: 'docket-scorer/1', version, trained_on: trainedOn, kinds, calibration: {} };
}
