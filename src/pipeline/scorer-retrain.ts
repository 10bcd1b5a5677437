/**
 * @module Keeps what each taught document gives the candidate scorer and retrains a
 * project's scorer in a worker thread once `RETRAIN_EVERY` new field examples have
 * been learned (docs/project-file.md#scorer). Learning (a completed validation, a
 * posted sample, `docket learn`) only stores the examples and, when due, starts the
 * retrain without waiting for it; one retrain runs per project at a time in this
 * process, and the examples learned meanwhile count toward the next.
 *
 * `RETRAIN_EVERY = 40` field examples: ~10 receipts (4 fields) or ~7 invoices. A
 * retrain costs seconds of CPU whatever the project's size (it refits the shipped
 * examples too), so retraining after every document would spend far more than
 * learning does (~ms); 40 new examples add 8 held-out fields (one document in five)
 * against which the new version is judged, enough for the comparison to mean
 * something, and move the weights (trained on ~360 shipped examples) by a visible
 * step, while a project validating tens of documents a day is retrained within it.
 */
import { Worker } from 'node:worker_threads';
import { currentWeights, type RetrainReport, type ScorerVersion } from '../core/scorer/learning.ts';
import type { ScorerLearningStore, ScorerRetrainer } from '../core/ports/scorer-learning.ts';
import type { ScorerWeights } from '../core/scorer/model.ts';
import { builtinScorer } from '../core/scorer/settings.ts';

export const RETRAIN_EVERY = 40;

export type Retrainer = ScorerRetrainer;

export interface RetrainerOptions {
  every?: number;
  clock?: () => number;
  /** Hears each retrain (its version) or its failure, for the log. */
  onRetrained?: (event: { projectId: string; version?: ScorerVersion; error?: unknown }) => void;
}

type WorkerAnswer = { weights: ScorerWeights; report: Omit<RetrainReport, 'cpu_ms'>; cpu_ms: number };

function inWorker(data: unknown): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./scorer-retrain-worker.ts', import.meta.url), { workerData: data });
    let answer: WorkerAnswer | null = null;
    worker.once('message', (m: WorkerAnswer) => (answer = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (answer ? resolve(answer) : reject(new Error(`the scorer retrain worker exited with code ${code} and no answer`))));
  });
}

export function createRetrainer(store: ScorerLearningStore, options: RetrainerOptions = {}): Retrainer {
  const every = options.every ?? RETRAIN_EVERY;
  const clock = options.clock ?? Date.now;
  const running = new Map<string, Promise<ScorerVersion>>();

  async function run(accountId: string, projectId: string): Promise<ScorerVersion> {
    const documents = await store.documents(projectId);
    const current = currentWeights(await store.versions(projectId));
    const through = documents.at(-1)?.seq ?? 0;
    const out = await inWorker({ documents, current, version: `${builtinScorer().version}+${projectId}.${through}` });
    return store.addVersion(accountId, projectId, { created_at: clock(), through_seq: through, promoted: out.report.promoted, report: { ...out.report, cpu_ms: out.cpu_ms }, weights: out.weights });
  }

  function start(accountId: string, projectId: string): Promise<ScorerVersion> {
    const already = running.get(projectId);
    if (already) return already;
    const p = run(accountId, projectId).finally(() => running.delete(projectId));
    running.set(projectId, p);
    return p;
  }

  return {
    every,
    async record(accountId, projectId, retrain, examples, now) {
      if (examples.length === 0) return;
      const { pending } = await store.addDocument(accountId, projectId, examples, now);
      if (!retrain || pending < every || running.has(projectId)) return;
      start(accountId, projectId).then(
        (version) => options.onRetrained?.({ projectId, version }),
        (error: unknown) => options.onRetrained?.({ projectId, error }),
      );
    },
    retrain: start,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
