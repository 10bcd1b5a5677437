/**
 * @module The stored page set's reads (core/page-set.ts) on a filesystem store that
 * counts them: a small stretch of the spool read once serves the stages that read
 * the same pages after it (each read a round trip on S3), every caller gets pages
 * of its own, and a long stretch is not kept. The pages stage's spool hands the page
 * set the bytes it wrote when they are few, so the run reads none of them back, and
 * stores such a short spool without its index: a later reader takes it in one read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePage, openStoredPages, storedPages, type PageIndex } from '../../src/core/page-set.ts';
import type { Page } from '../../src/core/page.ts';
import { pageIndexKey, pageLinesKey } from '../../src/core/task-files.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { createPageSpool } from '../../src/pipeline/pages/spool.ts';

function page(index: number, words: number): Page {
  const text = Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
  return { index, width: 612, height: 792, source: 'text', lines: [{ text, bbox: [0, 0, 10, 10], words: [] }] } as unknown as Page;
}

async function spool(pages: Page[]) {
  const dir = await mkdtemp(join(tmpdir(), 'docket-page-set-'));
  const inner = createFsBlobStore(dir);
  const reads: [number, number][] = [];
  const blobs = { ...inner, readRange: (key: string, offset: number, length: number) => (reads.push([offset, length]), inner.readRange(key, offset, length)) };
  const index: PageIndex = [];
  const lines: Buffer[] = [];
  let offset = 0;
  for (const p of pages) {
    const { json } = encodePage(p);
    index.push([offset, json.byteLength]);
    lines.push(Buffer.from(json));
    offset += json.byteLength;
  }
  await inner.put(pageLinesKey('t'), Buffer.concat(lines));
  return { set: storedPages(blobs, 't', index), reads, done: () => rm(dir, { recursive: true, force: true }) };
}

test('a small stretch is read once for the stages that read it in turn; each caller parses its own pages', async () => {
  const s = await spool([page(0, 50), page(1, 50), page(2, 50)]);
  const all = await s.set.range(0, 2);
  const first: Page[] = [];
  for await (const p of s.set.each(0, 0)) first.push(p);
  const again = await s.set.range(1, 2);
  assert.equal(s.reads.length, 1, 'one read of the spool');
  assert.deepEqual(first[0], all[0]);
  assert.notEqual(first[0], all[0], 'not the same object: a stage may change its pages');
  assert.deepEqual(again.map((p) => p.index), [1, 2]);
  await s.done();
});

test('a long stretch is not kept: long documents stay out of memory', async () => {
  const s = await spool([page(0, 20_000), page(1, 20_000)]);
  await s.set.range(0, 1);
  await s.set.range(0, 1);
  assert.equal(s.reads.length, 2);
  await s.set.range(0, 0);
  await s.set.range(0, 0);
  assert.equal(s.reads.length, 3, 'one page of the long stretch, small enough, is kept');
  await s.done();
});

test("the spool's own bytes serve the run: no read of what it just wrote, unless it was long", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-page-set-'));
  const inner = createFsBlobStore(dir);
  let reads = 0;
  const blobs = { ...inner, readRange: (key: string, offset: number, length: number) => (reads++, inner.readRange(key, offset, length)) };
  for (const [words, kept] of [[50, true], [20_000, false]] as const) {
    const spool = createPageSpool(blobs, `t${words}`);
    const pages = [page(0, words), page(1, words)];
    for (const p of pages) await spool.add({ ...encodePage(p) });
    const done = await spool.finish();
    assert.equal(done.bytes !== null, kept);
    const set = storedPages(blobs, `t${words}`, done.index, done.bytes);
    reads = 0;
    assert.deepEqual(await set.range(0, 1), pages);
    assert.equal(reads, kept ? 0 : 1);
    assert.equal((await inner.read(pageLinesKey(`t${words}`))).length, done.index.reduce((s, [, n]) => s + n, 0));
  }
  await rm(dir, { recursive: true, force: true });
});

test('a short spool is stored without its index and opened with one read; a long one with its index', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-page-set-'));
  const inner = createFsBlobStore(dir);
  const calls: string[] = [];
  const blobs = {
    ...inner,
    read: (key: string) => (calls.push(`read ${key}`), inner.read(key)),
    readRange: (key: string, offset: number, length: number) => (calls.push(`range ${key}`), inner.readRange(key, offset, length)),
  };
  for (const [words, indexed] of [[50, false], [20_000, true]] as const) {
    const id = `t${words}`;
    const spool = createPageSpool(blobs, id);
    // Pages finish out of order: the spool's lines are not in page order.
    const pages = [page(0, words), page(1, words), page(2, 5)];
    for (const p of [pages[2], pages[0], pages[1]] as Page[]) await spool.add(encodePage(p));
    await spool.finish();
    assert.equal(await inner.exists(pageIndexKey(id)), indexed);
    calls.length = 0;
    const set = await openStoredPages(blobs, id);
    assert.equal(set?.count, 3);
    assert.deepEqual(await set?.range(0, 2), pages);
    if (!indexed) assert.deepEqual(calls, [`range ${pageLinesKey(id)}`], 'one read opens and serves a short spool');
    else assert.ok(calls.includes(`read ${pageIndexKey(id)}`));
  }
  assert.equal(await openStoredPages(blobs, 'none'), null, 'no spool, no legacy pages: none');
  await rm(dir, { recursive: true, force: true });
});
