/**
 * @module Keeps docs/errors.md and the error registry (src/core/errors.ts) in step:
 * every code documented with its status, and nothing documented that does not exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PROBLEMS, TASK_ERRORS } from '../../src/core/errors.ts';

const doc = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');

test('every HTTP problem is documented with its status, and only those', () => {
  const rows = [...doc.matchAll(/^\| `\/problems\/([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(Object.fromEntries(rows), Object.fromEntries(Object.entries(PROBLEMS).map(([k, v]) => [k, v.status])));
});

test('every task failure code is documented, and only those', () => {
  const section = doc.slice(doc.indexOf('## Task failure reasons'));
  const codes = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(codes, Object.keys(TASK_ERRORS).sort());
});
