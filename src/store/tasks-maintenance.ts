/**
 * @module The sweeper's task queries: expired leases, deadlines, purge and
 * retention. Each returns a bounded batch so one sweep never holds a long
 * transaction, whatever the backlog.
 */
import type { Kysely } from 'kysely';
import type { TaskRepository } from '../core/ports/task-repository.ts';
import type { Database } from './schema.ts';
import { toTask } from './task-rows.ts';
import { FINAL_STATES, wireState, type TaskState } from '../core/task-states.ts';

const FINAL = [...FINAL_STATES];

type Maintenance = Pick<
  TaskRepository,
  'listExpiredRunning' | 'listExpiredActions' | 'listPastDeadline' | 'listUnpurged' | 'markPurged' | 'deleteFinishedBefore' | 'knownIds' | 'countByState'
>;

export function createTaskMaintenance(db: Kysely<Database>): Maintenance {
  return {
    async listExpiredRunning(now, limit) {
      const rows = await db.selectFrom('tasks').selectAll()
        .where('state', '=', 'running').where('lease_expires_at', '<', now)
        .orderBy('lease_expires_at').limit(limit).execute();
      return rows.map(toTask);
    },

    async listExpiredActions(now, limit) {
      const rows = await db.selectFrom('tasks').selectAll()
        .where('state', '=', 'pending:complete_client_action').where('lease_expires_at', '<', now)
        .orderBy('lease_expires_at').limit(limit).execute();
      return rows.map(toTask);
    },

    async listPastDeadline(now, limit) {
      const rows = await db.selectFrom('tasks').selectAll()
        .where('deadline_at', '<', now).where('state', 'not in', FINAL)
        .orderBy('deadline_at').limit(limit).execute();
      return rows.map(toTask);
    },

    async listUnpurged(limit) {
      const rows = await db.selectFrom('tasks').selectAll()
        .where('state', 'in', FINAL).where('finished_at', 'is not', null).where('purged_at', 'is', null)
        .orderBy('finished_at').limit(limit).execute();
      return rows.map(toTask);
    },

    async markPurged(id, now) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('task_files').where('task_id', '=', id).execute();
        await trx.updateTable('tasks').set({ purged_at: now, file_key: null }).where('id', '=', id).execute();
      });
    },

    async deleteFinishedBefore(before) {
      return db.transaction().execute(async (trx) => {
        const ids = (await trx.selectFrom('tasks').select('id')
          .where('state', 'in', FINAL).where('finished_at', '<', before).where('purged_at', 'is not', null)
          .limit(500).execute()).map((r) => r.id);
        if (ids.length === 0) return 0;
        await trx.deleteFrom('task_events').where('task_id', 'in', ids).execute();
        await trx.deleteFrom('task_files').where('task_id', 'in', ids).execute();
        await trx.deleteFrom('idempotency_keys').where('task_id', 'in', ids).execute();
        await trx.deleteFrom('tasks').where('id', 'in', ids).execute();
        return ids.length;
      });
    },

    async knownIds(ids) {
      if (ids.length === 0) return new Set();
      const rows = await db.selectFrom('tasks').select('id').where('id', 'in', ids).execute();
      return new Set(rows.map((r) => r.id));
    },

    async countByState(accountId) {
      const rows = await db.selectFrom('tasks').select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', '=', accountId).groupBy('state').execute();
      const counts: Record<string, number> = {};
      for (const r of rows) {
        const wire = wireState(r.state as TaskState);
        counts[wire] = (counts[wire] ?? 0) + Number(r.n);
      }
      return counts;
    },
  };
}
