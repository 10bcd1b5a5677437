/**
 * @module Runs the stage list for one task: the `TaskProcessor` the worker is
 * handed. It keeps the capture result through the task-result port between the two
 * phases. When a person completed validation, the API only checked the submission
 * and recorded it as corrections; the `finish` phase applies them here, in the
 * worker, extracting again the documents whose type or pages changed, and builds
 * the outputs from the corrected result. Should a rule fail only on values
 * extracted again, the task goes back to validation with those problems marked.
 */
import type { BlobStore } from '../core/ports/blob-store.ts';
import type { ProcessInput, ProcessOutcome, TaskProcessor } from '../core/ports/task-processor.ts';
import { blobTaskResults } from '../core/task-results.ts';
import { type TaskResults } from '../core/ports/task-results.ts';
import { openStoredPages, pagesInMemory } from '../core/page-set.ts';
import { applyValidationResults } from './capture/results.ts';
import { captureStages, finishStages } from './stages.ts';
import { DEFAULT_LIMITS, type Engines, type Limits, type PipelineContext, type Stage } from './types.ts';

export interface ProcessorDeps {
  blobs: BlobStore;
  engines: Engines;
  /** Where results and corrections are kept; over `blobs` when not given. */
  results?: TaskResults;
  limits?: Partial<Limits>;
  captureStages?: readonly Stage[];
  finishStages?: readonly Stage[];
}

async function runStages(stages: readonly Stage[], ctx: PipelineContext): Promise<void> {
  for (const stage of stages) {
    ctx.signal.throwIfAborted();
    await stage.run(ctx);
  }
}

/** Applies a person's recorded corrections, if any; false when the task must go back to validation. */
async function applyCorrections(ctx: PipelineContext, results: TaskResults): Promise<boolean> {
  const corrections = await results.readCorrections(ctx.taskId);
  if (!corrections) return true;
  const pages = (await openStoredPages(ctx.blobs, ctx.taskId)) ?? pagesInMemory([]);
  const applied = await applyValidationResults({ project: ctx.project, result: ctx.result, pages, submitted: corrections });
  ctx.result = applied.result;
  await results.writeCorrected(ctx.taskId, ctx.result);
  return applied.problems.length === 0;
}

export function createProcessor(deps: ProcessorDeps): TaskProcessor {
  const limits: Limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const capture = deps.captureStages ?? captureStages();
  const finish = deps.finishStages ?? finishStages();
  const results = deps.results ?? blobTaskResults(deps.blobs);
  return async (input: ProcessInput): Promise<ProcessOutcome> => {
    // A remote store's file is copied to scratch for the engines and dropped when the run ends, whichever way.
    const file = await deps.blobs.localFile(input.fileKey);
    try {
      return await run(input, file.path);
    } finally {
      await file.release();
    }
  };

  async function run(input: ProcessInput, filePath: string): Promise<ProcessOutcome> {
    const ctx: PipelineContext = {
      taskId: input.taskId,
      project: input.project,
      tags: input.tags,
      blobs: deps.blobs,
      fileKey: input.fileKey,
      filePath,
      fileType: null,
      pageCount: 0,
      pages: pagesInMemory([]),
      result: { pages: [], documents: [], actions: [], needs_validation: false },
      outputs: [],
      limits,
      engines: deps.engines,
      signal: input.signal,
    };
    if (input.phase === 'capture') {
      await runStages(capture, ctx);
      await results.write(input.taskId, ctx.result);
      if (ctx.result.needs_validation) {
        return { action: 'validation', documents_count: ctx.result.documents.length, outputs: [] };
      }
    } else {
      const stored = await results.read(input.taskId);
      if (!stored) throw new Error(`task ${input.taskId} has no capture result to finish from`);
      ctx.result = stored;
      ctx.pageCount = ctx.result.pages.length;
      if (!(await applyCorrections(ctx, results))) {
        return { action: 'validation', documents_count: ctx.result.documents.length, outputs: [] };
      }
    }
    await runStages(finish, ctx);
    return { action: 'export', documents_count: ctx.result.documents.length, outputs: ctx.outputs };
  }
}
