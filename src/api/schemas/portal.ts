/**
 * @module The portal API's wire shapes (docs/portal.md): the session, users and API
 * clients, the validation queue, a page's words, a draft preview, a task's
 * timeline and the dashboard's figures.
 */
import { Type } from '@sinclair/typebox';
import { DateTime, Nullable, PathProblem, ref, StringEnum } from './common.ts';
import { Task } from './tasks.ts';
import { Box, Document } from './specs.ts';
import { Project } from './projects.ts';

const Role = StringEnum(['admin', 'user'] as const, { description: 'admin: everything; user: the validation portal only.' });

export const LoginRequest = Type.Object({
  email: Type.String({ maxLength: 320 }),
  password: Type.String({ maxLength: 1024 }),
  account_id: Type.Optional(Type.String({ maxLength: 64, description: 'Needed when the email and password open several accounts (409 choose_account).' })),
}, { $id: 'LoginRequest' });

export const Session = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), role: Role }),
  csrf: Type.String({ description: 'Send it as X-CSRF-Token with every state-changing request made with the cookie.' }),
  expires_at: DateTime(),
}, { $id: 'Session', description: 'The portal session: who is logged in, and its CSRF token.' });

export const User = Type.Object({
  id: Type.String(), email: Type.String(), role: Role, active: Type.Boolean(), created_at: DateTime(),
}, { $id: 'User', description: 'A portal user.' });

export const UserList = Type.Object({ users: Type.Array(ref(User)) }, { $id: 'UserList' });

export const UserCreate = Type.Object({
  email: Type.String({ maxLength: 320 }),
  role: Type.Optional(Role),
  password: Type.Optional(Type.String({ maxLength: 1024, description: 'At least 10 characters; generated when absent.' })),
}, { $id: 'UserCreate' });

export const UserCreated = Type.Object({
  user: ref(User),
  password: Type.Optional(Type.String({ description: 'The generated password, shown in this answer only.' })),
}, { $id: 'UserCreated' });

export const UserPatch = Type.Object({
  role: Type.Optional(Role),
  active: Type.Optional(Type.Boolean()),
}, { $id: 'UserPatch' });

export const ApiClient = Type.Object({
  client_id: Type.String(), name: Type.String(), created_at: DateTime(), revoked_at: Nullable('string', { format: 'date-time' }),
  last_used_at: Nullable('string', { format: 'date-time', description: 'When the client last got a token; null when never (since migration 0007).' }),
}, { $id: 'ApiClient', description: 'An API client (its secret is never shown again).' });

export const ApiClientList = Type.Object({ clients: Type.Array(ref(ApiClient)) }, { $id: 'ApiClientList' });

export const ApiClientCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { $id: 'ApiClientCreate' });

export const ApiClientCreated = Type.Object({
  client_id: Type.String(), client_secret: Type.String({ description: 'Shown in this answer only.' }), name: Type.String(),
}, { $id: 'ApiClientCreated' });

export const TaskEvent = Type.Object({
  at: DateTime(), from_state: Nullable('string'), to_state: Type.String(), client_action: Nullable('string'),
  actor: Type.String({ description: '`user:<id>`, `client:<id>` or a part of the service (`worker:…`, `sweeper`).' }),
  actor_name: Type.String({ description: 'The actor by name: a user\'s email, a client\'s name, else the actor as is.' }),
  reason: Type.String({ description: 'Why; a completed validation lists the fields changed, from what, to what.' }),
}, { $id: 'TaskEvent', description: 'One state change of a task.' });

const TaskDetailDocument = Type.Object({
  pages: Type.Array(Type.Integer(), { minItems: 2, maxItems: 2, description: 'First and last 0-based page index, inclusive.' }),
  document_type: Nullable('string'),
  fields: Type.Array(Type.Object({
    name: Type.String(),
    value: Type.Unknown({ description: 'The normalised value (text, ISO date, number, boolean, table rows) or null.' }),
    valid: Type.Boolean(), needs_confirmation: Type.Boolean(),
    confirmed: Type.Boolean({ description: 'A person confirmed or changed the value.' }),
  })),
});

export const TaskDetail = Type.Object({
  task: ref(Task),
  held_by: Nullable('string', { description: 'Who holds the task (an email or an API client), or null.' }),
  attempts: Type.Integer(),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  events: Type.Array(ref(TaskEvent)),
  pages: Type.Integer({ minimum: 0, description: 'Pages of the task\'s file; 0 once purged (then `/admin/tasks/{id}/pages/{n}` has none).' }),
  documents: Type.Array(TaskDetailDocument, { description: 'The captured (or corrected) documents while the task keeps its results; empty once purged.' }),
}, { $id: 'TaskDetail', description: 'A task with its timeline, for the admin.' });

export const DemoInstalled = Type.Object({ created: Type.Boolean(), project: ref(Project) }, { $id: 'DemoInstalled' });

export const Stats = Type.Object({
  hours: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Tasks per state.' }),
  throughput: Type.Array(Type.Object({ at: DateTime(), created: Type.Integer(), completed: Type.Integer(), failed: Type.Integer() })),
  documents_exported: Type.Integer(),
  documents_validated: Type.Integer(),
  automation_rate: Nullable('number'),
  validation_wait_ms_median: Nullable('number'),
  validation_work_ms_median: Nullable('number'),
  validations_completed: Type.Integer(),
}, { $id: 'Stats', description: 'The dashboard\'s figures over the last `hours`.' });

const QueueTask = Type.Intersect([ref(Task), Type.Object({ held_by: Nullable('string'), held_by_me: Type.Boolean() })]);
const WaitingTask = Type.Intersect([ref(Task), Type.Object({ postponed_by_me: Type.Boolean({ description: 'The caller put it off: it comes last in their queue.' }) })]);
const ExceptionTask = Type.Intersect([ref(Task), Type.Object({ exception_reason: Type.String({ description: 'The reason it was rejected with.' }) })]);

export const Queue = Type.Object({
  waiting: Type.Array(WaitingTask, { description: 'Oldest (or nearest deadline) first; what the caller put off comes last.' }),
  exceptions: Type.Array(ExceptionTask, { description: 'Rejected into the exception queue: listed to admins (and API clients) only, empty for users.' }),
  submitted_by_me: Type.Array(ref(Task), { description: 'Tasks the caller submitted that still wait for export (newest 10): they may reopen them.' }),
  in_progress: Type.Array(QueueTask),
  projects: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(),
    reject_reasons: Type.Array(Type.String(), { description: 'The project\'s `validation.reject.reasons`.' }),
  })),
}, { $id: 'Queue', description: 'Tasks waiting for validation, and those being validated with who holds them.' });

const Word = Type.Object({ text: Type.String(), box: ref(Box), confidence: Type.Number() });

export const PageWords = Type.Object({
  index: Type.Integer(), width: Type.Number(), height: Type.Number(),
  words: Type.Array(Word),
  lines: Type.Array(Type.Object({ text: Type.String(), box: ref(Box), words: Type.Array(Type.Integer(), { description: 'Indices into `words`.' }) })),
}, { $id: 'PageWords', description: 'The words of a page with their boxes (points, top-left origin).' });

export const Preview = Type.Object({
  documents: Type.Union([Type.Array(ref(Document)), Type.Null()], { description: 'The documents as the draft makes them; null when its structure is invalid.' }),
  changed: Type.Array(Type.Integer(), { description: 'Documents extracted again (type or pages changed).' }),
  problems: Type.Array(ref(PathProblem)),
}, { $id: 'Preview', description: 'A validation draft checked, without completing.' });

export const Draft = Type.Object({ documents: Type.Optional(Type.Array(Type.Unknown())) }, { $id: 'Draft', additionalProperties: true, description: 'Validation Results not yet final.' });

export const RejectRequest = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 100, description: 'One of the project\'s `validation.reject.reasons`.' }),
}, { $id: 'RejectRequest', additionalProperties: false });

export const TaskPageParams = Type.Object({
  id: Type.String({ description: 'The task\'s id.', minLength: 1 }),
  n: Type.Integer({ minimum: 0, maximum: 99_999, description: 'The 0-based page index.' }),
});
