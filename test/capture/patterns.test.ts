/**
 * @module Project patterns run in linear time: the outside probe's patterns (which
 * froze the process for 15.9 s on 33 characters under `RegExp`) either are refused
 * at upload with their path, or answer on 4000-character attack values within the
 * bound; constructs the engine cannot run are refused with a reason; the per-page
 * time budget stops pattern work, leaves the field without a value and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProject } from '../../src/core/project.ts';
import { MAX_PROGRAM_SIZE, projectPattern } from '../../src/core/project/pattern.ts';
import { PatternBudget, withPatternBudget } from '../../src/core/project/pattern-budget.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { BOUND_MS, compiled, worstMs } from './patterns-support.ts';

function fieldWith(pattern: string): unknown {
  return { name: 'p', document_types: [{ name: 'A', fields: [{ name: 'code', rules: { pattern } }] }] };
}

test('the probe patterns: the oversized one is refused at upload with its path, the others answer fast on long attack values', (t) => {
  const refused = parseProject(fieldWith('^(?:a+){1,1000}$'));
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.problems[0]?.path, 'document_types[0].fields[0].rules.pattern');
    assert.match(refused.problems[0]?.message ?? '', /^unsupported regex: too large/);
  }
  const attacks: [string, string][] = [
    ['^(?:a+){1,100}$', `${'a'.repeat(4000)}!`],
    ['^(?:a?){1,100}a{25}$', 'a'.repeat(4000)],
    ['^(?:a?){1,60}a{60}$', 'a'.repeat(59)],
    ['\\d*\\d*\\d*\\d*\\d*x', '1'.repeat(4000)],
    ['(a+)+$', `${'a'.repeat(4000)}!`],
    ['(a|aa)*$', `${'a'.repeat(4000)}!`],
    ['^(\\w+\\s?)+$', `${'word '.repeat(800)}!`],
  ];
  for (const [source, subject] of attacks) {
    const ms = worstMs(compiled(source), subject);
    t.diagnostic(`${source} on ${subject.length} chars: ${ms.toFixed(2)} ms`);
    assert.ok(ms <= BOUND_MS, `${source}: ${ms} ms`);
  }
  // The answer is still right: a nested repeat matches what it should.
  assert.equal(compiled('^(?:a+){1,100}$').test('a'.repeat(33)), true);
  assert.equal(compiled('^(?:a+){1,100}$').test(`${'a'.repeat(33)}!`), false);
});

test('constructs the engine cannot run are refused at upload, each with its path and a reason', () => {
  const cases: [string, RegExp][] = [
    ['(a)\\1', /back-references/],
    ['(?<x>a)\\k<x>', /named back-references/],
    ['total(?=\\s)', /lookahead/],
    ['(?<=EUR )\\d+', /lookbehind/],
    ['(?>a+)b', /atomic groups/],
    ['a++b', /possessive/],
    ['end\\Z', /\\Z is not supported/],
    ['[a-z]{1001}', /repetition count above 1000/],
    ['(?:(?:\\d{1,10}){1,10}){1,10}', /too large/],
    ['x'.repeat(501), /longer than 500/],
    ['[', /^invalid regex/],
  ];
  for (const [source, reason] of cases) {
    const r = parseProject({ name: 'p', separation: { mode: 'first_page_pattern', pattern: source } });
    assert.equal(r.ok, false, source);
    if (!r.ok) {
      assert.equal(r.problems[0]?.path, 'separation.pattern', source);
      assert.match(r.problems[0]?.message ?? '', reason, source);
    }
  }
});

test('JavaScript escapes and RE2 syntax both work; flags i, m, s, u mean what they do in RegExp', () => {
  assert.equal(compiled('caf\\u00e9', '').test('café'), true);
  assert.equal(compiled('\\u{1F600}', '').test('a😀'), true);
  assert.equal(compiled('(?P<n>\\d+)', '').exec('ab12')?.group, '12');
  assert.equal(compiled('(?<n>\\d+)', '').exec('ab12')?.group, '12');
  assert.equal(compiled('^total$', 'im').test('x\nTOTAL\ny'), true);
  assert.equal(compiled('^total$', 'i').test('x\nTOTAL\ny'), false);
  assert.equal(compiled('a.b', 's').test('a\nb'), true);
  assert.equal(compiled('a.b', 'u').test('a\nb'), false);
  assert.equal(compiled('\\p{Lu}{3}', '').test('xÉTÉ'), true);
  // Indexes are UTF-16 offsets, as in RegExp, so spans line up with the text.
  const m = compiled('(\\d+)x').exec('é😀 12x');
  assert.deepEqual([m?.index, m?.groupIndex, m?.group], [4, 4, '12']);
});

test('every pattern of the demo project compiles, well under the size cap', () => {
  const sources = [...JSON.stringify(demoProject()).matchAll(/"(?:pattern|until|end)":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  assert.ok(sources.length >= 4);
  for (const s of sources) assert.ok(compiled(s).test('') !== null && s.length > 0);
  assert.ok(parseProject(demoProject()).ok);
  assert.ok(MAX_PROGRAM_SIZE >= 300);
});

test('a spent budget stops pattern work: no match, the pattern named in a note, nothing thrown', () => {
  const p = compiled('total\\s*(\\d+)');
  const budget = new PatternBudget(0);
  const out = withPatternBudget(budget, () => [p.test('total 5'), p.exec('total 5')]);
  assert.deepEqual(out, [null, null]);
  assert.ok(budget.exhausted);
  assert.match(budget.notes('page 1').join('\n'), /^page 1: pattern \/total\\s\*\(\\d\+\)\/ not run: the page's 0 ms pattern time budget was spent$/);
  // Outside a budget (and on a fresh one) the same pattern runs.
  assert.equal(p.exec('total 5')?.group, '5');
  assert.equal(withPatternBudget(new PatternBudget(50), () => p.test('total 5')), true);
  // A stored pattern this engine refuses (accepted by an older check) never matches and is named too.
  const stored = projectPattern('total(?=\\s)', 'i');
  const b2 = new PatternBudget(50);
  assert.equal(withPatternBudget(b2, () => stored.test('total 5')), null);
  assert.match(b2.notes('page 2')[0] ?? '', /lookahead/);
});

test('the budget counts the thread\'s CPU, not the waits of a loaded machine', () => {
  const p = compiled('total\\s*(\\d+)');
  // Wall time past the limit while the thread did next to no work (it was descheduled): the pattern still runs.
  const waited = new PatternBudget(20);
  waited.spentMs = 25;
  assert.equal(withPatternBudget(waited, () => p.test('total 5')), true);
  assert.equal(waited.exhausted, false);
  // The same wall time with the CPU really spent: the budget is spent.
  const busy = new PatternBudget(20);
  const t0 = process.threadCpuUsage();
  let x = 0;
  while (process.threadCpuUsage(t0).user + process.threadCpuUsage(t0).system < 25_000) x += Math.sqrt(x + 1);
  busy.spentMs = 25;
  assert.ok(x > 0);
  assert.equal(withPatternBudget(busy, () => p.test('total 5')), null);
  assert.ok(busy.exhausted);
});
