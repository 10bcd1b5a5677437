/**
 * @module The type confidence: one probability from both kinds of evidence, fitted
 * on the project's own samples so that it means what it says.
 *
 * Per type t the evidence is a logit z_t = a · rules_t + b · similarity_t (keyword
 * and pattern weights found, cosine similarity to the type's centroid); a "none of
 * these" outcome has a constant logit c. P(t) = e^z_t / (e^c + Σ e^z_u), and the
 * confidence is the best type's P. With no evidence for any type, "none" takes the
 * mass, so a document unlike every type is unsure instead of confidently wrong.
 *
 * a, b and c are fitted by leave-one-out on the samples: each sample, split in two
 * halves (even and odd lines: a real document shares only part of its wording with
 * the samples), is scored against centroids built without it. Every held-out half
 * is used twice: once with all types present (the answer is its type) and once
 * with its own type removed (the answer is "none": a document of a type the
 * project does not know). Generated or hand-picked samples are usually perfectly
 * separable, which drives a plain likelihood fit to infinite scale (certainty), so
 * the targets are smoothed to the rule of succession: after m held-out cases all
 * right, the next is right with probability (m + 1) / (m + 2), and no more
 * confidence than that is fitted.
 */

export interface Combination {
  /** a: logit per unit of keyword/pattern weight. */
  rule_weight: number;
  /** b: logit per unit of cosine similarity (1 / softmax temperature). */
  scale: number;
  /** c: the logit of "none of the types". */
  none_logit: number;
}

export interface Evidence {
  /** Keyword/pattern weight per type (the model's type order). */
  rules: readonly number[];
  /** Cosine similarity per type. */
  sims: readonly number[];
}

/** Probability per type (same order) and of "none"; `present` masks out types (used by the fit). */
export function probabilities(c: Combination, e: Evidence, present?: readonly boolean[]): { p: number[]; none: number } {
  const z = e.sims.map((s, i) => c.rule_weight * (e.rules[i] ?? 0) + c.scale * s);
  const max = Math.max(c.none_logit, ...z.filter((_, i) => present?.[i] ?? true));
  const ex = z.map((v, i) => ((present?.[i] ?? true) ? Math.exp(v - max) : 0));
  const none = Math.exp(c.none_logit - max);
  const sum = none + ex.reduce((s, v) => s + v, 0);
  return { p: ex.map((v) => v / sum), none: none / sum };
}

/** One held-out half: its evidence and its type's index. */
export interface HeldOut {
  truth: number;
  evidence: Evidence;
}

const RULE_WEIGHTS = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];
const SCALES = [1, 2, 3, 5, 8, 12, 18, 25, 35, 50];
const NONE_MAX = 20;

/** Cross-entropy of the fit against smoothed targets (`keep` on the right answer, the rest spread evenly). */
function loss(c: Combination, rows: readonly HeldOut[], keep: number): number {
  let total = 0;
  for (const r of rows) {
    for (const removed of [false, true]) {
      const present = r.evidence.sims.map((_, i) => !(removed && i === r.truth));
      const { p, none } = probabilities(c, r.evidence, present);
      // Outcomes: the present types, then "none"; the right one is the truth, or "none" when the truth was removed.
      const outcomes = [...p.filter((_, i) => present[i]), none];
      const right = removed ? outcomes.length - 1 : present.slice(0, r.truth).filter(Boolean).length;
      const spread = (1 - keep) / Math.max(1, outcomes.length - 1);
      outcomes.forEach((q, i) => {
        total -= (i === right ? keep : spread) * Math.log(Math.max(1e-12, q));
      });
    }
  }
  return total;
}

/** The best "none" logit for fixed a and b: the loss is convex in it (softmax cross-entropy of logits linear in c), so a ternary search finds it. */
function bestNone(a: number, b: number, rows: readonly HeldOut[], keep: number): { c: Combination; loss: number } {
  let lo = -5;
  let hi = NONE_MAX;
  while (hi - lo > 0.01) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (loss({ rule_weight: a, scale: b, none_logit: m1 }, rows, keep) <= loss({ rule_weight: a, scale: b, none_logit: m2 }, rows, keep)) hi = m2;
    else lo = m1;
  }
  const c = { rule_weight: a, scale: b, none_logit: Number(((lo + hi) / 2).toFixed(3)) };
  return { c, loss: loss(c, rows, keep) };
}

/** Fits a, b and c on held-out halves (grid over a and b, ternary search over c; ~0.1 s for 50 samples). `rules` false fixes a = 0. */
export function fitCombination(rows: readonly HeldOut[], rules: boolean): Combination {
  const keep = (rows.length + 1) / (rows.length + 2);
  let best: { c: Combination; loss: number } = { c: { rule_weight: rules ? 1 : 0, scale: 10, none_logit: 2 }, loss: Infinity };
  for (const a of rules ? RULE_WEIGHTS : [0]) {
    for (const b of SCALES) {
      const got = bestNone(a, b, rows, keep);
      if (got.loss < best.loss) best = got;
    }
  }
  return best.c;
}
