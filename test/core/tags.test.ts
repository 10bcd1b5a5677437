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

test('valid escapes decode, other % stays, = in values is kept', () => {
  const r = parseTags('file_name=100%25%20paid.pdf&note=50% off&x=a=b&u=%E2%82%AC&bad=%E2%82');
  assert.ok(r.ok);
  assert.equal(r.tags.file_name, '100% paid.pdf');
  assert.equal(r.tags.note, '50% off');
  assert.equal(r.tags.x, 'a=b');
  assert.equal(r.tags.u, '€');
  assert.equal(r.tags.bad, '%E2%82');
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
