/**
 * @module `GET /admin/tasks/{id}/pages/{n}`: a page of a task as an image, for the
 * admin's task detail (docs/portal.md#admin-admin-role), in any state while the task still has
 * its file — unlike `/tasks/{id}/files/page-n`, which serves only the holder of a
 * client action. The image is the one the validation screen uses (110 dpi, rendered
 * once and kept with the task's blobs).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '../../core/errors.ts';
import { pageImageKey } from '../../core/task-files.ts';
import { adminOf } from '../auth.ts';
import { loadTask } from '../transitions.ts';
import type { PortalDeps } from './deps.ts';
import { Binary, signedInErrors } from '../schemas/common.ts';
import { TaskPageParams } from '../schemas/portal.ts';

const PAGE_DPI = 110;

export function registerAdminTaskPageRoutes(plain: FastifyInstance, deps: PortalDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/admin/tasks/:id/pages/:n', {
    schema: {
      operationId: 'getAdminTaskPage', tags: ['admin'], summary: 'A page of a task as a PNG image',
      description: 'For the task detail\'s preview: any state, while the task keeps its file (until it is purged). Pages count from 0; 404 for no such task or page, or a file that is gone.',
      params: TaskPageParams,
      response: {
        200: { description: 'The page as PNG at 110 dpi.', content: { 'image/png': { schema: Binary() } } },
        ...signedInErrors(404),
      },
    },
  }, async (req, reply) => {
    const { id, n } = req.params;
    const task = await loadTask(deps.api, adminOf(req), id);
    const result = task.purged_at === null ? await deps.api.results.read(task.id).catch(() => null) : null;
    if (!task.file_key || !result || n >= result.pages.length) throw new Problem('not_found', `task ${id} has no page ${n} to show`);
    const key = pageImageKey(id, n);
    if (!(await deps.api.blobs.exists(key))) {
      const local = await deps.api.blobs.localFile(task.file_key);
      try {
        const rendered = await deps.api.renderPage({ filePath: local.path, pageIndex: n, dpi: PAGE_DPI });
        await deps.api.blobs.put(key, rendered.data);
      } finally {
        await local.release();
      }
    }
    return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(await deps.api.blobs.get(key));
  });
}
