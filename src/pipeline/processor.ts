/**
 * @module Runs the stage list for one task: the `TaskProcessor` the worker is
 * handed. It keeps the capture result through the task-result port between the two
 * phases. When a person completed validation, the API only checked the submission
 * and recorded it as corrections; the `finish` phase applies them here, in the
 * worker, extracting again the documents whose type or pages changed, and builds
 * the outputs from the corrected result. Should a rule fail only on values
 * extracted again, the task goes back to validation with those problems marked.
 */
import type { BlobStore, LocalFile } from '../core/ports/blob-store.ts';
import type { ProcessInput, ProcessOutcome, TaskProcessor } from '../core/ports/task-processor.ts';
import { blobTaskResults } from '../core/task-results.ts';
import { type TaskResults } from '../core/ports/task-results.ts';
import { openStoredPages, pagesInMemory, type PageSet } from '../core/page-set.ts';
import type { VendorMemoryStore } from '../core/ports/vendor-memory.ts';
import { learningEnabled } from '../core/project/learning.ts';
import { learnDocument, validatedValues, type LearnOutcome, type MemoryTarget } from './capture/memory-learn.ts';
import { withLearnedScorer } from '../core/scorer/learning.ts';
import type { ScorerLearner, ScorerLearningStore } from '../core/ports/scorer-learning.ts';
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
  /** The projects' vendor memory: used by the memory stage, taught by every completed validation. */
  memory?: VendorMemoryStore;
  /** The projects' scorer versions (`scorer: learned` captures with the current one) and the learner every completed validation also teaches. */
  scorer?: { store: ScorerLearningStore; learner: ScorerLearner };
  /** Hears what each completed validation taught (or why it could not), for the log. */
  onLearned?: (event: { taskId: string; ms: number; outcome?: LearnOutcome; error?: unknown }) => void;
}

async function runStages(stages: readonly Stage[], ctx: PipelineContext): Promise<void> {
  for (const stage of stages) {
    ctx.signal.throwIfAborted();
    await stage.run(ctx);
  }
}

/** Applies a person's recorded corrections, if any; false when the task must go back to validation. */
async function applyCorrections(ctx: PipelineContext, results: TaskResults, onLearned?: ProcessorDeps['onLearned']): Promise<boolean> {
  const corrections = await results.readCorrections(ctx.taskId);
  if (!corrections) return true;
  const pages = (await openStoredPages(ctx.blobs, ctx.taskId)) ?? pagesInMemory([]);
  const captured = structuredClone(ctx.result);
  const applied = await applyValidationResults({ project: ctx.project, result: ctx.result, pages, submitted: corrections });
  ctx.result = applied.result;
  await results.writeCorrected(ctx.taskId, ctx.result);
  if (applied.problems.length > 0) return false;
  if (ctx.memory && learningEnabled(ctx.project)) await learnValidated(ctx, pages, { ...ctx.memory, ...(onLearned ? { onLearned } : {}) }, captured);
  return true;
}

/** Every completed validation teaches the project's vendor memory; a failure to learn never fails the task. */
async function learnValidated(ctx: PipelineContext, pages: PageSet, target: MemoryTarget & { onLearned?: ProcessorDeps['onLearned'] }, captured: PipelineContext['result']): Promise<void> {
  for (const doc of ctx.result.documents) {
    if (doc.document_type === null) continue;
    // What capture gave, before the corrections, teaches the calibration (a document whose type was changed teaches none).
    const before = captured.documents.find((d) => d.index === doc.index && d.document_type === doc.document_type);
    const started = performance.now();
    try {
      const outcome = await learnDocument(target, ctx.project, doc, await pages.range(doc.pages[0], doc.pages[1]), validatedValues(doc), Date.now(), before?.fields ?? []);
      target.onLearned?.({ taskId: ctx.taskId, ms: performance.now() - started, outcome });
    } catch (error) {
      target.onLearned?.({ taskId: ctx.taskId, ms: performance.now() - started, error });
    }
  }
}

export function createProcessor(deps: ProcessorDeps): TaskProcessor {
  const limits: Limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const capture = deps.captureStages ?? captureStages();
  const finish = deps.finishStages ?? finishStages();
  const results = deps.results ?? blobTaskResults(deps.blobs);
  return async (input: ProcessInput): Promise<ProcessOutcome> => {
    // A remote store's file is copied to scratch for the engines and dropped when the run ends, whichever way.
    const file = await deps.blobs.localFile(input.fileKey);
    const scratch: LocalFile[] = [file];
    try {
      return await run(input, file.path, scratch);
    } finally {
      for (const local of scratch) await local.release();
    }
  };

  async function run(input: ProcessInput, filePath: string, scratch: LocalFile[]): Promise<ProcessOutcome> {
    const ctx: PipelineContext = {
      taskId: input.taskId,
      project: await withLearnedScorer(input.project, deps.scorer?.store, input.projectId),
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
      scratch,
      ...(deps.memory && input.projectId ? { memory: { store: deps.memory, projectId: input.projectId, accountId: input.accountId, ...(deps.scorer ? { scorer: deps.scorer.learner } : {}) } } : {}),
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
      if (!(await applyCorrections(ctx, results, deps.onLearned))) {
        return { action: 'validation', documents_count: ctx.result.documents.length, outputs: [] };
      }
    }
    await runStages(finish, ctx);
    return { action: 'export', documents_count: ctx.result.documents.length, outputs: ctx.outputs };
  }
}
