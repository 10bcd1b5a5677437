/**
 * @module The scorer-learning ports: where a project's scorer examples and retrained
 * versions are kept (`ScorerLearningStore`: `src/store/scorer-learning-repo.ts` on SQLite
 * or PostgreSQL, core/scorer/in-memory-learning.ts in a Map), and what hears each taught
 * document (`ScorerLearner`, `ScorerRetrainer`: pipeline/scorer-retrain.ts). The records
 * and the rules for keeping them are core/scorer/learning.ts (docs/project-file.md#scorer).
 */
import type { LearnedDocument, NewScorerVersion, ScorerVersion } from '../scorer/learning.ts';
import type { ScorerExample } from '../scorer/model.ts';

export interface ScorerLearningStore {
  /** Keeps one taught document's examples (dropping the oldest beyond the limit); answers its seq and the field examples learned since the last retrain. */
  addDocument(accountId: string, projectId: string, examples: readonly ScorerExample[], now: number): Promise<{ seq: number; pending: number }>;
  /** The project's learned documents, oldest first. */
  documents(projectId: string): Promise<LearnedDocument[]>;
  /** The project's versions, newest first. */
  versions(projectId: string): Promise<ScorerVersion[]>;
  /** Adds a version (numbered after the last); a promoted one becomes current. Drops the oldest non-current versions beyond the limit. */
  addVersion(accountId: string, projectId: string, v: NewScorerVersion): Promise<ScorerVersion>;
  /** Makes the previous promoted version current (null: the shipped weights); null when no version is current. */
  rollback(projectId: string, now: number): Promise<{ from: ScorerVersion; to: ScorerVersion | null } | null>;
  /** Erases the project's examples and versions; false when there were none. */
  erase(projectId: string): Promise<boolean>;
}

/** Hears each taught document's examples (pipeline/scorer-retrain.ts keeps them and retrains when enough are new). */
export interface ScorerLearner {
  /** `retrain`: the project uses `scorer: learned`, so enough new examples retrain it; otherwise they are only kept. */
  record(accountId: string, projectId: string, retrain: boolean, examples: readonly ScorerExample[], now: number): Promise<void>;
}

/** The learner that also retrains (pipeline/scorer-retrain.ts), as the API and the CLI see it. */
export interface ScorerRetrainer extends ScorerLearner {
  /** New field examples that start a retrain. */
  readonly every: number;
  /** Retrains the project now, in a worker thread, whatever is pending; the version added. */
  retrain(accountId: string, projectId: string): Promise<ScorerVersion>;
  /** Resolves when no retrain is running (the CLI's `learn` and the eval wait for it before leaving). */
  idle(): Promise<void>;
}
