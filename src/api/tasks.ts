/**
 * @module Task routes: create (the upload), get, list, cancel (docs/architecture.md#request-flow). The upload
 * streams straight into the blob store with the size limit enforced while streaming
 * (413 and the connection closed, never buffered whole); the task row is written only
 * after the file is safely on disk, so a failed or aborted upload leaves no task, and
 * a crash in between leaves only a file the orphan sweep removes.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { newId, isId } from '../core/ids.ts';
import { Problem } from '../core/errors.ts';
import { parseTags, taskName } from '../shared/tags.ts';
import { uploadKey } from '../core/task-files.ts';
import { BlobExistsError, BlobStoreUnavailableError, BlobTooLargeError } from '../core/ports/blob-store.ts';
import type { ApiDeps } from './deps.ts';
import { principalOf } from './auth.ts';
import { taskJson } from './task-json.ts';
import { headerText } from './header-text.ts';
import { applyEvent, loadTask } from './transitions.ts';
import { refuseUploadWhenDiskLow, throwIfDiskFull } from './disk-guard.ts';
import { isDatabaseUnavailable } from '../core/ports/database-health.ts';
import { settleUpload } from './database-outage.ts';
import { IdParams, LOCATION, ref, signedInErrors } from './schemas/common.ts';
import { Task, TaskList, TaskListQuery, UPLOAD_BODY, UploadHeaders, UploadQuery } from './schemas/tasks.ts';

function encodeCursor(t: { created_at: number; id: string }): string {
  return Buffer.from(JSON.stringify([t.created_at, t.id])).toString('base64url');
}

function decodeCursor(cursor: string): { created_at: number; id: string } {
  try {
    const [created_at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof created_at === 'number' && typeof id === 'string') return { created_at, id };
  } catch {
    // Fall through to the problem below.
  }
  throw new Problem('invalid_request', 'after: not a cursor returned by this API');
}

/** The upload route lives in its own scope so that every content type (curl's default form type too) streams raw. */
function registerUpload(app: FastifyInstance, deps: ApiDeps): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post('/tasks', {
      schema: {
        operationId: 'createTask', tags: ['tasks'], summary: 'Create a task from a file',
        description: 'The body is the file itself (not a multipart form), streamed to storage with the size limit checked as it arrives. '
          + 'Answers 202 with the task, `queued`, and its address in `Location`; processing goes on in the background.',
        querystring: UploadQuery, headers: UploadHeaders, rawBody: UPLOAD_BODY,
        response: {
          202: { description: 'The task, created (or the one an earlier request with the same Idempotency-Key created).', headers: LOCATION, ...ref(Task) },
          ...signedInErrors(400, 404, 409, 413, 415),
        },
      },
    }, async (req, reply) => {
      const principal = principalOf(req);
      const body = req.body instanceof Readable ? req.body : undefined;
      if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
        body?.resume();
        throw new Problem('unsupported_media_type', 'send the file itself as the request body (e.g. curl --data-binary @file.pdf -H "Content-Type: application/pdf"), not a multipart/form-data form');
      }
      const projectId = req.query.project_id;
      const tags = parseTags(headerText(req.headers['x-aluma-tags']));
      if (!tags.ok) throw new Problem('malformed_tags', tags.reason, { tag: tags.bad });
      const key = req.headers['idempotency-key']?.trim() || null;
      if (key !== null) {
        const existing = await deps.repos.tasks.findByIdempotencyKey(principal.account_id, key);
        if (existing) {
          if (existing.project_id !== projectId) throw new Problem('idempotency_conflict', `Idempotency-Key was used for a task of project ${existing.project_id}`);
          body?.resume();
          return reply.code(202).header('location', `/tasks/${existing.id}`).header('idempotent-replayed', 'true').send(taskJson(existing));
        }
      }
      const project = isId(projectId) ? await deps.repos.projects.get(principal.account_id, projectId) : null;
      if (!project) throw new Problem('not_found', `no project ${projectId}`);
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > deps.config.maxUploadBytes) {
        reply.header('connection', 'close');
        throw new Problem('payload_too_large', `the file is ${declared} bytes; the limit is ${deps.config.maxUploadBytes}`);
      }
      if (!body || declared === 0) throw new Problem('empty_body', 'the request body must be the file');
      await refuseUploadWhenDiskLow(deps, reply);
      const id = newId();
      const fileKey = uploadKey(id);
      let info;
      try {
        info = await deps.blobs.put(fileKey, body, { maxBytes: deps.config.maxUploadBytes, create: true });
      } catch (err) {
        // A store that is down cannot delete either: the put left nothing, and the orphan sweep has the rest.
        if (!(err instanceof BlobExistsError) && !(err instanceof BlobStoreUnavailableError)) await deps.blobs.delete(fileKey);

        throwIfDiskFull(err, reply);
        if (err instanceof BlobTooLargeError) {
          reply.header('connection', 'close');
          throw new Problem('payload_too_large', `the file is larger than the limit of ${deps.config.maxUploadBytes} bytes`);
        }
        if (err instanceof BlobStoreUnavailableError) {
          reply.header('connection', 'close');
          throw err;
        }
        if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || req.raw.destroyed) {
          // The client went away mid-upload: nothing was kept, and nobody is left to answer.
          throw new Problem('invalid_request', 'the upload was cut off before the end of the file');
        }
        throw err;
      }
      try {
        if (info.size === 0) throw new Problem('empty_body', 'the request body must be the file');
        const { task, created } = await deps.repos.tasks.create({
          id, account_id: principal.account_id, project, name: taskName(tags.tags, id), tags: tags.tags,
          file_key: fileKey, file_size: info.size, file_sha256: info.sha256, idempotency_key: key, now: deps.clock(),
        });
        if (!created) await deps.blobs.delete(fileKey);
        else deps.notifier.notify();
        return reply.code(202).header('location', `/tasks/${task.id}`).send(taskJson(task));
      } catch (err) {
        // A lost connection may have cut the COMMIT off after it took effect: the file goes only once the row is known absent.
        if (isDatabaseUnavailable(err)) settleUpload(deps, id, fileKey);
        else await deps.blobs.delete(fileKey);
        throw err;
      }
    });
  });
}

export function registerTaskRoutes(plain: FastifyInstance, deps: ApiDeps): void {
  registerUpload(plain, deps);
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const params = IdParams;

  app.get('/tasks/:id', {
    schema: {
      operationId: 'getTask', tags: ['tasks'], summary: 'Get a task', description: 'The task as it stands now; poll it to follow a task through its states.',
      params, response: { 200: { description: 'The task.', ...ref(Task) }, ...signedInErrors(404) },
    },
  }, async (req) => taskJson(await loadTask(deps, principalOf(req), req.params.id)));

  app.get('/tasks', {
    schema: {
      operationId: 'listTasks', tags: ['tasks'], summary: 'List tasks, oldest first',
      description: 'One page of the account\'s tasks, filtered by state, client action or project; follow `next` with `after` for the next page.',
      querystring: TaskListQuery, response: { 200: { description: 'One page of tasks.', ...ref(TaskList) }, ...signedInErrors(400) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const q = req.query;
    const limit = q.limit ?? 100;
    const filter = {
      limit: limit + 1,
      ...(q.state ? { state: q.state } : {}),
      ...(q.client_action ? { client_action: q.client_action } : {}),
      ...(q.project_id ? { project_id: q.project_id } : {}),
      ...(q.after ? { after: decodeCursor(q.after) } : {}),
    };
    const rows = await deps.repos.tasks.list(principal.account_id, filter);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { tasks: page.map(taskJson), next: rows.length > limit && last ? encodeCursor(last) : null };
  });

  app.post('/tasks/:id/cancel', {
    schema: {
      operationId: 'cancelTask', tags: ['tasks'], summary: 'Cancel a task', description: 'Ends the task `canceled` and deletes its files at once; a final task answers 409.',
      params, response: { 200: { description: 'The task, canceled.', ...ref(Task) }, ...signedInErrors(404, 409) },
    },
  }, async (req) => {
    const task = await applyEvent(deps, principalOf(req), req.params.id, { type: 'cancel' }, 'a final task cannot be canceled', { reason: 'canceled by client' });
    return taskJson(task);
  });
}
