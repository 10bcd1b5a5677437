/**
 * @module Runs the capture stages as the processor does (pipeline/processor.ts): the
 * production list of `captureStages()`, from a named stage to its end, over one
 * context — so capture tests check the code a task runs (classifyStage,
 * extractStage with its long-document parts, the second reading, validateStage,
 * decideStage), not helpers beside it. The pages come from `pagesInMemory`, the same
 * `PageSet` contract the stored pages keep. The stages after `pages` read pages only
 * through `ctx.pages`, so no blob store or page engine is given: one that reached
 * for them would fail loudly here.
 */
import type { CaptureResult, DocumentResult } from '../../src/core/capture.ts';
import type { Page } from '../../src/core/page.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import type { Project } from '../../src/core/project.ts';
import { captureStages } from '../../src/pipeline/stages.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';

export async function runCaptureStages(project: Project, pages: Page[], documents: DocumentResult[], from: 'classify' | 'extract'): Promise<CaptureResult> {
  const stages = captureStages();
  const start = stages.findIndex((s) => s.name === from);
  if (start < 0) throw new Error(`no capture stage named ${from}`);
  const ctx: PipelineContext = {
    // Not a PDF: no file stands behind these pages, so the e-invoice stage has no attachments to look for.
    taskId: 'T', project, tags: {}, blobs: null as never, fileKey: 'uploads/T', filePath: '', fileType: 'png',
    pageCount: pages.length, pages: pagesInMemory(pages),
    result: { pages: pages.map((p) => ({ index: p.index, width: p.width, height: p.height, source: p.source })), documents, actions: [], needs_validation: false },
    outputs: [], limits: DEFAULT_LIMITS, engines: { close: async () => {}, pages: null as never }, signal: new AbortController().signal,
  };
  for (const stage of stages.slice(start)) await stage.run(ctx);
  return ctx.result;
}
