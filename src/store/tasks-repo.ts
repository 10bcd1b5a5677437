/**
 * @module Task queries. Every state change — the claim included — is an event checked
 * against the table of core/task-states.ts, then one compare-and-set `UPDATE … WHERE
 * state = ? AND client_action IS ?` plus its event row in the same transaction, so
 * racing clients and workers get exactly one winner on both engines.
 * Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL (many workers, no blocking); on
 * SQLite the single writer lock makes the same UPDATE atomic.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { CLAIMABLE, INITIAL_STATE, isFinal, isLeased, statesShownAs, transition, type TaskState } from '../core/task-states.ts';
import { newId } from '../core/ids.ts';
import type { TaskRepository, TransitionOutcome, TransitionRequest } from '../core/ports/task-repository.ts';
import type { Database, TasksTable } from './schema.ts';
import type { StoreKind } from './migrations.ts';
import { toEvent, toFile, toTask } from './task-rows.ts';
import { createTaskMaintenance } from './tasks-maintenance.ts';
import { p, prepare } from './prepared.ts';

/** Every column of a new task row, in the placeholder order of `insertTask`. */
const TASK_COLUMNS = [
  'id', 'account_id', 'project_id', 'project_version', 'project_name', 'name', 'tags_json', 'state', 'client_action', 'phase',
  'file_key', 'file_size', 'file_sha256', 'documents_count', 'attempts', 'transient_faults', 'not_before', 'lease_owner', 'lease_expires_at', 'deadline_at',
  'client_action_timeout_ms', 'error_code', 'error_message', 'created_at', 'updated_at', 'finished_at', 'purged_at',
] as const satisfies readonly (keyof Selectable<TasksTable>)[];

/**
 * Asks the table for the event's target, then writes it as one compare-and-set with
 * its event row (and files). Lease columns follow the target: a state without a
 * lease clears them whatever `set` says, so no caller can leave a stale holder behind.
 */
async function applyTransition(trx: Transaction<Database>, req: TransitionRequest): Promise<TransitionOutcome> {
  const result = transition(req.expected, req.event);
  if (!result.ok) return result;
  const to = result.to;
  const final = isFinal(to.state);
  let q = trx
    .updateTable('tasks')
    .set({
      ...req.set,
      state: to.state,
      client_action: to.client_action,
      updated_at: req.now,
      ...(isLeased(to.state) ? {} : { lease_owner: null, lease_expires_at: null }),
      ...(final ? { finished_at: req.now, not_before: null } : {}),
    })
    .where('id', '=', req.id)
    .where('state', '=', req.expected.state);
  q = req.expected.client_action === null ? q.where('client_action', 'is', null) : q.where('client_action', '=', req.expected.client_action);
  if (req.owner !== undefined) q = q.where('lease_owner', '=', req.owner);
  const row = await q.returningAll().executeTakeFirst();
  if (!row) return { ok: false, refusal: 'moved' };
  await trx
    .insertInto('task_events')
    .values({ task_id: req.id, from_state: req.expected.state, to_state: to.state, client_action: to.client_action, actor: req.actor, reason: req.reason, at: req.now })
    .execute();
  // Reopened validation: the outputs built from the earlier submission no longer hold; the next finish records new ones.
  if (req.event.type === 'reopen') await trx.deleteFrom('task_files').where('task_id', '=', req.id).execute();
  if (req.files && req.files.length > 0) {
    await trx
      .insertInto('task_files')
      .values(req.files.map((f) => ({ id: newId(), task_id: req.id, kind: f.kind, file_name: f.file_name, content_type: f.content_type, size: f.size, blob_key: f.blob_key, sha256: f.sha256, document_index: f.document_index })))
      .execute();
  }
  return { ok: true, task: toTask(row) };
}

export function createTaskRepository(db: Kysely<Database>, kind: StoreKind): TaskRepository {
  const insertTask = prepare(() => db.insertInto('tasks').values(Object.fromEntries(TASK_COLUMNS.map((c, i) => [c, p(i)])) as unknown as Insertable<TasksTable>));
  const insertCreatedEvent = prepare(() =>
    db.insertInto('task_events').values({ task_id: p<string>(0), from_state: null, to_state: INITIAL_STATE, client_action: null, actor: 'api', reason: 'created', at: p<number>(1) }));

  return {
    ...createTaskMaintenance(db),

    async create(t) {
      return db.transaction().execute(async (trx) => {
        if (t.idempotency_key !== null) {
          const inserted = await trx
            .insertInto('idempotency_keys')
            .values({ account_id: t.account_id, key: t.idempotency_key, task_id: t.id, created_at: t.now })
            .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
            const existing = await trx
              .selectFrom('tasks').innerJoin('idempotency_keys', 'idempotency_keys.task_id', 'tasks.id')
              .selectAll('tasks')
              .where('idempotency_keys.account_id', '=', t.account_id).where('idempotency_keys.key', '=', t.idempotency_key)
              .executeTakeFirst();
            if (existing) return { task: toTask(existing), created: false };
          }
        }
        const project = t.project;
        const row = {
          id: t.id, account_id: t.account_id, project_id: project.id, project_version: project.version, project_name: project.name,
          name: t.name, tags_json: JSON.stringify(t.tags), state: INITIAL_STATE, client_action: null, phase: 'capture',
          file_key: t.file_key, file_size: t.file_size, file_sha256: t.file_sha256, documents_count: 0, attempts: 0,
          transient_faults: 0, not_before: null,
          lease_owner: null, lease_expires_at: null,
          deadline_at: project.project.timeout_ms === null ? null : t.now + project.project.timeout_ms,
          client_action_timeout_ms: project.project.client_action_timeout_ms,
          error_code: null, error_message: null, created_at: t.now, updated_at: t.now, finished_at: null, purged_at: null,
          postponed_by: null, postponed_at: null, exception_reason: null,
        };
        // The row is known in full, so it is not read back (no RETURNING): one less row to materialise per upload.
        await insertTask.run(trx, ...TASK_COLUMNS.map((c) => row[c]));
        await insertCreatedEvent.run(trx, t.id, t.now);
        return { task: toTask(row satisfies Selectable<TasksTable>), created: true };
      });
    },

    async get(accountId, id) {
      const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return row ? toTask(row) : null;
    },

    async getById(id) {
      const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toTask(row) : null;
    },

    async findByIdempotencyKey(accountId, key) {
      const row = await db
        .selectFrom('tasks').innerJoin('idempotency_keys', 'idempotency_keys.task_id', 'tasks.id')
        .selectAll('tasks')
        .where('idempotency_keys.account_id', '=', accountId).where('idempotency_keys.key', '=', key)
        .executeTakeFirst();
      return row ? toTask(row) : null;
    },

    async list(accountId, f) {
      let q = db.selectFrom('tasks').selectAll().where('account_id', '=', accountId);
      if (f.state) q = q.where('state', 'in', statesShownAs(f.state));
      if (f.client_action) q = q.where('client_action', '=', f.client_action);
      if (f.project_id) q = q.where('project_id', '=', f.project_id);
      if (f.after) {
        const a = f.after;
        q = q.where((eb) => eb.or([eb('created_at', '>', a.created_at), eb.and([eb('created_at', '=', a.created_at), eb('id', '>', a.id)])]));
      }
      const rows = await q.orderBy('created_at').orderBy('id').limit(f.limit).execute();
      return rows.map(toTask);
    },

    async transition(req) {
      return db.transaction().execute((trx) => applyTransition(trx, req));
    },

    async claim(workerId, leaseMs, now) {
      return db.transaction().execute(async (trx) => {
        let pick = trx.selectFrom('tasks').select(['id', 'state', 'attempts'])
          .where('state', 'in', CLAIMABLE)
          .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)]))
          .orderBy('updated_at').limit(1);
        if (kind === 'postgres') pick = pick.forUpdate().skipLocked();
        const next = await pick.executeTakeFirst();
        if (!next) return null;
        const attempt = Number(next.attempts) + 1;
        const done = await applyTransition(trx, {
          id: next.id, event: { type: 'claim' }, expected: { state: next.state as TaskState, client_action: null }, now,
          actor: `worker:${workerId}`, reason: `claimed (attempt ${attempt})`,
          set: { lease_owner: workerId, lease_expires_at: now + leaseMs, attempts: attempt, not_before: null },
        });
        return done.ok ? done.task : null;
      });
    },

    async renewLease(id, workerId, until) {
      const r = await db.updateTable('tasks').set({ lease_expires_at: until })
        .where('id', '=', id).where('state', '=', 'running').where('lease_owner', '=', workerId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async extendActionLease(id, action, until) {
      const row = await db.updateTable('tasks').set({ lease_expires_at: until })
        .where('id', '=', id).where('state', '=', 'pending:complete_client_action').where('client_action', '=', action)
        .returningAll().executeTakeFirst();
      return row ? toTask(row) : null;
    },

    async events(taskId) {
      const rows = await db.selectFrom('task_events').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
      return rows.map(toEvent);
    },

    async files(taskId) {
      const rows = await db.selectFrom('task_files').selectAll().where('task_id', '=', taskId).orderBy('document_index').orderBy('file_name').execute();
      return rows.map(toFile);
    },
  };
}
