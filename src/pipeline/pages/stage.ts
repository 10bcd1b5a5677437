/**
 * @module Stage 2–3, pages: every page of the file with words and lines (text layer
 * or OCR) through `ctx.engines.pages`, the page sizes on the capture result, and the
 * pages as JSON at `tasks/<id>/pages.json`, which later phases and the portal read.
 */
import { TaskFailure } from '../../core/errors.ts';
import type { Stage } from '../types.ts';

export function pagesKey(taskId: string): string {
  return `tasks/${taskId}/pages.json`;
}

export const pagesStage: Stage = {
  name: 'pages',
  async run(ctx) {
    if (ctx.fileType === null) throw new TaskFailure('unsupported_file_type');
    const pages = await ctx.engines.pages.readPages({ filePath: ctx.filePath, fileType: ctx.fileType, limits: ctx.limits, signal: ctx.signal });
    ctx.pages = pages;
    ctx.pageCount = pages.length;
    ctx.result.pages = pages.map((p) => ({ index: p.index, width: p.width, height: p.height, source: p.source }));
    await ctx.blobs.put(pagesKey(ctx.taskId), Buffer.from(JSON.stringify(pages)));
  },
};
