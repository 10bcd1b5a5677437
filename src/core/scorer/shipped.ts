/**
 * @module The training examples the shipped weights were fitted on, kept beside them
 * (shipped-examples.json, written by `scripts/train-scorer.ts --examples-out`), so a
 * project's retraining (retrain.ts) starts from the same documents plus its own
 * rather than from its own few alone. Like every example they are derived data:
 * feature numbers and the index of the right candidate, grouped by document.
 */
import type { Features, ScorerExample } from './model.ts';

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
