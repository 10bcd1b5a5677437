/**
 * @module `GET /tasks/{id}/files/{file_id}`: a file named in a specification, served
 * only while a client holds the task (state `pending:complete_client_action`); 409
 * before, 410 Gone once the task ended, since its files are deleted then for good
 * (core/purge.ts) and no state change brings them back. Page
 * images are rendered on first request and kept with the task's blobs, so a portal
 * that opens a 20-page task only pays for the pages a person looks at.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem } from '../core/errors.ts';
import { isFinal, wireState } from '../core/task-states.ts';
import { pageImageKey } from '../core/task-files.ts';
import type { ApiDeps } from './deps.ts';
import { principalOf } from './auth.ts';
import { loadTask, stateConflict } from './transitions.ts';
import { assertValidatorMay } from './holders.ts';
import { Binary, signedInErrors } from './schemas/common.ts';

const PAGE_ID = /^page-(\d{1,5})$/;
const PAGE_DPI = 110;

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const params = Type.Object({
  id: Type.String({ description: 'The task\'s id.' }),
  fileId: Type.String({ description: 'A file\'s id from the Export Specification, or `page-<n>` from the Validation Specification.' }),
});

/** The media types a download is documented with; an export's data files add their own (CSV, XML), hence the catch-all. */
const DOWNLOAD_TYPES = ['application/pdf', 'image/png', 'image/tiff', 'image/jpeg', 'application/json', 'application/octet-stream', '*/*'];

export function registerFileRoutes(plain: FastifyInstance, deps: ApiDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/tasks/:id/files/:fileId', {
    schema: {
      operationId: 'downloadTaskFile', tags: ['client actions'], summary: 'Download a file named in a specification',
      description: 'The bytes of a file an Export Specification lists (with `Content-Disposition` and `X-Content-SHA256`), or a page image of a Validation Specification (PNG). '
        + 'Served while a client action holds the task: 409 before, 410 once the task ended and its files were deleted.',
      params,
      response: {
        200: { description: 'The file.', content: Object.fromEntries(DOWNLOAD_TYPES.map((t) => [t, { schema: Binary() }])) },
        ...signedInErrors(404, 409, 410),
      },
    },
  }, async (req, reply) => {
    const { id, fileId } = req.params;
    const principal = principalOf(req);
    const task = await loadTask(deps, principal, id);
    assertValidatorMay(principal, task);
    if (isFinal(task.state)) throw new Problem('gone', `the task is ${wireState(task.state)} and its files were deleted when it ended`, { state: wireState(task.state) });
    if (task.state !== 'pending:complete_client_action') throw stateConflict(task, 'files can be downloaded while a client action holds the task');
    const page = PAGE_ID.exec(fileId);
    if (page) {
      const index = Number(page[1]);
      const cached = pageImageKey(id, index);
      if (!(await deps.blobs.exists(cached))) {
        if (!task.file_key) throw new Problem('not_found', 'the task has no file');
        const local = await deps.blobs.localFile(task.file_key);
        try {
          const rendered = await deps.renderPage({ filePath: local.path, pageIndex: index, dpi: PAGE_DPI });
          await deps.blobs.put(cached, rendered.data);
        } finally {
          await local.release();
        }
      }
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(await deps.blobs.get(cached));
    }
    const file = (await deps.repos.tasks.files(id)).find((f) => f.id === fileId);
    if (!file) throw new Problem('not_found', `no file ${fileId} in task ${id}`);
    return reply
      .type(file.content_type)
      .header('content-length', String(file.size))
      .header('content-disposition', contentDisposition(file.file_name))
      .header('x-content-sha256', file.sha256)
      .send(await deps.blobs.get(file.blob_key));
  });
}
