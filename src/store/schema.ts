/**
 * @module The database schema as Kysely types, shared by both engines. Portable
 * column choices: times are integer epoch milliseconds (`bigint` in PostgreSQL,
 * parsed back to numbers), flags are 0/1 integers, JSON is text — so the same query
 * builds and returns the same values on SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface AccountsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  role: string;
  active: number;
  password_hash: string;
  created_at: number;
}

export interface ApiClientsTable {
  client_id: string;
  account_id: string;
  name: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
  /** Migration 0007: when the client last got a token. */
  last_used_at: number | null;
}

export interface TokensTable {
  token_hash: string;
  account_id: string;
  kind: string;
  subject: string;
  role: string;
  expires_at: number;
  created_at: number;
}

export interface ProjectsTable {
  id: string;
  account_id: string;
  name: string;
  version: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface ProjectVersionsTable {
  project_id: string;
  version: number;
  project_json: string;
  created_at: number;
}

export interface TasksTable {
  id: string;
  account_id: string;
  project_id: string;
  project_version: number;
  project_name: string;
  name: string;
  tags_json: string;
  /** A state of core/task-states.ts, internal ones included (`validated`). */
  state: string;
  client_action: string | null;
  /** `capture` until a person completes validation, then `finish`. */
  phase: string;
  file_key: string | null;
  file_size: number;
  file_sha256: string;
  documents_count: number;
  attempts: number;
  transient_faults: number;
  not_before: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  deadline_at: number | null;
  client_action_timeout_ms: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  purged_at: number | null;
  /** Migration 0007: who put the task off, and when; it comes last in their queue. */
  postponed_by: string | null;
  postponed_at: number | null;
  /** Migration 0007: rejected into the project's exception queue, with this reason. */
  exception_reason: string | null;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  task_id: string;
  created_at: number;
}

export interface TaskEventsTable {
  id: Generated<number>;
  task_id: string;
  from_state: string | null;
  to_state: string;
  client_action: string | null;
  actor: string;
  reason: string;
  at: number;
}

export interface TaskFilesTable {
  id: string;
  task_id: string;
  kind: string;
  file_name: string;
  content_type: string;
  size: number;
  blob_key: string;
  sha256: string;
  document_index: number | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  account_id: string;
  csrf: string;
  expires_at: number;
  created_at: number;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  api_clients: ApiClientsTable;
  tokens: TokensTable;
  projects: ProjectsTable;
  project_versions: ProjectVersionsTable;
  tasks: TasksTable;
  idempotency_keys: IdempotencyKeysTable;
  task_events: TaskEventsTable;
  task_files: TaskFilesTable;
  sessions: SessionsTable;
}
