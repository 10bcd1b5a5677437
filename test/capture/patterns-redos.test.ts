/**
 * @module ReDoS attacks against the pattern engine and our own fixed patterns.
 * `recheck` (a ReDoS checker) finds an attack string for each classic vulnerable
 * pattern; pumped to the 4000 characters a pattern may read, each must be refused
 * at upload or answered within the bound by our engine. Our own `RegExp` literals
 * (not user input, so they stay `RegExp`) are run on long hostile OCR lines, and no
 * source file may hand a project pattern to `RegExp`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';
import { compilePattern, Pattern } from '../../src/core/project/pattern.ts';
import { BOUND_MS, worstMs } from './patterns-support.ts';

/** Classic vulnerable shapes (OWASP, the recheck and regexploit examples, CVE write-ups). */
const CLASSIC = [
  '^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^(a|a?)+$', '^(.*a){12}$', '^(\\w+\\s?)*$', '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
  '^(([a-z])+.)+[A-Z]([a-z])+$', '(\\d+)*x', '\\d*\\d*\\d*x', '^(\\s*,\\s*)*$', '(.*,)*x', '^[\\s\\S]*?a[\\s\\S]*?b$', '^(\\d+|\\d+\\.\\d+)*$',
  '(x+x+)+y', '^(?:[0-9]+,?)+$', '\\s*#?\\s*$', '^(a?){25}a{25}$', '<[^>]*?(?:\\s*\\w+=\\"[^\\"]*\\")*\\s*/?>', '^([\\w.-]+)+@',
];

function pumped(attack: { pumps?: { prefix: string; pump: string }[]; suffix?: string; string: string }, length = 4000): string {
  const pumps = attack.pumps ?? [];
  if (pumps.length === 0) return attack.string;
  const per = Math.floor(length / pumps.length);
  const body = pumps.map((p) => p.prefix + p.pump.repeat(Math.max(1, Math.floor(per / Math.max(1, p.pump.length))))).join('');
  return (body + (attack.suffix ?? '')).slice(-length);
}

test("recheck's attack strings for classic ReDoS patterns: refused at upload, or answered within the bound", { timeout: 240_000 }, async (t) => {
  let attacked = 0;
  for (const source of CLASSIC) {
    const diagnosis = await check(source, '', { timeout: 5000 });
    if (diagnosis.status !== 'vulnerable') continue;
    attacked++;
    const compiled = compilePattern(source, '');
    if (!(compiled instanceof Pattern)) {
      t.diagnostic(`${source}: refused (${compiled.problem})`);
      continue;
    }
    for (const subject of [diagnosis.attack.string, pumped(diagnosis.attack)]) {
      const ms = worstMs(compiled, subject, 2);
      t.diagnostic(`${source} (${diagnosis.complexity.type}) on ${subject.length} chars: ${ms.toFixed(2)} ms`);
      assert.ok(ms <= BOUND_MS, `${source}: ${ms} ms`);
    }
  }
  assert.ok(attacked >= 15, `recheck found attacks for ${attacked} patterns`);
});

const SOURCES = ['src/pipeline/capture', 'src/core/project'].flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => join(d, f)));

/** Regex literals written in our sources, found by shape (enough for this check: a missed literal is a missed test, never a false alarm). */
function ourLiterals(): { where: string; re: RegExp }[] {
  const out: { where: string; re: RegExp }[] = [];
  for (const file of SOURCES) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?<=[=(,:!&|?]\s*)\/((?:[^/\\\n[]|\\.|\[(?:[^\]\\]|\\.)*\])+)\/([dgimsuyv]*)/g)) {
      try {
        // `y` stays (a sticky regex is tried at one position only, as the code runs it); `g` goes (no state between lines).
        out.push({ where: file, re: new RegExp(m[1] as string, (m[2] as string).replace(/g/g, '')) });
      } catch {
        // Not a regex (a division in an expression): skipped.
      }
    }
  }
  return out;
}

test('our own fixed patterns stay fast on long hostile OCR lines', async (t) => {
  const normalize = await import('../../src/pipeline/capture/normalize.ts');
  const literals = [...ourLiterals(), ...Object.entries(normalize).filter((e): e is [string, RegExp] => e[1] instanceof RegExp).map(([k, re]) => ({ where: `normalize.${k}`, re }))];
  assert.ok(literals.length > 100, `${literals.length} literals`);
  const lines = ['1'.repeat(4000), '1 '.repeat(2000), '1.'.repeat(2000), '12345 '.repeat(666), '@'.repeat(4000), 'a@'.repeat(2000), ' '.repeat(4000), ', '.repeat(2000), 'AB12 '.repeat(800), '(1'.repeat(2000), 'no '.repeat(1333), '0000-'.repeat(800)];
  let worst = { ms: 0, what: '' };
  for (const { where, re } of literals) {
    for (const line of lines) {
      re.lastIndex = 0;
      const t0 = performance.now();
      re.exec(line);
      const ms = performance.now() - t0;
      if (ms > worst.ms) worst = { ms, what: `${where} ${re.source.slice(0, 50)} on ${JSON.stringify(line.slice(0, 8))}…` };
    }
  }
  t.diagnostic(`${literals.length} literals × ${lines.length} lines of 4000 chars; slowest ${worst.ms.toFixed(2)} ms: ${worst.what}`);
  assert.ok(worst.ms <= BOUND_MS, worst.what);
});

test('no source compiles a project pattern with RegExp: every project pattern goes through core/project/pattern.ts', () => {
  const fields = /\b(?:pattern|until|end|barcode_pattern|source)\b/;
  for (const file of [...SOURCES, 'src/api/portal/preview.ts', 'src/api/portal/validation.ts']) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new RegExp\(([^;]*)/g)) {
      assert.ok(!fields.test(m[1] as string), `${file}: RegExp built from a project pattern: new RegExp(${m[1]}`);
    }
    assert.ok(!/\bcompileSafe\b|\bcachedRegex\b/.test(text), `${file} uses the old RegExp path`);
  }
});
