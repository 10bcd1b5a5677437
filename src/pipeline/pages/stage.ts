/**
 * @module Stage 2–3, pages: every page of the file with words and lines (text layer
 * or OCR) through `ctx.engines.pages`, each written to the task's folder as it is
 * read (spool.ts), the page sizes on the capture result, and `ctx.pages` opened
 * over the stored pages for the stages after it.
 */
import { TaskFailure } from '../../core/errors.ts';
import { storedPages } from '../../core/page-set.ts';
import { captureSettings } from '../../core/project.ts';
import type { Stage } from '../types.ts';
import { createPageSpool } from './spool.ts';

export const pagesStage: Stage = {
  name: 'pages',
  async run(ctx) {
    if (ctx.fileType === null) throw new TaskFailure('unsupported_file_type');
    const spool = createPageSpool(ctx.blobs, ctx.taskId);
    try {
      const { line_reading: lineReading, languages } = captureSettings(ctx.project).ocr;
      const input = { filePath: ctx.filePath, fileType: ctx.fileType, limits: ctx.limits, signal: ctx.signal, lineReading, ...(languages ? { languages } : {}) };
      await ctx.engines.pages.streamPages(input, (page) => spool.add(page));
    } catch (err) {
      await spool.abort(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    const { pages, index, bytes } = await spool.finish();
    ctx.result.pages = pages;
    ctx.pageCount = pages.length;
    ctx.pages = storedPages(ctx.blobs, ctx.taskId, index, bytes);
  },
};
