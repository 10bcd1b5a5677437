/**
 * @module What the pattern suites share: the time bound a pattern call must meet
 * and a timer for one pattern on one subject.
 */
import assert from 'node:assert/strict';
import { compilePattern, Pattern } from '../../src/core/project/pattern.ts';

/** Generous on a loaded 2-core machine; the target is 50 ms and the figures are printed. */
export const BOUND_MS = 500;

export function compiled(source: string, flags = 'i'): Pattern {
  const p = compilePattern(source, flags);
  assert.ok(p instanceof Pattern, `${source}: ${p instanceof Pattern ? '' : p.problem}`);
  return p;
}

/** The slowest of `reps` runs of test + exec, after one warm-up run. */
export function worstMs(p: Pattern, subject: string, reps = 3): number {
  p.test(subject);
  p.exec(subject);
  let worst = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    p.test(subject);
    p.exec(subject);
    worst = Math.max(worst, performance.now() - t0);
  }
  return worst;
}

