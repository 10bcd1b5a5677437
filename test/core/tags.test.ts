/**
 * @module X-Aluma-Tags parsing (src/shared/tags.ts) and ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTags, taskName } from '../../src/shared/tags.ts';
import { newId, isId } from '../../src/core/ids.ts';

test('the seed example parses, backslashes kept', () => {
  const r = parseTags('task_name=AB3947853&file_name=00001.pdf&file_path=C:\\inbox&file_created_time=1711958908');
  assert.deepEqual(r, { ok: true, tags: { task_name: 'AB3947853', file_name: '00001.pdf', file_path: 'C:\\inbox', file_created_time: '1711958908' } });
});

test('form decoding: escapes are UTF-8, + is a space (%2B a plus), = in values is kept', () => {
  const r = parseTags('file_name=my+file.pdf&plus=1%2B1&pct=100%25%20paid.pdf&x=a=b&u=%E2%82%AC&key.with-dash_=v');
  assert.ok(r.ok);
  assert.deepEqual({ ...r.tags }, { file_name: 'my file.pdf', plus: '1+1', pct: '100% paid.pdf', x: 'a=b', u: '€', 'key.with-dash_': 'v' });
  const key = parseTags('file%5Fname=a');
  assert.ok(key.ok && key.tags.file_name === 'a', 'keys are decoded too');
});

test('an invalid escape, escapes that are not UTF-8 and a key given twice are refused, naming the pair', () => {
  for (const [header, bad, reason] of [
    ['a=1&note=50% off', 'note=50% off', /"% o" is not a %XX escape/],
    ['note=%ZZ', 'note=%ZZ', /"%ZZ" is not a %XX escape/],
    ['note=ends in %', 'note=ends in %', /"%" is not a %XX escape/],
    ['note=%4', 'note=%4', /"%4" is not a %XX escape/],
    ['bad=%E2%82', 'bad=%E2%82', /"%E2%82" are not UTF-8/],
    ['k%ZZ=1', 'k%ZZ=1', /not a %XX escape/],
    ['a=1&b=2&a=3', 'a=3', /tag "a" is given twice/],
    ['file_name=x&file%5Fname=y', 'file%5Fname=y', /tag "file_name" is given twice/],
  ] as const) {
    const r = parseTags(header);
    assert.equal(r.ok, false, header);
    assert.equal(!r.ok && r.bad, bad, header);
    assert.match(!r.ok ? r.reason : '', reason, header);
  }
});

test('whatever encodeURIComponent or URLSearchParams writes reads back as given', () => {
  const tags = { file_name: '100% paid & done + more.pdf', file_path: 'C:\\inbox\\a b', note: 'naïve = €/日本 ✓', empty: '' };
  const viaSearchParams = parseTags(new URLSearchParams(tags).toString());
  assert.ok(viaSearchParams.ok);
  assert.deepEqual({ ...viaSearchParams.tags }, tags);
  const viaComponent = parseTags(Object.entries(tags).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
  assert.ok(viaComponent.ok);
  assert.deepEqual({ ...viaComponent.tags }, tags);
});

test('malformed pairs are named', () => {
  assert.deepEqual(parseTags('a=1&oops'), { ok: false, bad: 'oops', reason: 'tag "oops" has no "="' });
  const r = parseTags('a b=1');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.bad, 'a b=1');
  assert.deepEqual(parseTags(''), { ok: true, tags: {} });
  assert.deepEqual(parseTags('a=1&&b=2'), { ok: true, tags: { a: '1', b: '2' } });
});

test('__proto__ is an ordinary key and cannot pollute', () => {
  const r = parseTags('__proto__=x&constructor=y');
  assert.ok(r.ok);
  assert.equal(r.tags.__proto__, 'x');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('the task name falls back from task_name to file_name to the id', () => {
  assert.equal(taskName({ task_name: 'T', file_name: 'F' }, 'id'), 'T');
  assert.equal(taskName({ file_name: 'F' }, 'id'), 'F');
  assert.equal(taskName({}, 'id'), 'id');
});

test('ids are 22 base64url characters and unique', () => {
  const ids = new Set(Array.from({ length: 10_000 }, newId));
  assert.equal(ids.size, 10_000);
  for (const id of ids) assert.ok(isId(id), id);
  assert.equal(isId('short'), false);
});
