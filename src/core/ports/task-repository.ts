/**
 * @module The task repository port: tasks, their events and files. Every state change is a
 * `transition` checked by the table of core/task-states.ts (docs/architecture.md#task-states);
 * `src/store/tasks-repo.ts` implements it for SQLite and PostgreSQL.
 */
import type { ClientAction, Refusal, TaskEvent, TaskPosition, WireState } from '../task-states.ts';
import type { Tags } from '../../shared/tags.ts';
import type { TaskErrorCode } from '../errors.ts';
import type { TaskOutput } from './task-processor.ts';
import type { ProjectRecord, TaskEventRecord, TaskFileRecord, TaskRecord } from '../records.ts';

export interface NewTask {
  id: string;
  account_id: string;
  project: ProjectRecord;
  name: string;
  tags: Tags;
  file_key: string;
  file_size: number;
  file_sha256: string;
  idempotency_key: string | null;
  now: number;
}

/** Columns a transition may set besides state and client action. */
export interface TransitionSet {
  lease_owner?: string | null;
  lease_expires_at?: number | null;
  documents_count?: number;
  error_code?: TaskErrorCode | null;
  error_message?: string | null;
  attempts?: number;
  transient_faults?: number;
  not_before?: number | null;
  phase?: 'capture' | 'finish';
  postponed_by?: string | null;
  postponed_at?: number | null;
  exception_reason?: string | null;
}

/**
 * An event for one task, applied by the store as a compare-and-set: the store asks
 * the table of core/task-states.ts for the target of `event` from `expected`, and
 * writes it only if the task is still at `expected` (and still held by `owner`,
 * when given), with its event row, in one transaction. A target without a lease
 * (queued, validated, pending:start_client_action, final) clears the lease; a final
 * one also sets `finished_at`. Nothing else writes a task's state.
 */
export interface TransitionRequest {
  id: string;
  event: TaskEvent;
  /** Where the caller last read the task. */
  expected: TaskPosition;
  now: number;
  actor: string;
  reason: string;
  /** Only when this worker or client still holds the lease. */
  owner?: string;
  set?: TransitionSet;
  /** Files to record with the transition (outputs entering export). */
  files?: TaskOutput[];
}

/**
 * The answer: the task as written, or why nothing was written — the table refused
 * the event from `expected` (`final`, `wrong_state`, `wrong_action`), or the task was
 * no longer at `expected` or held by `owner` (`moved`: someone else won, re-read it).
 */
export type TransitionOutcome = { ok: true; task: TaskRecord } | { ok: false; refusal: Refusal | 'moved' };

export interface TaskFilter {
  /** A wire state: `running` also finds internal states shown as running (`validated`). */
  state?: WireState;
  client_action?: ClientAction;
  project_id?: string;
  limit: number;
  after?: { created_at: number; id: string };
}

export interface TaskRepository {
  /** Inserts the task, its first event and its idempotency key; a repeated key returns the existing task. */
  create(task: NewTask): Promise<{ task: TaskRecord; created: boolean }>;
  get(accountId: string, id: string): Promise<TaskRecord | null>;
  getById(id: string): Promise<TaskRecord | null>;
  findByIdempotencyKey(accountId: string, key: string): Promise<TaskRecord | null>;
  list(accountId: string, filter: TaskFilter): Promise<TaskRecord[]>;
  transition(req: TransitionRequest): Promise<TransitionOutcome>;
  /**
   * Sends `claim` to the oldest claimable task (queued or validated, its `not_before`
   * passed): it becomes `running` under this worker's lease with one more attempt.
   */
  claim(workerId: string, leaseMs: number, now: number): Promise<TaskRecord | null>;
  renewLease(id: string, workerId: string, until: number): Promise<boolean>;
  extendActionLease(id: string, action: ClientAction, until: number): Promise<TaskRecord | null>;
  /** Tasks whose worker lease ran out. */
  listExpiredRunning(now: number, limit: number): Promise<TaskRecord[]>;
  listExpiredActions(now: number, limit: number): Promise<TaskRecord[]>;
  listPastDeadline(now: number, limit: number): Promise<TaskRecord[]>;
  listUnpurged(limit: number): Promise<TaskRecord[]>;
  markPurged(id: string, now: number): Promise<void>;
  deleteFinishedBefore(before: number): Promise<number>;
  knownIds(ids: string[]): Promise<Set<string>>;
  events(taskId: string): Promise<TaskEventRecord[]>;
  files(taskId: string): Promise<TaskFileRecord[]>;
  /** Tasks per wire state. */
  countByState(accountId: string): Promise<Record<string, number>>;
}
