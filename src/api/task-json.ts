/**
 * @module The Task JSON (docs/architecture.md#http-api), built from a task record. Times are ISO-8601
 * UTC to the second (`2024-03-25T16:37:08Z`), as Aluma writes them. A task holds one
 * file, so its file collection id is the task's own id.
 */
import type { TaskRecord } from '../core/records.ts';

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
  client_action: string | null;
  documents_count: number;
  tags: Record<string, string>;
  lease_expires_at: string | null;
  deadline_at: string | null;
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
    state: t.state,
    client_action: pending ? t.client_action : null,
    documents_count: t.documents_count,
    tags: t.tags,
    lease_expires_at: t.state === 'pending:complete_client_action' ? iso(t.lease_expires_at) : null,
    deadline_at: iso(t.deadline_at),
    error: t.state === 'failed' && t.error_code ? { code: t.error_code, message: t.error_message ?? '' } : null,
  };
}

const TASK_PROPERTIES = {
  id: { type: 'string' }, name: { type: 'string' }, file_collection_id: { type: 'string' },
  project_id: { type: 'string' }, project_name: { type: 'string' }, project_version: { type: 'integer' },
  created_at: { type: 'string', format: 'date-time' }, updated_at: { type: 'string', format: 'date-time' },
  state: { type: 'string', enum: ['queued', 'running', 'pending:start_client_action', 'pending:complete_client_action', 'completed', 'failed', 'timed-out', 'canceled'] },
  client_action: { type: ['string', 'null'], enum: ['validation', 'export', null] },
  documents_count: { type: 'integer' },
  tags: { type: 'object', additionalProperties: { type: 'string' } },
  lease_expires_at: { type: ['string', 'null'] }, deadline_at: { type: ['string', 'null'] },
  error: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
} as const;

/** JSON Schema of the Task JSON, for the OpenAPI document. */
export const TASK_SCHEMA = { $id: 'Task', type: 'object', properties: TASK_PROPERTIES } as const;
