/**
 * @module The pages stage on a real context: engines from `createEngines`, a
 * filesystem blob store. It fills `ctx.pageCount` and `ctx.result.pages`, stores
 * each page as it is read (`pages.jsonl` and its index) and opens `ctx.pages` over
 * them; a file that fails part-way leaves no page file behind.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngines } from '../../src/pipeline/engines.ts';
import { pagesStage } from '../../src/pipeline/pages/stage.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import { openStoredPages, pagesInMemory } from '../../src/core/page-set.ts';
import { legacyPagesKey, pageIndexKey, pageLinesKey } from '../../src/core/task-files.ts';
import { TaskFailure } from '../../src/core/errors.ts';
import { textPdf, withTempDir } from './fixtures.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject } from '../../src/core/project.ts';

const engines = await createEngines({ threads: 2 });
const parsed = parseProject(demoProject());
if (!parsed.ok) throw new Error('the demo project does not parse');
const project = parsed.project;
after(() => engines.close());

function context(dir: string, path: string, limits = DEFAULT_LIMITS): PipelineContext {
  return {
    taskId: 'task1',
    blobs: createFsBlobStore(join(dir, 'blobs')),
    filePath: path,
    fileType: 'pdf',
    pageCount: 0,
    pages: pagesInMemory([]),
    result: { pages: [], documents: [], actions: [], needs_validation: false },
    limits,
    engines,
    project,
    signal: new AbortController().signal,
  } as unknown as PipelineContext;
}

describe('pages stage', () => {
  it('stores each page and opens ctx.pages over the stored pages', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'in.pdf');
      const texts = Array.from({ length: 60 }, (_, i) => `Page number ${i + 1} here`);
      await textPdf(path, texts.map((text) => [{ text, x: 72, baseline: 72, size: 12 }]));
      const ctx = context(dir, path);
      await pagesStage.run(ctx);
      assert.equal(ctx.pageCount, 60);
      assert.deepEqual(ctx.result.pages[1], { index: 1, width: 612, height: 792, source: 'text' });
      assert.equal(ctx.pages.count, 60);
      const again = await openStoredPages(ctx.blobs, 'task1');
      assert.ok(again);
      // Text pages come in chunks of 25 from two threads, so the file is not in page order; ranges still are.
      const some = await again.range(23, 27);
      assert.deepEqual(some.map((p) => p.index), [23, 24, 25, 26, 27]);
      assert.deepEqual(some.map((p) => p.lines[0]?.text), texts.slice(23, 28));
      const walked: number[] = [];
      for await (const p of again.each(57)) walked.push(p.index);
      assert.deepEqual(walked, [57, 58, 59]);
      assert.deepEqual(await again.range(70, 80), []);
    });
  });

  it('a file over the page limit fails and leaves no page file', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'in.pdf');
      await textPdf(path, [[{ text: 'one', x: 72, baseline: 72, size: 12 }], [{ text: 'two', x: 72, baseline: 72, size: 12 }]]);
      const ctx = context(dir, path, { ...DEFAULT_LIMITS, maxPages: 1 });
      await assert.rejects(pagesStage.run(ctx), (err: unknown) => err instanceof TaskFailure && err.code === 'too_many_pages');
      assert.equal(await ctx.blobs.exists(pageLinesKey('task1')), false);
      assert.equal(await ctx.blobs.exists(pageIndexKey('task1')), false);
      assert.deepEqual(await readdir(join(dir, 'blobs', '.tmp')).catch(() => []), []);
    });
  });

  it('tasks stored before pages.jsonl keep working from their pages.json', async () => {
    await withTempDir(async (dir) => {
      const blobs = createFsBlobStore(join(dir, 'blobs'));
      const page = { index: 0, width: 612, height: 792, dpi: 72, rotation: 0, source: 'text', words: [], lines: [] };
      await blobs.put(legacyPagesKey('old'), Buffer.from(JSON.stringify([page])));
      const set = await openStoredPages(blobs, 'old');
      assert.deepEqual(await set?.range(0, 0), [page]);
      assert.equal(await openStoredPages(blobs, 'none'), null);
    });
  });
});
