/**
 * @module Bounded concurrency: a counting semaphore that runs at most `max` jobs at
 * once and queues the rest in order, and `mapLimit` over a list. The pipeline uses it
 * for OCR (one job per core: Tesseract runs single-threaded here, `OMP_THREAD_LIMIT=1`,
 * its OpenMP threading was 6× slower on this machine) and page reading; the agent
 * shares one between intake and export so that `concurrency: 4` means four files in
 * flight, whatever their direction.
 */

export class Limiter {
  readonly #max: number;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  readonly #idle: (() => void)[] = [];

  /** `max` below 1 is taken as 1: a limiter that runs nothing would wait forever. */
  constructor(max: number) {
    this.#max = Math.max(1, max);
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

/** Maps `items` through `fn` with at most `limit` calls in flight, keeping order; stops starting calls after the first failure. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
