/**
 * @module What a project's learning keeps for the candidate scorer, and the rules for
 * keeping it (docs/project-file.md#scorer, docs/vendor-memory.md "Scorer examples").
 *
 * - A learned document: the training examples one taught document gave (per
 *   labelled field, the features of each candidate value and which was right), in
 *   the order learned (`seq`). At most `SCORER_LIMITS.documents` per project: the
 *   oldest go first.
 * - A version: weights retrained from the shipped examples and the project's own
 *   (retrain.ts), with its report; `current` marks the one a project with `scorer:
 *   learned` uses (none: the shipped weights). At most `SCORER_LIMITS.versions` are
 *   kept, never dropping the current one; a rollback makes the previous promoted
 *   version current again, or the shipped weights when there is none.
 *
 * `scorer: learned` (docs/project-file.md#scorer) is resolved once per task or sample,
 * before its stages run (`withLearnedScorer`), so one capture never mixes two versions.
 *
 * The port that keeps them is core/ports/scorer-learning.ts: `src/store/scorer-learning-repo.ts`
 * keeps them in SQLite or PostgreSQL, in-memory-learning.ts in a Map (the accuracy harness, tests).
 */
import { captureSettings, type Project } from '../project.ts';
import type { ScorerExample, ScorerWeights } from './model.ts';
import { builtinScorer } from './settings.ts';
import type { ScorerLearningStore } from '../ports/scorer-learning.ts';

export const SCORER_LIMITS = {
  /** Learned documents kept per project: ~1.5 KiB each for a receipt (4 fields, ~6 candidates), so ~0.75 MiB for 500. */
  documents: 500,
  /** Versions kept per project (each ~10 KiB of weights). */
  versions: 5,
};

export interface LearnedDocument {
  seq: number;
  learned_at: number;
  examples: ScorerExample[];
}

/** How a retrain went: what it was trained on and how it did on the project's held-out documents. */
export interface RetrainReport {
  /** Field examples trained on: the shipped ones and the project's own (held-out documents excluded). */
  examples: number;
  project_examples: number;
  /** Held-out fields whose top candidate is the right one, under the new weights and under the version current when it was trained. */
  held_out: { fields: number; score: number | null; current_score: number | null; brier: number | null; current_brier: number | null; current_version: number | null };
  promoted: boolean;
  /** Why it was (not) promoted, in words. */
  reason: string;
  /** CPU time of the retrain in the worker thread. */
  cpu_ms: number;
}

export interface ScorerVersion {
  version: number;
  created_at: number;
  /** The last learned document (`seq`) it saw: documents after it are the pending ones. */
  through_seq: number;
  promoted: boolean;
  current: boolean;
  rolled_back_at: number | null;
  report: RetrainReport;
  weights: ScorerWeights;
}

export type NewScorerVersion = Omit<ScorerVersion, 'version' | 'current' | 'rolled_back_at'>;

/** The version a rollback from `versions` (newest first) goes back to: the newest promoted one older than the current and not rolled back, or null (the shipped weights). */
export function rollbackTarget(versions: readonly ScorerVersion[]): { from: ScorerVersion; to: ScorerVersion | null } | null {
  const from = versions.find((v) => v.current);
  if (!from) return null;
  const to = versions.find((v) => v.version < from.version && v.promoted && v.rolled_back_at === null) ?? null;
  return { from, to };
}

/** The versions to drop (numbers) when `versions` (newest first) exceeds the limit: the oldest ones that are not current. */
export function versionsToDrop(versions: readonly ScorerVersion[]): number[] {
  const extra = versions.length - SCORER_LIMITS.versions;
  if (extra <= 0) return [];
  return versions.filter((v) => !v.current).slice(-extra).map((v) => v.version);
}

/** The field examples learned after `throughSeq`. */
export function pendingExamples(documents: readonly { seq: number; examples: number }[], throughSeq: number): number {
  return documents.filter((d) => d.seq > throughSeq).reduce((s, d) => s + d.examples, 0);
}

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
