/**
 * @module Retraining the candidate scorer from what a project learned: the shipped
 * examples (below) plus the project's own learned documents (learning.ts), into
 * a new set of weights, calibrated as scripts/train-scorer.ts calibrates the shipped
 * ones, and judged on the project's held-out documents against the version in use.
 *
 * - Held out: every learned document whose `seq` is a multiple of `HELD_OUT_EVERY`
 *   (one in five). It never trains nor calibrates any version, so every retrain is
 *   compared on documents neither side saw, and the set only grows.
 * - Calibration: the training documents are dealt into 5 folds, each scored by
 *   weights trained on the other four, and each kind's isotonic map fitted on the
 *   out-of-fold confidences of real documents (generated ones promise too much).
 * - Promotion: the held-out score is the share of held-out fields whose top-ranked
 *   candidate is the right value, ties broken by the Brier score of the calibrated
 *   confidence. A retrain doing worse than the current version is kept but not
 *   promoted; with no held-out field yet it is not promoted either.
 *
 * The shipped examples are the ones the shipped weights were fitted on, kept beside
 * them (shipped-examples.json, `scripts/train-scorer.ts --examples-out`), so a
 * project's retraining starts from the same documents plus its own rather than from
 * its own few alone. Like every example they are derived data: feature numbers and
 * the index of the right candidate, grouped by document.
 */
import { calibrated, fitIsotonic, type Outcome } from './calibration.ts';
import { candidateProbabilities, trainScorer, type Features, type ScorerExample, type ScorerWeights } from './model.ts';
import type { LearnedDocument, RetrainReport } from './learning.ts';

/** One document's examples; `generated` marks core/demo-training.ts pages, which train the weights but never calibrate them. */
export interface ExampleDocument {
  generated?: boolean;
  examples: ScorerExample[];
}

export interface ShippedExamples {
  format: 'docket-scorer-examples/1';
  version: string;
  trained_on: string;
  documents: ExampleDocument[];
}

/** Features rounded to 4 decimals (as the weights are) and zeros dropped: a missing feature counts as 0 (model.ts). */
export function compactFeatures(x: Features): Features {
  const out: Features = {};
  for (const [k, v] of Object.entries(x)) {
    const r = Number(v.toFixed(4));
    if (r !== 0 && Number.isFinite(r)) out[k] = r;
  }
  return out;
}

export function compactExample(e: ScorerExample): ScorerExample {
  return { kind: e.kind, candidates: e.candidates.map(compactFeatures), right: e.right };
}

/** The shipped file: the first `real` documents are labelled ones, the rest generated. */
export function shippedExamples(perDocument: readonly ScorerExample[][], real: number, version: string, trainedOn: string): ShippedExamples {
  return {
    format: 'docket-scorer-examples/1',
    version,
    trained_on: trainedOn,
    documents: perDocument.map((examples, i) => ({ ...(i >= real ? { generated: true } : {}), examples: examples.map(compactExample) })),
  };
}

export const HELD_OUT_EVERY = 5;

export const heldOut = (d: Pick<LearnedDocument, 'seq'>): boolean => d.seq % HELD_OUT_EVERY === 0;

/**
 * Brier score of the calibrated confidence of the top candidate against whether it is
 * right (null: none scored): what review thresholds rest on. On receipts the weights
 * rarely change which candidate wins (a name or address has 1–1.5 candidates; on the
 * SROIE dev half the shipped weights and the hand scores pick differently in 7 of 268
 * fields), so two versions mostly differ in how sure they are.
 */
export function brierScore(w: ScorerWeights, examples: readonly ScorerExample[]): number | null {
  let sum = 0;
  let n = 0;
  for (const e of examples) {
    const model = w.kinds[e.kind];
    if (!model || e.candidates.length === 0) continue;
    const { p } = candidateProbabilities(model, e.candidates);
    const top = p.indexOf(Math.max(...p));
    sum += (calibrated(w.calibration[e.kind], p[top] as number) - (top === e.right ? 1 : 0)) ** 2;
    n++;
  }
  return n === 0 ? null : Number((sum / n).toFixed(4));
}

/** Share of examples whose top candidate under `w` is the right one (null: none scored). A kind without weights ranks by the hand scores (`hand_rank`). */
export function topScore(w: ScorerWeights, examples: readonly ScorerExample[]): number | null {
  if (examples.length === 0) return null;
  let right = 0;
  for (const e of examples) {
    const model = w.kinds[e.kind];
    const s = model ? candidateProbabilities(model, e.candidates).p : e.candidates.map((c) => c.hand_rank ?? 0);
    if (s.length > 0 && s.indexOf(Math.max(...s)) === e.right) right++;
  }
  return Number((right / examples.length).toFixed(4));
}

function calibrate(weights: ScorerWeights, documents: readonly ExampleDocument[]): void {
  const outcomes = new Map<string, Outcome[]>();
  for (let fold = 0; fold < 5; fold++) {
    const model = trainScorer(documents.filter((_, i) => i % 5 !== fold).flatMap((d) => d.examples), 'fold', '');
    for (const e of documents.filter((d, i) => i % 5 === fold && !d.generated).flatMap((d) => d.examples)) {
      const w = model.kinds[e.kind];
      if (!w) continue;
      const { p } = candidateProbabilities(w, e.candidates);
      const top = p.indexOf(Math.max(...p));
      outcomes.set(e.kind, [...(outcomes.get(e.kind) ?? []), { confidence: p[top] as number, ok: top === e.right }]);
    }
  }
  for (const [kind, o] of outcomes) if (weights.kinds[kind]) weights.calibration[kind] = fitIsotonic(o);
}

export interface RetrainInput {
  shipped: ShippedExamples;
  documents: readonly LearnedDocument[];
  /** The weights in use (a version's, or the shipped ones: `version` null). */
  current: { version: number | null; weights: ScorerWeights };
  /** The new weights' `version` string. */
  version: string;
}

export function retrain(input: RetrainInput): { weights: ScorerWeights; report: Omit<RetrainReport, 'cpu_ms'> } {
  const own = input.documents.filter((d) => !heldOut(d));
  const test = input.documents.filter(heldOut).flatMap((d) => d.examples);
  const train: ExampleDocument[] = [...input.shipped.documents, ...own.map((d) => ({ examples: d.examples }))];
  const examples = train.flatMap((d) => d.examples);
  const projectExamples = own.reduce((s, d) => s + d.examples.length, 0);
  const weights = trainScorer(examples, input.version, `${input.shipped.trained_on}; and ${own.length} of the project's documents (${projectExamples} fields)`);
  calibrate(weights, train);
  const score = topScore(weights, test);
  const currentScore = topScore(input.current.weights, test);
  // Confidence is compared on the kinds both versions score: a kind one of them lacks is ranked by the hand scores, whose confidence is not a probability.
  const both = test.filter((e) => weights.kinds[e.kind] && input.current.weights.kinds[e.kind]);
  const brier = brierScore(weights, both);
  const currentBrier = brierScore(input.current.weights, both);
  // Ranking first; on a tie, the confidence: a lower Brier score.
  const sureEnough = brier === null || currentBrier === null || brier <= currentBrier;
  const promoted = score !== null && currentScore !== null && (score > currentScore || (score === currentScore && sureEnough));
  const was = input.current.version === null ? 'the shipped weights' : `version ${input.current.version}`;
  const pair = `held-out ${score} against ${currentScore}, Brier ${brier} against ${currentBrier} for ${was}`;
  const reason = score === null || currentScore === null
    ? 'not promoted: no held-out document yet to compare it on'
    : promoted
      ? `promoted: ${pair}`
      : `not promoted: worse on the held-out documents (${pair})`;
  return {
    weights,
    report: { examples: examples.length, project_examples: projectExamples, held_out: { fields: test.length, score, current_score: currentScore, brier, current_brier: currentBrier, current_version: input.current.version }, promoted, reason },
  };
}
