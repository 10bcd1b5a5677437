/**
 * @module The second line of defence against costly project patterns: a time budget
 * for the pattern work of one page. The first line is the engine (RE2: linear time)
 * and the caps on pattern and input size (pattern.ts), which bound one match to a
 * few milliseconds; but a page runs many patterns over many lines, so the work of a
 * page is capped too. Once the budget is spent, the page's remaining pattern calls
 * answer "no match" at once (a field gets no value from them), and the pages'
 * document records a note naming the patterns that were not run. Nothing throws: a
 * task is never failed for it.
 *
 * The budget is 50 ms per page. On the labelled corpus all pattern work of a page
 * (demo project: classification, extraction, rules) takes under 1 ms, so this leaves
 * a 50-fold margin for legitimate projects while a hostile one costs a worker at
 * most 50 ms per page and never stops the event loop longer than that.
 *
 * Matching is synchronous, so the budget in force is a module-level slot set for the
 * duration of one synchronous call (`withPatternBudget`); pattern.ts reads it.
 */

export const PAGE_PATTERN_BUDGET_MS = 50;

export class PatternBudget {
  spentMs = 0;
  /** Patterns not run (budget spent) or that cannot run (a stored pattern RE2 refuses), by source. */
  readonly skipped = new Map<string, string>();

  readonly limitMs: number;

  constructor(limitMs: number) {
    this.limitMs = limitMs;
  }

  /** The thread's CPU time when the budget opened, in ms (`process.threadCpuUsage`, Node ≥ 23.9). */
  readonly #cpuAtStart = threadCpuMs();

  /**
   * Spent once the pattern calls' wall time reaches the limit and the thread's own CPU
   * since the budget opened does too. Wall time alone counts the waits of a loaded
   * machine: at load 20 on 2 cores a born-digital invoice lost its currency field in
   * one eval run of three. The thread's CPU bounds the pattern work from above, and is
   * read only when the wall time says the budget is spent (~9 µs a read at that load,
   * too dear for each of a page's hundreds of pattern calls).
   */
  get exhausted(): boolean {
    if (this.spentMs < this.limitMs) return false;
    const cpu = threadCpuMs() - this.#cpuAtStart;
    if (cpu >= this.limitMs) return true;
    this.spentMs = cpu;
    return false;
  }

  skip(source: string, reason: string): void {
    if (!this.skipped.has(source)) this.skipped.set(source, reason);
  }

  /** One line per pattern not run, for a document's notes. */
  notes(where: string): string[] {
    const shown = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
    return [...this.skipped].map(([source, reason]) => `${where}: pattern /${shown(source)}/ not run: ${reason}`);
  }
}

function threadCpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

let current: PatternBudget | null = null;

/** The budget pattern calls are charged to, or null outside any budgeted work (upload checks, training). */
export function currentBudget(): PatternBudget | null {
  return current;
}

/** Runs synchronous pattern work `fn` charged to `budget`; nested calls charge the innermost. */
export function withPatternBudget<T>(budget: PatternBudget, fn: () => T): T {
  const outer = current;
  current = budget;
  try {
    const out = fn();
    if (out instanceof Promise) throw new TypeError('withPatternBudget takes synchronous work only');
    return out;
  } finally {
    current = outer;
  }
}

/** A budget for `pages` pages of work (at least one). */
export function pageBudget(pages: number): PatternBudget {
  return new PatternBudget(PAGE_PATTERN_BUDGET_MS * Math.max(1, pages));
}

/** Runs `fn` on a fresh budget of `pages` pages and adds the notes of patterns it did not run to `notes` (created when needed). */
export function budgeted<T>(pages: number, where: string, holder: { notes?: string[] }, fn: () => T): T {
  const budget = pageBudget(pages);
  const out = withPatternBudget(budget, fn);
  const notes = budget.notes(where).filter((n) => !holder.notes?.includes(n));
  if (notes.length > 0) holder.notes = [...(holder.notes ?? []), ...notes];
  return out;
}
