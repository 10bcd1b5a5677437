/**
 * @module `scorer: learned` (docs/project-file.md#scorer): the project is captured with
 * its current retrained version's weights, or the shipped ones while it has none (or
 * after a rollback past its first version). The project is resolved once per task or
 * sample, before its stages run, so one capture never mixes two versions.
 */
import { captureSettings, type Project } from '../project.ts';
import type { ScorerLearningStore, ScorerVersion } from './learning.ts';
import { builtinScorer } from './settings.ts';
import type { ScorerWeights } from './model.ts';

/** Whether a project's setting (as given, or resolved by `withLearnedScorer`) is `learned`: what it learns retrains it. */
export function learnsScorer(project: Project): boolean {
  const s = captureSettings(project).scorer;
  return s === 'learned' || (typeof s === 'object' && s.source === 'learned');
}

/** The weights a project's learning currently stands on, and which version they are (null: the shipped weights). */
export function currentWeights(versions: readonly ScorerVersion[]): { version: number | null; weights: ScorerWeights } {
  const current = versions.find((v) => v.current);
  return current ? { version: current.version, weights: current.weights } : { version: null, weights: builtinScorer() };
}

/** The project as it captures: `learned` replaced by the current version's weights; any other setting unchanged. */
export async function withLearnedScorer(project: Project, store: ScorerLearningStore | undefined, projectId: string | undefined): Promise<Project> {
  const settings = captureSettings(project);
  if (settings.scorer !== 'learned' || !store || !projectId) return project;
  return { ...project, capture: { ...settings, scorer: { ...currentWeights(await store.versions(projectId)).weights, source: 'learned' } } };
}
