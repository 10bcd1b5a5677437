/** @module The agent's pure parts: globs, file stability, backoff, idempotency keys, tags and task names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, pathFilter, DEFAULT_EXCLUDE } from '../../src/agent/globs.ts';
import { StabilityTracker } from '../../src/agent/stability.ts';
import { Backoff } from '../../src/shared/backoff.ts';
import { encodeTagValue, filePathTag, formatTags, idempotencyKey, intakeTags, renderTaskName, type FileFacts } from '../../src/agent/intake-facts.ts';
import { parseTags } from '../../src/shared/tags.ts';

test('globs: *, **, ?, classes and alternatives, case-insensitive', () => {
  assert.ok(globToRegExp('*.pdf').test('SCAN.PDF'));
  assert.ok(!globToRegExp('*.pdf').test('sub/scan.pdf'));
  assert.ok(globToRegExp('**/*.pdf').test('scan.pdf'));
  assert.ok(globToRegExp('**/*.pdf').test('a/b/scan.pdf'));
  assert.ok(globToRegExp('invoices/**').test('invoices/2024/x.tif'));
  assert.ok(globToRegExp('*.{tif,tiff}').test('a.tiff'));
  assert.ok(globToRegExp('scan-??.pdf').test('scan-07.pdf'));
  assert.ok(globToRegExp('[!~]*.pdf').test('a.pdf'));
  assert.ok(!globToRegExp('[!~]*.pdf').test('~a.pdf'));
  const keep = pathFilter(['**/*.pdf', '**/*.tif'], DEFAULT_EXCLUDE);
  assert.ok(keep('in\\sub\\a.pdf'));
  assert.ok(!keep('a.docx'));
  assert.ok(!keep('sub/.hidden.pdf'));
  assert.ok(!keep('~$report.pdf'));
  assert.ok(!keep('a.pdf.part'));
});

test('a file is stable only after size and mtime stayed the same for the whole wait', () => {
  const t = new StabilityTracker(1000);
  assert.equal(t.observe('a', 10, 1, 0), 'changed');
  assert.equal(t.observe('a', 10, 1, 500), 'waiting');
  assert.equal(t.observe('a', 20, 1, 900), 'changed');
  assert.equal(t.observe('a', 20, 1, 1800), 'waiting');
  assert.equal(t.observe('a', 20, 2, 1900), 'changed', 'an mtime change restarts the wait even at the same size');
  assert.equal(t.observe('a', 20, 2, 2900), 'stable');
  t.reset('a', 3000);
  assert.equal(t.observe('a', 20, 2, 3500), 'waiting');
  t.forget('a');
  assert.equal(t.size, 0);
});

test('backoff doubles with jitter, is capped, and resets', () => {
  const low = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([low.fail(), low.fail(), low.fail(), low.fail(), low.fail()], [50, 100, 200, 400, 500]);
  const high = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 1 });
  assert.deepEqual([high.fail(), high.fail(), high.fail(), high.fail(), high.fail(), high.fail()], [100, 200, 400, 800, 1000, 1000]);
  high.succeed();
  assert.equal(high.fail(), 100);
});

const facts: FileFacts = {
  projectId: 'P', folder: 'C:\\inbox', relativePath: 'batch 1/100% paid & done.pdf', size: 10, mtimeMs: 1700000000123.4,
  createdMs: Date.UTC(2024, 2, 25, 16, 37, 8, 900), sha256: 'ab'.repeat(32),
};

test('the idempotency key is stable for the same file and differs for any change', () => {
  const key = idempotencyKey(facts);
  assert.equal(key, idempotencyKey({ ...facts }));
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  for (const change of [{ projectId: 'Q' }, { relativePath: 'x.pdf' }, { size: 11 }, { mtimeMs: 1700000001000 }, { sha256: 'cd'.repeat(32) }]) {
    assert.notEqual(idempotencyKey({ ...facts, ...change }), key);
  }
});

test('tags survive the trip through X-Aluma-Tags, backslashes, % and & included', () => {
  const tags = intakeTags(facts, '{file_name}');
  assert.deepEqual(tags, {
    task_name: '100% paid & done.pdf',
    file_name: '100% paid & done.pdf',
    file_path: 'C:\\inbox\\batch 1',
    file_created_time: '2024-03-25T16:37:08Z',
  });
  const parsed = parseTags(formatTags({ ...tags, note: 'naïve = %41 + €' }));
  assert.ok(parsed.ok);
  assert.deepEqual({ ...parsed.tags }, { ...tags, note: 'naïve = %41 + €' });
  assert.equal(encodeTagValue('a\\b c'), 'a\\b c');
});

test('file_path keeps the folder as given, in its own separator style', () => {
  assert.equal(filePathTag('C:\\inbox', 'a.pdf'), 'C:\\inbox');
  assert.equal(filePathTag('C:\\inbox\\', 'x/y/a.pdf'), 'C:\\inbox\\x\\y');
  assert.equal(filePathTag('\\\\server\\share', 'x/a.pdf'), '\\\\server\\share\\x');
  assert.equal(filePathTag('/srv/inbox', 'x/a.pdf'), '/srv/inbox/x');
});

test('task name templates', () => {
  assert.equal(renderTaskName('{file_stem}', facts), '100% paid & done');
  assert.equal(renderTaskName('{folder_name}-{file_ext}-{created_date}', facts), 'batch 1-pdf-2024-03-25');
  assert.equal(renderTaskName('{relative_path}', facts), 'batch 1/100% paid & done.pdf');
  assert.equal(renderTaskName('{unknown}', facts), '{unknown}');
  assert.equal(renderTaskName('  ', facts), '100% paid & done.pdf');
});
