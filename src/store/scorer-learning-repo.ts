/**
 * @module The scorer-learning port (core/scorer/learning.ts) on SQLite and PostgreSQL
 * (migration 0008_scorer_learning). Each change runs in one transaction; on
 * PostgreSQL it first takes a transaction-scoped advisory lock on the project, so
 * two learners (a validation finishing on a worker, a sample posted to the API) do
 * not take the same `seq` or version number. SQLite has one writer.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { pendingExamples, rollbackTarget, SCORER_LIMITS, versionsToDrop, type ScorerVersion } from '../core/scorer/learning.ts';
import type { ScorerLearningStore } from '../core/ports/scorer-learning.ts';
import type { ScorerExample } from '../core/scorer/model.ts';
import type { Database } from './schema.ts';
import type { ScorerExamplesTable, ScorerVersionsTable } from './migration-scorer-learning.ts';
import type { StoreKind } from './migrations.ts';

type Tables = Database & { scorer_examples: ScorerExamplesTable; scorer_versions: ScorerVersionsTable };
type Db = Kysely<Tables> | Transaction<Tables>;

function toVersion(r: ScorerVersionsTable): ScorerVersion {
  const body = JSON.parse(r.body) as Pick<ScorerVersion, 'report' | 'weights'>;
  return { version: Number(r.version), created_at: Number(r.created_at), through_seq: Number(r.through_seq), promoted: Number(r.promoted) === 1, current: Number(r.current) === 1, rolled_back_at: r.rolled_back_at === null ? null : Number(r.rolled_back_at), report: body.report, weights: body.weights };
}

export function createScorerLearningRepository(base: Kysely<Database>, kind: StoreKind): ScorerLearningStore {
  const db = base.withTables<{ scorer_examples: ScorerExamplesTable; scorer_versions: ScorerVersionsTable }>() as Kysely<Tables>;

  async function locked<T>(projectId: string, work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      if (kind === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`scorer:${projectId}`}))`.execute(trx);
      return work(trx);
    });
  }

  async function versions(q: Db, projectId: string): Promise<ScorerVersion[]> {
    const rows = await q.selectFrom('scorer_versions').selectAll().where('project_id', '=', projectId).orderBy('version', 'desc').execute();
    return rows.map(toVersion);
  }

  return {
    async addDocument(accountId, projectId, examples, now) {
      return locked(projectId, async (trx) => {
        const last = await trx.selectFrom('scorer_examples').select((eb) => eb.fn.max('seq').as('seq')).where('project_id', '=', projectId).executeTakeFirst();
        const seq = Number(last?.seq ?? 0) + 1;
        await trx.insertInto('scorer_examples').values({ project_id: projectId, seq, account_id: accountId, learned_at: now, examples_count: examples.length, body: JSON.stringify(examples) }).execute();
        await trx.deleteFrom('scorer_examples').where('project_id', '=', projectId).where('seq', '<=', seq - SCORER_LIMITS.documents).execute();
        const through = await trx.selectFrom('scorer_versions').select((eb) => eb.fn.max('through_seq').as('through')).where('project_id', '=', projectId).executeTakeFirst();
        const rows = await trx.selectFrom('scorer_examples').select(['seq', 'examples_count']).where('project_id', '=', projectId).where('seq', '>', Number(through?.through ?? 0)).execute();
        return { seq, pending: pendingExamples(rows.map((r) => ({ seq: Number(r.seq), examples: Number(r.examples_count) })), Number(through?.through ?? 0)) };
      });
    },
    async documents(projectId) {
      const rows = await db.selectFrom('scorer_examples').select(['seq', 'learned_at', 'body']).where('project_id', '=', projectId).orderBy('seq', 'asc').execute();
      return rows.map((r) => ({ seq: Number(r.seq), learned_at: Number(r.learned_at), examples: JSON.parse(r.body) as ScorerExample[] }));
    },
    versions: (projectId) => versions(db, projectId),
    async addVersion(accountId, projectId, v) {
      return locked(projectId, async (trx) => {
        const list = await versions(trx, projectId);
        const number = Math.max(0, ...list.map((x) => x.version)) + 1;
        if (v.promoted) await trx.updateTable('scorer_versions').set({ current: 0 }).where('project_id', '=', projectId).execute();
        await trx.insertInto('scorer_versions').values({ project_id: projectId, version: number, account_id: accountId, created_at: v.created_at, through_seq: v.through_seq, promoted: v.promoted ? 1 : 0, current: v.promoted ? 1 : 0, rolled_back_at: null, body: JSON.stringify({ report: v.report, weights: v.weights }) }).execute();
        const added: ScorerVersion = { ...v, version: number, current: v.promoted, rolled_back_at: null };
        const drop = versionsToDrop([added, ...list.map((x) => (v.promoted ? { ...x, current: false } : x))]);
        if (drop.length > 0) await trx.deleteFrom('scorer_versions').where('project_id', '=', projectId).where('version', 'in', drop).execute();
        return added;
      });
    },
    async rollback(projectId, now) {
      return locked(projectId, async (trx) => {
        const r = rollbackTarget(await versions(trx, projectId));
        if (!r) return null;
        await trx.updateTable('scorer_versions').set({ current: 0, rolled_back_at: now }).where('project_id', '=', projectId).where('version', '=', r.from.version).execute();
        if (r.to) await trx.updateTable('scorer_versions').set({ current: 1 }).where('project_id', '=', projectId).where('version', '=', r.to.version).execute();
        return { from: { ...r.from, current: false, rolled_back_at: now }, to: r.to ? { ...r.to, current: true } : null };
      });
    },
    async erase(projectId) {
      return locked(projectId, async (trx) => {
        const a = await trx.deleteFrom('scorer_examples').where('project_id', '=', projectId).executeTakeFirst();
        const b = await trx.deleteFrom('scorer_versions').where('project_id', '=', projectId).executeTakeFirst();
        return Number(a.numDeletedRows) + Number(b.numDeletedRows) > 0;
      });
    },
  };
}
