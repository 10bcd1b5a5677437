/**
 * @module Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff and Jitter", 2015): the delay after the n-th consecutive failure is uniform
 * in [base·2ⁿ/2, base·2ⁿ], capped. Half the range is kept as a floor so that a
 * restarted server is not hit again within milliseconds, while many clients restarted
 * together still spread out. One formula for every retry in docket: the agent's
 * requests, a task put back after a transient fault, a worker waiting for its
 * database. Pure: the random source is injected.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/** The delay before try `n` (0 for the first retry): `base × 2^n`, capped, half of it fixed and half random. */
export function backoffDelay(n: number, options: BackoffOptions, random: () => number = options.random ?? Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(0, n), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The failures of one thing retried in a row, and the delay each calls for. */
export class Backoff {
  readonly #options: BackoffOptions;
  #failures = 0;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  fail(): number {
    return backoffDelay(this.#failures++, this.#options);
  }

  succeed(): void {
    this.#failures = 0;
  }

  get failures(): number {
    return this.#failures;
  }
}
