/**
 * @module The trained part of classification: TF-IDF vectors and a nearest-centroid
 * model, trained from a project's sample documents when the project is installed
 * and stored in the project as plain JSON. Nearest centroid was chosen over a
 * linear model because projects bring few samples per type (often 3–20), where it
 * is as accurate and needs no iterative fitting, so training stays well under a
 * second. Scores are cosine similarities; they are turned into probabilities by a
 * softmax whose temperature is fitted by leave-one-out on the samples, and damped
 * when a document is less similar to its best centroid than the samples were to
 * theirs, so that an unlike document scores low ("unknown") instead of confidently
 * wrong.
 */
import type { ClassifierModel } from './model.ts';

export interface Sample {
  type: string;
  text: string;
}

const MAX_VOCABULARY = 20_000;
const TEMPERATURES = [0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5];

/** Lower-cased word tokens; digits become `#` so numbers count by shape, not value. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const t = m[0].replace(/\d/g, '#');
    if (t.length >= 2 && t.length <= 30) out.push(t);
  }
  return out;
}

type Sparse = Map<number, number>;

function vectorize(tokens: string[], index: Map<string, number>, idf: readonly number[]): Sparse {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  let norm = 0;
  for (const [i, n] of tf) {
    const w = (1 + Math.log(n)) * (idf[i] ?? 0);
    tf.set(i, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [i, w] of tf) tf.set(i, w / norm);
  return tf;
}

function centroid(vectors: Sparse[]): Sparse {
  const sum = new Map<number, number>();
  for (const v of vectors) for (const [i, w] of v) sum.set(i, (sum.get(i) ?? 0) + w);
  let norm = 0;
  for (const w of sum.values()) norm += w * w;
  norm = Math.sqrt(norm) || 1;
  for (const [i, w] of sum) sum.set(i, w / norm);
  return sum;
}

function dot(a: Sparse, b: Sparse): number {
  let s = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const [i, w] of small) s += w * (big.get(i) ?? 0);
  return s;
}

function softmax(scores: number[], temperature: number): number[] {
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp((s - max) / temperature));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** Trains a model; null when fewer than two types have samples (nothing to tell apart). */
export function trainClassifier(samples: readonly Sample[]): ClassifierModel | null {
  const types = [...new Set(samples.map((s) => s.type))];
  if (types.length < 2) return null;
  const docs = samples.map((s) => ({ type: s.type, tokens: tokenize(s.text) }));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d.tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  const vocabulary = [...df.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_VOCABULARY)
    .map(([t]) => t);
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const n = docs.length;
  const idf = vocabulary.map((t) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1);
  const vectors = docs.map((d) => ({ type: d.type, v: vectorize(d.tokens, index, idf) }));
  const centroids = types.map((type) => ({ type, c: centroid(vectors.filter((x) => x.type === type).map((x) => x.v)) }));
  // Leave-one-out scores: each sample against centroids built without it.
  const loo: { truth: number; scores: number[] }[] = [];
  for (let k = 0; k < vectors.length; k++) {
    const own = vectors[k] as { type: string; v: Sparse };
    const scores = types.map((type) => {
      const members = vectors.filter((x, j) => j !== k && x.type === type).map((x) => x.v);
      return members.length === 0 ? 0 : dot(own.v, centroid(members));
    });
    loo.push({ truth: types.indexOf(own.type), scores });
  }
  let temperature = 0.1;
  let best = Infinity;
  for (const t of TEMPERATURES) {
    const nll = loo.reduce((s, x) => s - Math.log(Math.max(1e-9, softmax(x.scores, t)[x.truth] as number)), 0);
    if (nll < best) {
      best = nll;
      temperature = t;
    }
  }
  const own = loo.map((x) => x.scores[x.truth] as number).sort((a, b) => a - b);
  const reference = own[Math.floor(own.length * 0.1)] ?? 0.1;
  return {
    vocabulary,
    idf,
    centroids: centroids.map(({ type, c }) => ({ type, terms: [...c.entries()].map(([i, w]): [number, number] => [i, Number(w.toFixed(6))]) })),
    temperature,
    samples: samples.length,
    reference_similarity: Math.max(0.05, reference),
  };
}

export interface Prediction {
  type: string;
  /** 0..1, calibrated. */
  confidence: number;
  /** Probability per type, same order as the model's centroids. */
  scores: { type: string; p: number }[];
}

/** Scores a text against a model. Build the index once per model with `modelIndex`. */
export function predict(model: ClassifierModel, text: string, index = modelIndex(model)): Prediction {
  const v = vectorize(tokenize(text), index.terms, model.idf);
  const sims = index.centroids.map((c) => dot(v, c));
  const p = softmax(sims, model.temperature);
  const best = p.indexOf(Math.max(...p));
  const damp = Math.min(1, Math.max(0, (sims[best] ?? 0) / (model.reference_similarity ?? 0.1)));
  return {
    type: model.centroids[best]?.type ?? '',
    confidence: (p[best] ?? 0) * damp,
    scores: model.centroids.map((c, i) => ({ type: c.type, p: (p[i] ?? 0) * damp })),
  };
}

export interface ModelIndex {
  terms: Map<string, number>;
  centroids: Sparse[];
}

export function modelIndex(model: ClassifierModel): ModelIndex {
  return {
    terms: new Map(model.vocabulary.map((t, i) => [t, i])),
    centroids: model.centroids.map((c) => new Map(c.terms)),
  };
}
