/**
 * @module The pages stage on a real context: engines from `createEngines`, a
 * filesystem blob store. It fills `ctx.pages`, `ctx.pageCount`, `ctx.result.pages`
 * and writes `tasks/<id>/pages.json`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createEngines } from '../../src/pipeline/engines.ts';
import { pagesStage, pagesKey } from '../../src/pipeline/pages/stage.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import type { Page } from '../../src/core/page.ts';
import { textPdf, withTempDir } from './fixtures.ts';

const engines = await createEngines({ threads: 2 });
after(() => engines.close());

describe('pages stage', () => {
  it('fills the context and stores pages.json', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'in.pdf');
      await textPdf(path, [[{ text: 'Hello pages stage', x: 72, baseline: 72, size: 12 }], [{ text: 'Second page here', x: 72, baseline: 72, size: 12 }]]);
      const blobs = createFsBlobStore(join(dir, 'blobs'));
      const ctx = {
        taskId: 'task1',
        blobs,
        filePath: path,
        fileType: 'pdf',
        pageCount: 0,
        pages: [],
        result: { pages: [], documents: [], actions: [], needs_validation: false },
        limits: DEFAULT_LIMITS,
        engines,
        signal: new AbortController().signal,
      } as unknown as PipelineContext;
      await pagesStage.run(ctx);
      assert.equal(ctx.pageCount, 2);
      assert.deepEqual(ctx.result.pages, [
        { index: 0, width: 612, height: 792, source: 'text' },
        { index: 1, width: 612, height: 792, source: 'text' },
      ]);
      const stored = JSON.parse((await blobs.read(pagesKey('task1'))).toString('utf8')) as Page[];
      assert.deepEqual(stored, ctx.pages);
      assert.equal(stored[0]!.lines[0]!.text, 'Hello pages stage');
    });
  });
});
