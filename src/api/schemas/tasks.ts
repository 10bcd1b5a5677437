/**
 * @module The Task JSON and the task routes' requests as schemas (Aluma's Tasks API,
 * docs/architecture.md#http-api). `Task` lists every field `taskJson` (task-json.ts)
 * writes. It is open (`additionalProperties`), like the other answers a later
 * version may add to: a field added to `taskJson` but not here still reaches
 * clients, untyped, rather than being dropped by the serializer; add it here.
 */
import { Type } from '@sinclair/typebox';
import { CLIENT_ACTIONS, TASK_STATES } from '../../core/task-states.ts';
import { Binary, DateTime, Nullable, ref, StringEnum, type RawBody } from './common.ts';

export const TaskError = Type.Object({
  code: Type.String({ description: 'A stable reason code (docs/errors.md, task errors).' }),
  message: Type.String(),
}, { $id: 'TaskError', description: 'Why a task ended `failed`.' });

export const Task = Type.Object({
  id: Type.String({ description: 'The task\'s id (22 characters, URL-safe).' }),
  name: Type.String({ description: 'The `task_name` tag, else the `file_name` tag, else the id.' }),
  file_collection_id: Type.String({ description: 'A task holds one file; its collection id is the task\'s id.' }),
  project_id: Type.String(),
  project_name: Type.String(),
  project_version: Type.Integer({ description: 'The project version the task runs with (kept when the project changes).' }),
  created_at: DateTime(),
  updated_at: DateTime(),
  state: Type.String({ enum: [...TASK_STATES], description: 'One of Aluma\'s eight states (docs/task-states.md).' }),
  substate: Nullable('string', { enum: ['validated', null], description: 'docket: the internal state behind `state`, or null. `validated` (state `running`): validation is complete and a worker will build the outputs.' }),
  client_action: Nullable('string', { enum: [...CLIENT_ACTIONS, null], description: 'The client action the task waits for or is held for; null in other states.' }),
  documents_count: Type.Integer({ minimum: 0 }),
  tags: Type.Record(Type.String(), Type.String(), { description: 'The tags the task was created with (X-Aluma-Tags).' }),
  lease_expires_at: Nullable('string', { format: 'date-time', description: 'While a client action holds the task (`pending:complete_client_action`): when its lease ends.' }),
  deadline_at: Nullable('string', { format: 'date-time', description: 'When the task times out, if the project sets a timeout.' }),
  retry_at: Nullable('string', { format: 'date-time', description: 'docket: while `queued` after a transient fault (full disk, lost database), when it is tried again; else null.' }),
  error: Type.Union([ref(TaskError), Type.Null()], { description: 'Why the task failed; null unless `state` is `failed`.' }),
}, { $id: 'Task', additionalProperties: true, description: 'A task: one uploaded file on its way through the pipeline (docs/task-states.md).' });

export const TaskList = Type.Object({
  tasks: Type.Array(ref(Task)),
  next: Nullable('string', { description: 'The cursor of the next page (pass it as `after`); null on the last page.' }),
}, { $id: 'TaskList', description: 'One page of tasks, oldest first.' });

export const TaskListQuery = Type.Object({
  state: Type.Optional(StringEnum(TASK_STATES, { description: 'Only tasks in this state.' })),
  client_action: Type.Optional(StringEnum(CLIENT_ACTIONS, { description: 'Only tasks waiting for or held for this client action.' })),
  project_id: Type.Optional(Type.String({ description: 'Only tasks of this project.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Tasks per page.' })),
  after: Type.Optional(Type.String({ description: 'The `next` cursor of the previous page.' })),
});

export const UploadQuery = Type.Object({
  project_id: Type.String({ minLength: 1, description: 'The project that processes the file.' }),
});

export const UploadHeaders = Type.Object({
  'x-aluma-tags': Type.Optional(Type.String({
    description: 'Tags as a query string, `key=value&key=value`, percent-encoded (`task_name`, `file_name`, `file_path`, … are kept with the task).',
    examples: ['task_name=AB3947853&file_name=invoice.pdf'],
  })),
  // At most 255 characters (a longer key is refused with 400 by this schema): it is stored per task and compared whole.
  'idempotency-key': Type.Optional(Type.String({ maxLength: 255, description: 'A repeat with the same key answers the task the first request created.' })),
});

/** The media types an upload is documented with; any type is taken and the file is sniffed (docs/architecture.md#request-flow). */
export const UPLOAD_BODY: RawBody = {
  description: 'The file itself, as the raw body (not multipart/form-data, which answers 415): a PDF, TIFF, JPEG or PNG.',
  content: Object.fromEntries(['application/pdf', 'image/tiff', 'image/jpeg', 'image/png', 'application/octet-stream'].map((t) => [t, { schema: Binary() }])),
};
