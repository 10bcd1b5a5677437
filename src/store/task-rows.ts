/**
 * @module Conversion between task rows and `TaskRecord`s. Kept apart from the
 * queries so each repository file holds SQL only.
 */
import type { Selectable } from 'kysely';
import type { TaskRecord, TaskEventRecord, TaskFileRecord } from '../core/records.ts';
import type { ClientAction, TaskState } from '../core/task-states.ts';
import type { TaskErrorCode } from '../core/errors.ts';
import type { TasksTable, TaskEventsTable, TaskFilesTable } from './schema.ts';

export function toTask(row: Selectable<TasksTable>): TaskRecord {
  return {
    id: row.id,
    account_id: row.account_id,
    project_id: row.project_id,
    project_version: Number(row.project_version),
    project_name: row.project_name,
    name: row.name,
    tags: JSON.parse(row.tags_json) as Record<string, string>,
    state: row.state as TaskState,
    client_action: row.client_action as ClientAction | null,
    phase: row.phase === 'finish' ? 'finish' : 'capture',
    file_key: row.file_key,
    file_size: Number(row.file_size),
    file_sha256: row.file_sha256,
    documents_count: Number(row.documents_count),
    attempts: Number(row.attempts),
    transient_faults: Number(row.transient_faults),
    not_before: row.not_before === null ? null : Number(row.not_before),
    lease_owner: row.lease_owner,
    lease_expires_at: row.lease_expires_at === null ? null : Number(row.lease_expires_at),
    deadline_at: row.deadline_at === null ? null : Number(row.deadline_at),
    client_action_timeout_ms: Number(row.client_action_timeout_ms),
    error_code: row.error_code as TaskErrorCode | null,
    error_message: row.error_message,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    finished_at: row.finished_at === null ? null : Number(row.finished_at),
    purged_at: row.purged_at === null ? null : Number(row.purged_at),
    postponed_by: row.postponed_by ?? null,
    postponed_at: row.postponed_at === null || row.postponed_at === undefined ? null : Number(row.postponed_at),
    exception_reason: row.exception_reason ?? null,
  };
}

export function toEvent(row: Selectable<TaskEventsTable>): TaskEventRecord {
  return {
    task_id: row.task_id,
    from_state: row.from_state as TaskState | null,
    to_state: row.to_state as TaskState,
    client_action: row.client_action as ClientAction | null,
    actor: row.actor,
    reason: row.reason,
    at: Number(row.at),
  };
}

export function toFile(row: Selectable<TaskFilesTable>): TaskFileRecord {
  return { ...row, size: Number(row.size), document_index: row.document_index === null ? null : Number(row.document_index) };
}
