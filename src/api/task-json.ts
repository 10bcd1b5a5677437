/**
 * @module The Task JSON (docs/architecture.md#http-api), built from a task record. Times are ISO-8601
 * UTC to the second (`2024-03-25T16:37:08Z`), as Aluma writes them. A task holds one
 * file, so its file collection id is the task's own id.
 *
 * `state` is always one of Aluma's eight states; two fields of docket's own say more
 * (docs/task-states.md): `substate` names an internal state behind the wire one
 * (`validated`: shown as `running`, the person's results are in and a worker will
 * build the outputs), and `retry_at` says when a queued task put back after a
 * transient fault (a full disk, a lost database) will be tried again.
 */
import type { TaskRecord } from '../core/records.ts';
import { substateOf, wireState } from '../core/task-states.ts';

export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface TaskJson {
  id: string;
  name: string;
  file_collection_id: string;
  project_id: string;
  project_name: string;
  project_version: number;
  created_at: string;
  updated_at: string;
  state: string;
  substate: string | null;
  client_action: string | null;
  documents_count: number;
  tags: Record<string, string>;
  lease_expires_at: string | null;
  deadline_at: string | null;
  retry_at: string | null;
  error: { code: string; message: string } | null;
}

export function taskJson(t: TaskRecord): TaskJson {
  const pending = t.state === 'pending:start_client_action' || t.state === 'pending:complete_client_action';
  return {
    id: t.id,
    name: t.name,
    file_collection_id: t.id,
    project_id: t.project_id,
    project_name: t.project_name,
    project_version: t.project_version,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
    state: wireState(t.state),
    substate: substateOf(t.state),
    client_action: pending ? t.client_action : null,
    documents_count: t.documents_count,
    tags: t.tags,
    lease_expires_at: t.state === 'pending:complete_client_action' ? iso(t.lease_expires_at) : null,
    deadline_at: iso(t.deadline_at),
    retry_at: t.state === 'queued' ? iso(t.not_before) : null,
    error: t.state === 'failed' && t.error_code ? { code: t.error_code, message: t.error_message ?? '' } : null,
  };
}
