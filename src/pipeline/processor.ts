/**
 * @module Runs the stage list for one task: the `TaskProcessor` the worker is
 * handed. It keeps the capture result as `tasks/<id>/result.json` between the two
 * phases, so a person's corrections (written there by the API when validation
 * completes) are what the `finish` phase builds outputs from.
 */
import type { BlobStore, ProcessInput, ProcessOutcome, TaskProcessor } from '../core/ports.ts';
import type { CaptureResult } from '../core/capture.ts';
import { pagesInMemory } from '../core/page-set.ts';
import { captureStages, finishStages } from './stages.ts';
import { DEFAULT_LIMITS, type Engines, type Limits, type PipelineContext, type Stage } from './types.ts';

export function resultKey(taskId: string): string {
  return `tasks/${taskId}/result.json`;
}

export interface ProcessorDeps {
  blobs: BlobStore;
  engines: Engines;
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

export function createProcessor(deps: ProcessorDeps): TaskProcessor {
  const limits: Limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const capture = deps.captureStages ?? captureStages();
  const finish = deps.finishStages ?? finishStages();
  return async (input: ProcessInput): Promise<ProcessOutcome> => {
    const ctx: PipelineContext = {
      taskId: input.taskId,
      project: input.project,
      tags: input.tags,
      blobs: deps.blobs,
      fileKey: input.fileKey,
      filePath: await deps.blobs.localPath(input.fileKey),
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
      await deps.blobs.put(resultKey(input.taskId), Buffer.from(JSON.stringify(ctx.result)));
      if (ctx.result.needs_validation) {
        return { action: 'validation', documents_count: ctx.result.documents.length, outputs: [] };
      }
    } else {
      ctx.result = JSON.parse((await deps.blobs.read(resultKey(input.taskId))).toString('utf8')) as CaptureResult;
      ctx.pageCount = ctx.result.pages.length;
    }
    await runStages(finish, ctx);
    return { action: 'export', documents_count: ctx.result.documents.length, outputs: ctx.outputs };
  };
}
