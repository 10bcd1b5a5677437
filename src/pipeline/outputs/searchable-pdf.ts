/**
 * @module The searchable-PDF output: asks the page engine (`ctx.engines.pages`) for a
 * PDF of a page range with an invisible text layer. The words come from the pages the
 * capture phase read; in the finish phase after validation `ctx.pages` is empty (it is
 * a new run), so they are opened from the task's stored pages (core/page-set.ts),
 * which the pages stage writes. Only the pages of the range being built are loaded.
 */
import { TaskFailure } from '../../core/errors.ts';
import type { Page } from '../../core/page.ts';
import { openStoredPages, pagesInMemory, type PageSet } from '../../core/page-set.ts';
import type { FileType, PipelineContext } from '../types.ts';

interface SearchablePdfBuilder {
  buildSearchablePdf(input: { filePath: string; fileType: FileType; pages: Page[]; first: number; last: number }): Promise<Uint8Array>;
}

function pageBuilder(ctx: PipelineContext): SearchablePdfBuilder | null {
  const pages = (ctx.engines as { pages?: Partial<SearchablePdfBuilder> }).pages;
  return pages && typeof pages.buildSearchablePdf === 'function' ? (pages as SearchablePdfBuilder) : null;
}

export function canBuildSearchablePdf(ctx: PipelineContext): boolean {
  return pageBuilder(ctx) !== null;
}

/** The task's pages with words: from the context, else the stored ones (none for a task without). */
export async function taskPages(ctx: PipelineContext): Promise<PageSet> {
  if (ctx.pages.count > 0) return ctx.pages;
  return (await openStoredPages(ctx.blobs, ctx.taskId)) ?? pagesInMemory([]);
}

export async function buildSearchablePdf(ctx: PipelineContext, pages: Page[], first: number, last: number): Promise<Uint8Array> {
  const builder = pageBuilder(ctx);
  if (builder === null) throw new TaskFailure('processing_error', 'the project asks for a searchable PDF and this server has no page engine');
  if (ctx.fileType === null) throw new TaskFailure('processing_error', 'the file type is unknown when building outputs');
  return builder.buildSearchablePdf({ filePath: ctx.filePath, fileType: ctx.fileType, pages, first, last });
}
