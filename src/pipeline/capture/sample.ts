/**
 * @module The sample learner (core/ports/sample-learner.ts): a labelled document goes
 * through the capture stages up to extraction as one document (a sample is never
 * separated), typed as given or classified, and then teaches the project's vendor
 * memory (memory-learn.ts). The file is stored under a throwaway task id only while
 * it is read and deleted after; what is kept is what the memory keeps.
 */
import { newId } from '../../core/ids.ts';
import type { BlobStore } from '../../core/ports/blob-store.ts';
import type { SampleLearner } from '../../core/ports/sample-learner.ts';
import type { VendorMemoryStore } from '../../core/ports/vendor-memory.ts';
import { pagesInMemory } from '../../core/page-set.ts';
import { captureSettings } from '../../core/project.ts';
import { deleteTaskBlobs } from '../../core/purge.ts';
import { uploadKey } from '../../core/task-files.ts';
import { captureStages } from '../stages.ts';
import { DEFAULT_LIMITS, type Engines, type PipelineContext } from '../types.ts';
import { learnDocument } from './memory-learn.ts';
import { withLearnedScorer } from '../../core/scorer/learning.ts';
import type { ScorerLearner, ScorerLearningStore } from '../../core/ports/scorer-learning.ts';
import { emptyDocument } from './stages.ts';

export interface SampleDeps {
  blobs: BlobStore;
  engines: Engines;
  memory: VendorMemoryStore;
  /** Scorer versions (`scorer: learned` reads the sample with the current one) and the learner a sample also teaches. */
  scorer?: { store: ScorerLearningStore; learner: ScorerLearner };
  clock?: () => number;
}

/**
 * The capture stages a sample runs: reading, extraction and memory, without separation (one
 * document) or the review decision. Memory runs so that the confidences the sample teaches the
 * calibration are those a validated document of a known vendor would have had.
 */
const SAMPLE_STAGES = new Set(['sniff', 'pages', 'classify', 'extract', 'second reading', 'memory']);

export function createSampleLearner(deps: SampleDeps): SampleLearner {
  return async (input, signal = new AbortController().signal) => {
    const settings = captureSettings(input.project);
    if (input.type !== null && !settings.document_types.some((t) => t.name === input.type)) return { ok: false, reason: 'unknown_type', document_type: input.type, fields: [] };
    const id = newId();
    const key = uploadKey(id);
    await deps.blobs.put(key, input.file);
    const scratch = [await deps.blobs.localFile(key)];
    try {
      const ctx: PipelineContext = {
        taskId: id, project: await withLearnedScorer(input.project, deps.scorer?.store, input.projectId), tags: {}, blobs: deps.blobs, fileKey: key, filePath: scratch[0]!.path, fileType: null, pageCount: 0,
        pages: pagesInMemory([]), result: { pages: [], documents: [], actions: [], needs_validation: false }, outputs: [], limits: DEFAULT_LIMITS, engines: deps.engines, signal, scratch,
        memory: { store: deps.memory, accountId: input.accountId, projectId: input.projectId },
      };
      for (const stage of captureStages().filter((s) => SAMPLE_STAGES.has(s.name))) {
        signal.throwIfAborted();
        if (stage.name === 'classify') {
          ctx.result.documents = [emptyDocument(0, { first: 0, last: Math.max(0, ctx.pageCount - 1), confidence: 1 }, 0)];
          if (input.type !== null) {
            Object.assign(ctx.result.documents[0] as object, { document_type: input.type, type_confidence: 1 });
            continue;
          }
        }
        await stage.run(ctx);
      }
      const doc = ctx.result.documents[0];
      const type = settings.document_types.find((t) => t.name === doc?.document_type);
      if (!doc || !type) return { ok: false, reason: 'unknown_type', document_type: null, fields: [] };
      const unknown = Object.keys(input.fields).filter((n) => !type.fields.some((f) => f.name === n));
      if (unknown.length > 0) return { ok: false, reason: 'unknown_fields', document_type: type.name, fields: unknown };
      const pages = await ctx.pages.range(doc.pages[0], doc.pages[1]);
      const out = await learnDocument({ store: deps.memory, accountId: input.accountId, projectId: input.projectId, ...(deps.scorer ? { scorer: deps.scorer.learner } : {}) }, input.project, doc, pages, input.fields, (deps.clock ?? Date.now)());
      return out.ok ? { ok: true, document_type: type.name, learned: out.learned, unmatched: out.unmatched } : { ok: false, reason: 'unmatched', document_type: type.name, fields: out.unmatched };
    } finally {
      for (const local of scratch) await local.release();
      await deleteTaskBlobs(deps.blobs, id).catch(() => undefined);
    }
  };
}
