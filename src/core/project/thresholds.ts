/**
 * @module Review thresholds per field, fitted on labelled documents of the project
 * so that "accepted without review" means "probably right" (docs/eval.md targets ≤ 2 % wrong
 * among accepted fields). Any project can derive its own: run the accuracy harness
 * with `--fit` on a folder of its labelled sample documents (docs/eval.md), and put
 * the printed `confidence_threshold` on each field.
 *
 * The rule, per field: the threshold sits `margin` above the most confident wrong
 * value of the fitting set (rounded up to `step`), never below `floor`. Field
 * confidence is not a probability, and the fitting sets are small (15 documents per
 * half on the public set: one error is 7 %), so the observed error among accepted
 * fields cannot be driven to a 2 % target directly; what it can show is where wrong
 * values stop. The margin is for the spread between halves: on the public receipts
 * the most confident wrong value of the even half and of the odd half were company
 * 0.81 / 0.74, address 0.65 / 0.66, date 0.37 / 0.32, total 0.68 / 0.43, so 0.1
 * covers what was seen (the date's was 0.65 on the odd half before two dates one
 * digit apart were made unsure: a margin does not replace a better confidence).
 * The floor keeps a field with no wrong value from being accepted on no evidence:
 * 0.4 is just below the least confident right date of the even half (0.43).
 *
 * A threshold of 1 or more means the field is always reviewed: its confidence does
 * not separate right from wrong in the fitting set. With fewer than 10 values no
 * threshold is fitted (null): after n right values in a row the next is wrong with
 * probability about 1 / (n + 2) (rule of succession), 8 % at n = 10, so fewer say
 * nothing; such a field keeps the project's default or shares the threshold of a
 * field read the same way (the demo's invoice supplier takes the receipt company's:
 * both come from the `company` heuristic).
 */

/** One extracted, labelled field value: its confidence and whether it was right. */
export interface FieldOutcome {
  confidence: number;
  ok: boolean;
}

export interface ThresholdFit {
  /** The review threshold (values below it go to a person); null with too few values to fit one. */
  threshold: number | null;
  /** Values of the fitting set at or above it, and how many of them were wrong. */
  accepted: number;
  wrong: number;
  /** Values in the fitting set. */
  values: number;
}

export interface FitOptions {
  margin?: number;
  floor?: number;
  step?: number;
  minValues?: number;
}

export const FIT_DEFAULTS = { margin: 0.1, floor: 0.4, step: 0.05, minValues: 10 } as const;

/** The review threshold of one field from its labelled outcomes (see the module comment). */
export function fitThreshold(outcomes: readonly FieldOutcome[], options: FitOptions = {}): ThresholdFit {
  const { margin, floor, step, minValues } = { ...FIT_DEFAULTS, ...options };
  if (outcomes.length < minValues) return { threshold: null, accepted: 0, wrong: 0, values: outcomes.length };
  const worstWrong = Math.max(-Infinity, ...outcomes.filter((o) => !o.ok).map((o) => o.confidence));
  const raw = Math.max(floor, worstWrong + margin);
  // Rounded up to the step; the small epsilon keeps 0.45 from becoming 0.5 through float noise.
  const threshold = Number((Math.ceil(raw / step - 1e-9) * step).toFixed(4));
  const accepted = outcomes.filter((o) => o.confidence >= threshold);
  return { threshold, accepted: accepted.length, wrong: accepted.filter((o) => !o.ok).length, values: outcomes.length };
}

/** Thresholds for every field named in the outcomes (key: `type.field`). */
export function fitThresholds(outcomes: ReadonlyMap<string, readonly FieldOutcome[]>, options: FitOptions = {}): Map<string, ThresholdFit> {
  return new Map([...outcomes.entries()].map(([key, rows]) => [key, fitThreshold(rows, options)]));
}
