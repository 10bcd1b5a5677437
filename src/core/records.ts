/**
 * @module The records stores keep and parts exchange: accounts and their
 * credentials, projects with versions, tasks, their events and files. Times are
 * epoch milliseconds (both SQLite and PostgreSQL compare integers the same way);
 * the API turns them into ISO-8601 at the edge.
 */
import type { ClientAction, TaskState } from './task-states.ts';
import type { Project } from './project.ts';
import type { Tags } from '../shared/tags.ts';
import type { TaskErrorCode } from './errors.ts';

export type Role = 'admin' | 'user';

/** Who is calling: an API client or a portal user, always inside one account. */
export interface Principal {
  account_id: string;
  kind: 'client' | 'user';
  /** The API client's `client_id` or the user's id. */
  subject: string;
  role: Role;
}

export interface ProjectRecord {
  id: string;
  account_id: string;
  name: string;
  version: number;
  project: Project;
  created_at: number;
  updated_at: number;
}

/** A project without its definition: what a list shows. */
export type ProjectSummary = Omit<ProjectRecord, 'project'>;

export interface TaskRecord {
  id: string;
  account_id: string;
  project_id: string;
  project_version: number;
  project_name: string;
  name: string;
  tags: Tags;
  state: TaskState;
  client_action: ClientAction | null;
  /** Which half of the pipeline runs next: `capture`, or `finish` after validation. */
  phase: 'capture' | 'finish';
  file_key: string | null;
  file_size: number;
  file_sha256: string;
  documents_count: number;
  /** Attempts spent: claims that ended in a worker's error or loss (a transient fault gives its attempt back). */
  attempts: number;
  /** Transient faults so far: the exponent of the next retry delay. */
  transient_faults: number;
  /** A queued task is not claimed before this time (set after a transient fault). */
  not_before: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  deadline_at: number | null;
  client_action_timeout_ms: number;
  error_code: TaskErrorCode | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  purged_at: number | null;
  /** Who put the task off in the portal, and when: it comes last in their own queue. */
  postponed_by: string | null;
  postponed_at: number | null;
  /** Set when a person rejected the task into the project's exception queue (admins only see it there). */
  exception_reason: string | null;
}

export interface TaskEventRecord {
  task_id: string;
  from_state: TaskState | null;
  to_state: TaskState;
  client_action: ClientAction | null;
  actor: string;
  reason: string;
  at: number;
}

export interface TaskFileRecord {
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
