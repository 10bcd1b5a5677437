/**
 * @module `npm run eval -- <folder> --learn-from dev --retrain [--ignore-embedded]`: the
 * learned scorer retrained from what the dev half teaches (docs/project-file.md#scorer),
 * measured by eval-learn.ts. The project is made `scorer: learned`; every taught
 * document keeps its examples in an in-memory store and every `RETRAIN_EVERY` new
 * ones retrain it in a worker thread, as a server does; each document is captured with
 * the version current when it is read. Before the test half is scored, running
 * retrains finish and one more takes in whatever was learned since the last (all
 * of dev). Prints each version: what it was trained on, its held-out score against the
 * version in use, whether it was promoted, and the retrain's CPU time.
 */
import { captureSettings, type Project } from '../src/core/project.ts';
import { inMemoryScorerLearning } from '../src/core/scorer/in-memory-learning.ts';
import { withLearnedScorer } from '../src/core/scorer/learning.ts';
import { createRetrainer, type Retrainer } from '../src/pipeline/scorer-retrain.ts';

/** Options of the retraining run (none yet: the retrain interval is the server's, `RETRAIN_EVERY`). */
export type RetrainRun = Record<string, never>;

export interface RetrainHarness {
  learner: Retrainer;
  /** The project as captured now: `learned` resolved to the current version. */
  resolve(): Promise<Project>;
  /** Waits for running retrains, then retrains once more on what is pending. */
  settle(): Promise<void>;
  report(): Promise<string>;
}

const ID = 'eval';

export function retrainOption(project: Project, run: RetrainRun | undefined): { project: Project; scorer: RetrainHarness | null } {
  if (!run) return { project, scorer: null };
  const learned: Project = { ...project, capture: { ...captureSettings(project), scorer: 'learned' } };
  const store = inMemoryScorerLearning();
  const learner = createRetrainer(store);
  return {
    project: learned,
    scorer: {
      learner,
      resolve: () => withLearnedScorer(learned, store, ID),
      async settle() {
        await learner.idle();
        const docs = await store.documents(ID);
        const through = Math.max(0, ...(await store.versions(ID)).map((v) => v.through_seq));
        if (docs.some((d) => d.seq > through)) await learner.retrain(ID, ID);
      },
      async report() {
        const versions = (await store.versions(ID)).reverse();
        const docs = await store.documents(ID);
        const cpu = versions.map((v) => v.report.cpu_ms).sort((a, b) => a - b);
        return [
          `scorer retrained from ${docs.length} dev documents (${docs.reduce((s, d) => s + d.examples.length, 0)} field examples), every ${learner.every} new examples: ${versions.length} versions, in use: ${versions.find((v) => v.current)?.version ?? 'the shipped weights'}; retrain CPU median ${(cpu[Math.floor(cpu.length / 2)] ?? 0).toFixed(0)} ms, max ${(cpu.at(-1) ?? 0).toFixed(0)} ms`,
          ...versions.map((v) => `  version ${v.version}: through document ${v.through_seq}, ${v.report.examples} examples (${v.report.project_examples} the project's), held-out ${v.report.held_out.fields} fields; ${v.report.reason}; ${v.report.cpu_ms.toFixed(0)} ms CPU`),
        ].join('\n');
      },
    },
  };
}
