/**
 * @module The dashboard's queries (port in core/stats.ts) over `tasks` and
 * `task_events`. Bucketing is integer division in SQL (`(t - since) / width`). Both
 * parameters are cast to BIGINT: `node:sqlite` binds every JS number as REAL, which made
 * SQLite's quotient fractional so that no row matched a bucket; with the casts
 * both engines divide integers and truncate (t >= since, so truncation is the floor).
 * The validation spans are paired in code from one ordered scan of the window's
 * validation events.
 */
import { sql, type Kysely } from 'kysely';
import { median, validationSpans } from '../core/stats.ts';
import { type StatsRepository, type ThroughputBucket } from '../core/ports/stats-repository.ts';
import type { Database } from './schema.ts';

export function createStatsRepository(db: Kysely<Database>): StatsRepository {
  return {
    async dashboard(w) {
      const width = Math.max(1, Math.floor(w.bucket_ms));
      const bucketOf = (column: 'created_at' | 'finished_at') =>
        sql<number>`(${sql.ref(column)} - CAST(${Math.floor(w.since)} AS BIGINT)) / CAST(${width} AS BIGINT)`;
      const count = Math.max(1, Math.ceil((w.until - w.since) / width));
      const buckets: ThroughputBucket[] = Array.from({ length: count }, (_, i) => ({ at: w.since + i * width, created: 0, completed: 0, failed: 0 }));
      const created = await db.selectFrom('tasks')
        .select([bucketOf('created_at').as('b'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', '=', w.account_id).where('created_at', '>=', w.since).where('created_at', '<', w.until)
        // Grouped by the output name: PostgreSQL does not see a repeated expression with new parameters as the same one.
        .groupBy(sql`b`).execute();
      for (const r of created) {
        const b = buckets[Number(r.b)];
        if (b) b.created += Number(r.n);
      }
      const finished = await db.selectFrom('tasks')
        .select(['state', bucketOf('finished_at').as('b'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', '=', w.account_id).where('finished_at', '>=', w.since).where('finished_at', '<', w.until)
        .where('state', 'in', ['completed', 'failed', 'timed-out'])
        .groupBy(['state', sql`b`]).execute();
      for (const r of finished) {
        const b = buckets[Number(r.b)];
        if (!b) continue;
        if (r.state === 'completed') b.completed += Number(r.n);
        else b.failed += Number(r.n);
      }

      const exported = await db.selectFrom('tasks as t')
        .select(['t.documents_count', (eb) => eb.exists(
          eb.selectFrom('task_events as v').select('v.task_id').whereRef('v.task_id', '=', 't.id')
            .where('v.client_action', '=', 'validation').where('v.to_state', '=', 'pending:start_client_action'),
        ).as('validated')])
        .where('t.account_id', '=', w.account_id)
        .where((eb) => eb.exists(
          eb.selectFrom('task_events as x').select('x.task_id').whereRef('x.task_id', '=', 't.id')
            .where('x.client_action', '=', 'export').where('x.to_state', '=', 'pending:start_client_action')
            .where('x.at', '>=', w.since).where('x.at', '<', w.until),
        ))
        .execute();
      let documents = 0;
      let validated = 0;
      for (const r of exported) {
        documents += Number(r.documents_count);
        // SQLite answers EXISTS as 0/1, PostgreSQL as a boolean.
        if (r.validated === true || Number(r.validated) === 1) validated += Number(r.documents_count);
      }

      const events = await db.selectFrom('task_events as e').innerJoin('tasks as t', 't.id', 'e.task_id')
        .select(['e.task_id', 'e.to_state', 'e.client_action', 'e.reason', 'e.at'])
        .where('t.account_id', '=', w.account_id).where('t.updated_at', '>=', w.since)
        .where((eb) => eb.or([eb('e.client_action', '=', 'validation'), eb('e.to_state', 'in', ['running', 'validated'])]))
        .orderBy('e.task_id').orderBy('e.id').execute();
      const spans = validationSpans(events.map((e) => ({ ...e, at: Number(e.at) })), w.since);
      return {
        throughput: buckets,
        documents_exported: documents,
        documents_validated: validated,
        automation_rate: documents > 0 ? (documents - validated) / documents : null,
        validation_wait_ms_median: median(spans.waits),
        validation_work_ms_median: median(spans.works),
        validations_completed: spans.works.length,
      };
    },
  };
}
