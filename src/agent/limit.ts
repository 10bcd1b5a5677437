/**
 * @module Bounded concurrency: at most `n` jobs at once (uploads, downloads, moves), the
 * rest queued in order. The agent shares one limiter between intake and export so that
 * `concurrency: 4` means four files in flight, whatever their direction.
 */

export class Limiter {
  readonly #max: number;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  readonly #idle: (() => void)[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#queue.push(resolve));
    this.#active++;
    try {
      return await job();
    } finally {
      this.#active--;
      const next = this.#queue.shift();
      if (next) next();
      else if (this.#active === 0) for (const done of this.#idle.splice(0)) done();
    }
  }

  /** Jobs running plus jobs waiting. */
  get pending(): number {
    return this.#active + this.#queue.length;
  }

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}
