/**
 * @module Property tests of the pattern engine (fast-check): random patterns from a
 * small regex grammar (nested groups, alternations, every quantifier, counted
 * repeats, classes, anchors) and random subjects. Every pattern is either refused
 * at compile or answers within the bound on long subjects; where it is accepted and
 * `RegExp` answers quickly (short subjects), both agree on whether, where and what
 * matches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePattern, Pattern } from '../../src/core/project/pattern.ts';
import { BOUND_MS } from './patterns-support.ts';

const ALPHABET = ['a', 'b', '1', ' ', '.', '-', 'A', '\n'];

const atom = fc.constantFrom('a', 'b', '1', ' ', '\\.', '-', '.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-z1]', '\\b', '^', '$');
const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{0,3}', '{1,}', '{2,5}');

const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; seq: string; piece: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('seq'), fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`)),
  seq: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((ps) => ps.join('')),
  piece: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(atom, quantifier).map(([a, q]) => (/^[\^$]|\\b/.test(a) ? a : a + q)),
    fc.tuple(fc.constantFrom('(', '(?:'), tie('expr'), quantifier).map(([open, e, q]) => `${open}${e})${q}`),
  ),
})).expr;

const flags = fc.constantFrom('', 'i', 'm', 's', 'im');
const shortSubject = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((cs) => cs.join(''));
const longSubject = fc.tuple(fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 4 }), fc.constantFrom(...ALPHABET)).map(([unit, end]) => unit.join('').repeat(Math.ceil(3999 / unit.length)).slice(0, 3999) + end);

function compiles(source: string, f: string): Pattern | null {
  const p = compilePattern(source, f);
  return p instanceof Pattern ? p : null;
}

test('random patterns: refused at compile, or answered within the bound on 4000-character subjects', { timeout: 300_000 }, (t) => {
  let worst = { ms: 0, what: '' };
  let refused = 0;
  fc.assert(
    fc.property(pattern, flags, longSubject, (source, f, subject) => {
      const p = compiles(source, f);
      if (!p) {
        refused++;
        return;
      }
      // The better of two runs: on a loaded machine one run may include a scheduler or GC pause of tens of ms.
      const ms = Math.min(...[0, 1].map(() => {
        const t0 = performance.now();
        p.test(subject);
        p.exec(subject);
        return performance.now() - t0;
      }));
      if (ms > worst.ms) worst = { ms, what: `/${source}/${f} on ${JSON.stringify(subject.slice(0, 8))}…` };
      assert.ok(ms <= BOUND_MS, `/${source}/${f}: ${ms.toFixed(1)} ms`);
    }),
    { numRuns: 400, seed: 20261207 },
  );
  t.diagnostic(`400 patterns, ${refused} refused; slowest test + exec ${worst.ms.toFixed(2)} ms: ${worst.what}`);
});

/** RegExp's answer, or undefined when it took long enough to be a backtracking blow-up (not a fair reference). */
function reference(source: string, f: string, subject: string): RegExpExecArray | null | undefined {
  const re = new RegExp(source, f);
  const t0 = performance.now();
  const m = re.exec(subject);
  return performance.now() - t0 > 20 ? undefined : m;
}

/**
 * Whether a repeated group can match the empty string (`(a??)+`, `(a*)*`): there the
 * engines differ by design — ECMAScript stops a repetition on an empty iteration
 * and resets captures per iteration (ECMA-262 RepeatMatcher), RE2 follows Perl — so
 * such patterns are not compared.
 */
function repeatsEmptyGroup(source: string): boolean {
  const opens: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    else if (c === '(') opens.push(i);
    else if (c === ')') {
      const open = opens.pop() as number;
      const body = source.slice(source.startsWith('(?:', open) ? open + 3 : open + 1, i);
      // Assertions (`\b`, `^`, `$`) are dropped: an empty iteration may sit where they hold.
      if (/^[*+?{]/.test(source.slice(i + 1)) && new RegExp(`^(?:${body.replace(/\\b|\^|\$/g, '')})$`).test('')) return true;
    }
  }
  return false;
}

test('where both accept, RE2 and RegExp agree on whether, where and what matches (and on the first group)', { timeout: 300_000 }, (t) => {
  let compared = 0;
  fc.assert(
    fc.property(pattern, flags, shortSubject, (source, f, subject) => {
      const p = compiles(source, f);
      if (!p || repeatsEmptyGroup(source)) return;
      const expected = reference(source, f, subject);
      if (expected === undefined) return;
      compared++;
      const got = p.exec(subject);
      assert.equal(p.test(subject), expected !== null, `/${source}/${f} test on ${JSON.stringify(subject)}`);
      assert.deepEqual(got && [got.index, got.text], expected && [expected.index, expected[0]], `/${source}/${f} on ${JSON.stringify(subject)}`);
      if (got && expected) assert.equal(got.group, expected[1], `/${source}/${f} group 1 on ${JSON.stringify(subject)}`);
    }),
    { numRuns: 6000, seed: 20261207 },
  );
  t.diagnostic(`${compared} of 6000 pairs compared (the others refused, repeating an empty group, or slow in RegExp)`);
  assert.ok(compared > 1500, `${compared} compared`);
});
