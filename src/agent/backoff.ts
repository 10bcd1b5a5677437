/**
 * @module Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff and Jitter", 2015): the delay after the n-th consecutive failure is uniform
 * in [base·2ⁿ/2, base·2ⁿ], capped. Half the range is kept as a floor so that a
 * restarted server is not hit again within milliseconds, while many agents restarted
 * together still spread out. Pure: the random source is injected.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  readonly #base: number;
  readonly #max: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(options: BackoffOptions) {
    this.#base = options.baseMs;
    this.#max = options.maxMs;
    this.#random = options.random ?? Math.random;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  fail(): number {
    const ceiling = Math.min(this.#max, this.#base * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }

  succeed(): void {
    this.#failures = 0;
  }

  get failures(): number {
    return this.#failures;
  }
}
