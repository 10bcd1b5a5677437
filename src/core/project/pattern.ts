/**
 * @module The one type a project pattern runs as: `Pattern`, compiled by RE2JS
 * (a pure-JavaScript port of RE2, https://github.com/google/re2/wiki/Syntax), whose
 * matching time is linear in the input. Every project pattern — field rules,
 * extraction patterns and `until`, table `end`, separation, classification — is
 * compiled here, once (at upload, by the project check, then from this module's
 * cache for every later use), and never by `RegExp`, which backtracks: with it
 * `^(?:a+){1,1000}$` took 15.9 s on a 33-character value and blocked the process.
 *
 * Engine choice, measured on this repository's demo project (29 patterns) over the
 * 8 123 receipt lines of the SROIE corpus plus four 4 000-character lines
 * (/tmp bench, Node 24, 2 shared cores under load), per call, median of 5:
 *
 * | engine   | test()   | exec()   | compile all 29 |
 * |----------|----------|----------|----------------|
 * | re2js    | 0.45 µs  | 3.29 µs  | 11.5 ms        |
 * | re2-wasm | 5.42 µs  | 9.13 µs  | 196 ms         |
 * | RegExp   | 0.32 µs  | 0.20 µs  | 0.5 ms         |
 *
 * re2js is 3–12× faster than re2-wasm here (no string copy into WebAssembly
 * memory) and needs no binary. Neither engine alone bounds the time: the cost is
 * input × program size, and `^(?:a+){1,1000}$` on 4 000 characters took 2.6–5.5 s
 * with re2js and 13–71 s with re2-wasm. Hence the caps:
 *
 * - the program is at most `MAX_PROGRAM_SIZE` instructions (re2js `programSize()`;
 *   the demo's largest is 154), which is also re2js's bound for its bit-state
 *   backtracker;
 * - `test` reads at most `MAX_MATCH_INPUT` characters and runs on RE2's DFA
 *   (0.07 ms for 4 000 characters on the hostile shapes measured);
 * - `exec` (capture groups) first asks the DFA whether there is a match at all,
 *   and reads at most 262 144 / program size characters (≥ 524), so re2js uses
 *   its backtracker, which visits each (instruction, position) pair once: at most
 *   262 144 steps, a few milliseconds, where its NFA took 25–206 ms beyond it.
 *
 * A page's pattern work is further capped in time (pattern-budget.ts).
 */
import { RE2JS } from 're2js';
import { currentBudget } from './pattern-budget.ts';
import { preCheck, toRe2Syntax } from './safe-regex.ts';

export const MAX_PROGRAM_SIZE = 500;
export const MAX_MATCH_INPUT = 4000;
/** re2js's bit-state backtracker runs while input length × program size stays within this (its MAX_BACKTRACK_VECTOR). */
const BACKTRACK_CELLS = 262_144;

export interface PatternMatch {
  /** UTF-16 index of the match in the text given. */
  index: number;
  text: string;
  /** The first capture group (the value), when the pattern has one and it took part. */
  group: string | undefined;
  groupIndex: number;
}

export class Pattern {
  readonly source: string;
  readonly flags: string;
  /** Set for a stored pattern this engine refuses: it then never matches. */
  readonly problem: string | null;
  readonly #re: RE2JS | null;
  readonly #window: number;
  #ran = false;

  constructor(source: string, flags: string, re: RE2JS | null, problem: string | null = null) {
    this.source = source;
    this.flags = flags;
    this.problem = problem;
    this.#re = re;
    this.#window = re ? Math.min(MAX_MATCH_INPUT, Math.floor(BACKTRACK_CELLS / Math.max(1, re.programSize()))) : 0;
  }

  /** Whether the pattern occurs in the first `MAX_MATCH_INPUT` characters; null when not run (budget spent, or a pattern that cannot run). */
  test(text: string): boolean | null {
    return this.#charged(() => (this.#re as RE2JS).test(text.length > MAX_MATCH_INPUT ? text.slice(0, MAX_MATCH_INPUT) : text));
  }

  /** The first match in the text's first characters (see the module note), or null. */
  exec(text: string): PatternMatch | null {
    return (
      this.#charged(() => {
        const re = this.#re as RE2JS;
        const input = text.length > this.#window ? text.slice(0, this.#window) : text;
        if (!re.test(input)) return null;
        const m = re.matcher(input);
        if (!m.find()) return null;
        const hasGroup = m.groupCount() >= 1 && m.start(1) >= 0;
        return { index: m.start(), text: m.group() ?? '', group: hasGroup ? (m.group(1) ?? undefined) : undefined, groupIndex: hasGroup ? m.start(1) : -1 };
      }) ?? null
    );
  }

  #charged<T>(run: () => T): T | null {
    const budget = currentBudget();
    if (this.#re === null) {
      budget?.skip(this.source, this.problem ?? 'invalid');
      return null;
    }
    if (budget === null) return run();
    if (budget.exhausted) {
      budget.skip(this.source, `the page's ${budget.limitMs} ms pattern time budget was spent`);
      return null;
    }
    // Cold, a pattern costs far more than warm: the engine builds its matcher on the first run and V8 interprets the
    // engine's code until it has run often. The demo's patterns took 60–115 ms on the first document of an eval
    // (under 8 ms a page after), which spent that page's 50 ms budget and cost it a field (an invoice's currency) in
    // one eval run of three. So a pattern's first use runs it 120 times over short lines, and once over the input,
    // uncharged: bounded by the caps above, and ~10 ms once for the demo's first document after the change.
    if (!this.#ran) {
      this.#ran = true;
      const re = this.#re;
      for (let i = 0; i < 20; i++) for (const line of WARM_TEXT) if (re.test(line)) re.matcher(line).find();
      return run();
    }
    const t0 = performance.now();
    try {
      return run();
    } finally {
      budget.spentMs += performance.now() - t0;
    }
  }
}

function engineFlags(flags: string): number {
  return (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0) | (flags.includes('s') ? RE2JS.DOTALL : 0);
}

/** Short lines of the kinds projects read: each pattern runs over them before its first charged run. */
const WARM_TEXT = ['INVOICE No. 2024-0815 dated 05.03.2024', 'Total EUR 1.234,56', 'MwSt 19 % auf 252,10: 47,90', 'GST ID: 001234567890 SDN BHD', 'Tel +60 3-1234 5678', 'due date 2024-04-04 pay by transfer'];

/** Compiles a project pattern, or says why it cannot be used. Flags: `i`, `m`, `s`; `u` is accepted and changes nothing (RE2 always reads code points). */
export function compilePattern(source: string, flags: string): Pattern | { problem: string } {
  const pre = preCheck(source);
  if (pre !== null) return { problem: pre };
  let re: RE2JS;
  try {
    re = RE2JS.compile(toRe2Syntax(source), engineFlags(flags));
  } catch (err) {
    return { problem: `invalid regex: ${(err as Error).message.replace(/^error parsing regexp: /, '')}` };
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) return { problem: `too large: ${re.programSize()} engine instructions, at most ${MAX_PROGRAM_SIZE} (shorten it or lower its {n,m} counts)` };
  return new Pattern(source, flags, re);
}

const cache = new Map<string, Pattern>();
const CACHE_SIZE = 2000;

/**
 * The compiled pattern for a source checked at upload, from the cache. A stored
 * project from before this engine may hold a pattern it refuses (a lookahead): that
 * pattern never matches, and the page records why (pattern-budget.ts).
 */
export function projectPattern(source: string, flags: string): Pattern {
  const key = `${flags}/${source}`;
  let p = cache.get(key);
  if (p) return p;
  const compiled = compilePattern(source, flags);
  p = compiled instanceof Pattern ? compiled : new Pattern(source, flags, null, compiled.problem);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, p);
  return p;
}

/** The problem with a pattern, or null; a usable pattern is kept in the cache so the upload's compile is the only one. */
export function patternProblem(source: string, flags: string): string | null {
  const compiled = compilePattern(source, flags);
  if (!(compiled instanceof Pattern)) return compiled.problem;
  const key = `${flags}/${source}`;
  if (!cache.has(key)) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
  }
  return null;
}
