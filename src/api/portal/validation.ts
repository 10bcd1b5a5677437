/**
 * @module Routes the validation portal needs beside the public API (docs/portal.md#validation-every-user): the
 * queue with who holds what, the words of a page (for click-a-word and drag-a-box;
 * the one page read from the task's stored pages, core/page-set.ts) and a draft preview that
 * re-extracts documents whose type or boundaries a person changed (preview.ts).
 * Words and previews are served only while a client holds the task's validation,
 * like its files, and only within the caller's account.
 *
 * The preview extracts inside the request, on purpose: a person who changes a
 * document's type waits for its fields, and nothing is stored, so there is no work
 * to hand on. Completing validation extracts nothing in the request
 * (client-actions.ts); the worker does it when it finishes the task.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem } from '../../core/errors.ts';
import type { CaptureResult } from '../../core/capture.ts';
import { openStoredPages, pagesInMemory } from '../../core/page-set.ts';
import type { Principal, TaskRecord } from '../../core/records.ts';
import { principalOf } from '../auth.ts';
import { taskJson } from '../task-json.ts';
import { loadTask, stateConflict } from '../transitions.ts';
import { assertHolder } from '../holders.ts';
import type { PortalDeps } from './deps.ts';
import { holderName } from './holders.ts';
import { previewDraft } from './preview.ts';
import { IdParams, ref, signedInErrors, StringEnum } from '../schemas/common.ts';
import { Draft, PageWords, Preview, Queue } from '../schemas/portal.ts';
import { rejectSettings } from '../../core/project/reject.ts';

const QUEUE_LIMIT = 500;

async function heldTask(deps: PortalDeps, principal: Principal, id: string): Promise<TaskRecord> {
  const task = await loadTask(deps.api, principal, id);
  if (task.state !== 'pending:complete_client_action' || task.client_action !== 'validation') {
    throw stateConflict(task, 'this needs the task held for validation (start_client_action?action=validation)');
  }
  assertHolder(principal, task, 'validation');
  return task;
}

/** Tasks waiting for export whose last validation this person submitted: the ones they may reopen (newest 10). */
async function submittedByMe(repos: PortalDeps['api']['repos'], account: string, me: string, projectId: string | undefined): Promise<TaskRecord[]> {
  const waiting = await repos.tasks.list(account, { state: 'pending:start_client_action', client_action: 'export', limit: QUEUE_LIMIT, ...(projectId ? { project_id: projectId } : {}) });
  const recent = waiting.sort((a, b) => b.updated_at - a.updated_at).slice(0, 10);
  const out: TaskRecord[] = [];
  for (const t of recent) if ((await repos.tasks.events(t.id)).filter((e) => e.to_state === 'validated').at(-1)?.actor === me) out.push(t);
  return out;
}

export function registerValidationRoutes(plain: FastifyInstance, deps: PortalDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const repos = deps.api.repos;
  const tags = ['portal'];

  app.get('/portal/queue', {
    schema: {
      operationId: 'getValidationQueue', tags, summary: 'The validation queue',
      description: 'Tasks waiting for validation, and those being validated with who holds them (500 of each at most).',
      querystring: Type.Object({
        project_id: Type.Optional(Type.String({ description: 'Only tasks of this project.' })),
        sort: Type.Optional(StringEnum(['oldest', 'deadline'] as const, { description: 'Waiting tasks oldest first (default) or nearest deadline first.' })),
      }),
      response: { 200: { description: 'The queue.', ...ref(Queue) }, ...signedInErrors(400) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const q = req.query;
    const filter = { client_action: 'validation' as const, limit: QUEUE_LIMIT, ...(q.project_id ? { project_id: q.project_id } : {}) };
    const all = await repos.tasks.list(principal.account_id, { ...filter, state: 'pending:start_client_action' });
    // Rejected into the exception queue: admins only, listed apart (workflow.ts).
    const waiting = all.filter((t) => t.exception_reason === null);
    const exceptions = principal.role === 'admin' || principal.kind === 'client' ? all.filter((t): t is TaskRecord & { exception_reason: string } => t.exception_reason !== null) : [];
    if (q.sort === 'deadline') waiting.sort((a, b) => (a.deadline_at ?? Infinity) - (b.deadline_at ?? Infinity) || a.created_at - b.created_at);
    // What this person postponed comes after everything else, earliest postponed first; stable, so the chosen order holds within.
    const me = `${principal.kind}:${principal.subject}`;
    const later = (t: TaskRecord) => (t.postponed_by === me ? (t.postponed_at ?? 0) : -Infinity);
    waiting.sort((a, b) => (later(a) === later(b) ? 0 : later(a) < later(b) ? -1 : 1));
    const held = await repos.tasks.list(principal.account_id, { ...filter, state: 'pending:complete_client_action' });
    const names = new Map<string, string>();
    const inProgress = [];
    for (const t of held) inProgress.push({ ...taskJson(t), held_by: await holderName(repos, principal.account_id, t.lease_owner, names), held_by_me: t.lease_owner === `${principal.kind}:${principal.subject}` });
    const projects = await repos.projects.list(principal.account_id);
    const submitted = await submittedByMe(repos, principal.account_id, me, q.project_id);
    return {
      waiting: waiting.map((t) => ({ ...taskJson(t), postponed_by_me: t.postponed_by === me })),
      exceptions: exceptions.map((t) => ({ ...taskJson(t), exception_reason: t.exception_reason })),
      submitted_by_me: submitted.map(taskJson),
      in_progress: inProgress,
      projects: await Promise.all(projects.map(async (p) => {
        const full = await repos.projects.get(principal.account_id, p.id);
        return { id: p.id, name: p.name, reject_reasons: full ? rejectSettings(full.project).reasons : [] };
      })),
    };
  });

  app.get('/tasks/:id/pages/:n/words', {
    schema: {
      operationId: 'getPageWords', tags, summary: 'The words of one page with their boxes',
      description: 'Boxes in points, top-left origin; served while the caller holds the task\'s validation.',
      params: Type.Object({ id: Type.String({ description: 'The task\'s id.' }), n: Type.String({ description: 'The 0-based page index.' }) }),
      response: { 200: { description: 'The page\'s words and lines.', ...ref(PageWords) }, ...signedInErrors(404, 409) },
    },
  }, async (req, reply) => {
    const { id, n } = req.params;
    const task = await heldTask(deps, principalOf(req), id);
    const index = Number(n);
    const pages = Number.isInteger(index) ? await openStoredPages(deps.api.blobs, task.id) : null;
    const page = pages && index >= 0 && index < pages.count ? (await pages.range(index, index))[0] : undefined;
    if (!page) throw new Problem('not_found', `no page ${n} in task ${id}`);
    reply.header('cache-control', 'private, max-age=3600');
    return { index: page.index, width: page.width, height: page.height, words: page.words, lines: page.lines.map((l) => ({ text: l.text, box: l.box, words: l.words })) };
  });

  app.post('/tasks/:id/validation/preview', {
    schema: {
      operationId: 'previewValidation', tags, summary: 'Check a validation draft without completing',
      description: 'Re-extracts documents whose type or pages changed and checks the rules; nothing is stored.',
      params: IdParams, body: ref(Draft),
      response: { 200: { description: 'The draft as checked.', ...ref(Preview) }, ...signedInErrors(400, 404, 409) },
    },
  }, async (req) => {
    const task = await heldTask(deps, principalOf(req), req.params.id);
    const project = await repos.projects.getVersion(task.project_id, task.project_version);
    if (!project) throw new Problem('not_found', 'the task\'s project version is gone');
    const result: CaptureResult = (await deps.api.results.read(task.id)) ?? { pages: [], documents: [], actions: [], needs_validation: false };
    const pages = (await openStoredPages(deps.api.blobs, task.id)) ?? pagesInMemory([]);
    return previewDraft(deps.api.checkResults, { project: project.project, result, pages, draft: req.body });
  });
}
