/**
 * @module Migration `0008_scorer_learning`: what a project's learning keeps for the
 * candidate scorer (core/scorer/learning.ts). `scorer_examples` holds one row per
 * taught document (its training examples as JSON: feature numbers and the index of
 * the right candidate, nothing of the file); `scorer_versions` one row per retrained
 * version (its weights and report as JSON), `current` marking the one in use.
 * Booleans are 0/1 integers on both databases.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export interface ScorerExamplesTable {
  project_id: string;
  seq: number;
  account_id: string;
  learned_at: number;
  examples_count: number;
  body: string;
}

export interface ScorerVersionsTable {
  project_id: string;
  version: number;
  account_id: string;
  created_at: number;
  through_seq: number;
  promoted: number;
  current: number;
  rolled_back_at: number | null;
  body: string;
}

export function scorerLearningMigration(kind: 'sqlite' | 'postgres'): Migration {
  const time = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('scorer_examples')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('learned_at', time, (c) => c.notNull())
        .addColumn('examples_count', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('scorer_examples_pk', ['project_id', 'seq'])
        .execute();
      await db.schema.createTable('scorer_versions')
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('through_seq', 'integer', (c) => c.notNull())
        .addColumn('promoted', 'integer', (c) => c.notNull())
        .addColumn('current', 'integer', (c) => c.notNull())
        .addColumn('rolled_back_at', time)
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('scorer_versions_pk', ['project_id', 'version'])
        .execute();
    },
  };
}
