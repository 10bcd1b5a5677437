/**
 * @module The store's ports: what the API, the workers and the sweeper ask of the
 * database. `src/store` implements them once for SQLite and PostgreSQL; each method
 * is one named query (or one transaction), so every SQL statement has one home.
 */
import type { ClientAction, Refusal, TaskEvent, TaskPosition, WireState } from './task-states.ts';
import type { Project } from './project.ts';
import type { Tags } from '../shared/tags.ts';
import type { TaskErrorCode } from './errors.ts';
import type { TaskOutput } from './ports.ts';
import type { Principal, ProjectRecord, ProjectSummary, Role, TaskEventRecord, TaskFileRecord, TaskRecord } from './records.ts';

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

export interface ProjectRepository {
  create(input: { id: string; account_id: string; project: Project; now: number }): Promise<ProjectRecord>;
  /** A new version; tasks already created keep theirs. */
  update(accountId: string, id: string, project: Project, now: number): Promise<ProjectRecord | null>;
  get(accountId: string, id: string): Promise<ProjectRecord | null>;
  getVersion(id: string, version: number): Promise<ProjectRecord | null>;
  findByName(accountId: string, name: string): Promise<ProjectRecord | null>;
  /** Summaries: the list never reads the (up to 5 MiB) definitions. */
  list(accountId: string): Promise<ProjectSummary[]>;
  versions(accountId: string, id: string): Promise<{ version: number; created_at: number }[]>;
  delete(accountId: string, id: string, now: number): Promise<boolean>;
}

export interface ApiClientRecord {
  client_id: string;
  account_id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
}

export interface UserRecord {
  id: string;
  account_id: string;
  email: string;
  role: Role;
  active: boolean;
  password_hash: string;
  created_at: number;
}

export interface AccountRepository {
  createAccount(id: string, name: string, now: number): Promise<void>;
  countAccounts(): Promise<number>;
  firstAccountId(): Promise<string | null>;
  createClient(input: { client_id: string; account_id: string; name: string; secret_hash: string; now: number }): Promise<void>;
  /** The client with its secret hash, unless revoked. */
  findClient(clientId: string): Promise<(ApiClientRecord & { secret_hash: string }) | null>;
  listClients(accountId: string): Promise<ApiClientRecord[]>;
  /** Revokes an active client of this account and deletes its tokens; false (and nothing changed) otherwise. */
  revokeClient(accountId: string, clientId: string, now: number): Promise<boolean>;
  createUser(input: { id: string; account_id: string; email: string; role: Role; password_hash: string; now: number }): Promise<void>;
  /** The account's user with this email (emails are unique per account, not across accounts). */
  findUserByEmail(accountId: string, email: string): Promise<UserRecord | null>;
  /** Every account's user with this email, oldest first, at most `limit`, with their account's name: the candidates of a login. */
  findUsersByEmail(email: string, limit: number): Promise<(UserRecord & { account_name: string })[]>;
  getUser(accountId: string, id: string): Promise<UserRecord | null>;
  listUsers(accountId: string): Promise<UserRecord[]>;
  /** Updates this account's user; deactivating or a new role or password ends their sessions and tokens. False, and nothing changed, for another account's user. */
  updateUser(accountId: string, id: string, patch: { role?: Role; active?: boolean; password_hash?: string }): Promise<boolean>;
  saveToken(input: { token_hash: string; principal: Principal; expires_at: number; now: number }): Promise<void>;
  /** The token's principal while it is unexpired and its client or user is still active. */
  findToken(tokenHash: string, now: number): Promise<Principal | null>;
  deleteToken(tokenHash: string): Promise<void>;
  deleteExpiredTokens(now: number): Promise<number>;
}

/** A portal session: stored under the hash of its cookie value, with the CSRF token the portal echoes. */
export interface SessionRecord {
  user_id: string;
  account_id: string;
  csrf: string;
  expires_at: number;
}

export interface SessionRepository {
  create(input: SessionRecord & { id_hash: string; now: number }): Promise<void>;
  /** The session while it is unexpired and its user is active. */
  find(idHash: string, now: number): Promise<SessionRecord | null>;
  touch(idHash: string, expiresAt: number): Promise<void>;
  delete(idHash: string): Promise<void>;
}

export interface Repositories {
  tasks: TaskRepository;
  projects: ProjectRepository;
  accounts: AccountRepository;
}
