/**
 * @module Admin routes over tasks and projects that the public API does not have:
 * a task's detail with its event timeline (docs/architecture.md#task-states: every transition is an
 * event), installing the demo project (the same parse-and-create path as
 * `docket demo`), and the dashboard's figures (core/stats.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { parseProject } from '../../core/project.ts';
import { demoProject } from '../../core/demo-project.ts';
import { adminOf } from '../auth.ts';
import { iso, taskJson } from '../task-json.ts';
import { loadTask } from '../transitions.ts';
import { projectJson } from '../projects.ts';
import type { AdminStatsJson } from '../../core/stats.ts';
import type { PortalDeps } from './deps.ts';
import { holderName } from './holders.ts';
import { IdParams, ref, signedInErrors } from '../schemas/common.ts';
import { DemoInstalled, Stats, TaskDetail } from '../schemas/portal.ts';

const HOUR = 3_600_000;

/** Event actors are `user:<id>`, `client:<id>` or a part's name (`worker:…`, `sweeper`); only the first two have names. */
function actorRef(actor: string): string | null {
  return actor.startsWith('user:') || actor.startsWith('client:') ? actor : null;
}

export function registerAdminTaskRoutes(plain: FastifyInstance, deps: PortalDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const repos = deps.api.repos;
  const tags = ['admin'];

  app.get('/admin/tasks/:id', {
    schema: {
      operationId: 'getTaskDetail', tags, summary: 'A task with its event timeline and who holds it',
      description: 'Every state change of the task with its actor and reason, the attempts, and who holds it now.',
      params: IdParams, response: { 200: { description: 'The task and its timeline.', ...ref(TaskDetail) }, ...signedInErrors(404) },
    },
  }, async (req) => {
    const admin = adminOf(req);
    const task = await loadTask(deps.api, admin, req.params.id);
    const events = await repos.tasks.events(task.id);
    const held = task.state === 'pending:complete_client_action' || task.state === 'running';
    // People and programs by name, not by id; the captured (or corrected) field values while the task keeps them.
    const names = new Map<string, string>();
    const named = [];
    for (const e of events) named.push({ at: iso(e.at), from_state: e.from_state, to_state: e.to_state, client_action: e.client_action, actor: e.actor, actor_name: await holderName(repos, admin.account_id, actorRef(e.actor), names) ?? e.actor, reason: e.reason });
    const result = task.purged_at === null ? await deps.api.results.read(task.id).catch(() => null) : null;
    return {
      task: taskJson(task),
      held_by: held ? await holderName(repos, admin.account_id, task.lease_owner, names) : null,
      attempts: task.attempts,
      error: task.error_code ? { code: task.error_code, message: task.error_message ?? '' } : null,
      events: named,
      pages: result?.pages.length ?? 0,
      documents: (result?.documents ?? []).map((d) => ({
        pages: d.pages, document_type: d.document_type,
        fields: d.fields.map((f) => ({ name: f.name, value: f.value, valid: f.valid, needs_confirmation: f.needs_confirmation, confirmed: f.confirmed === true })),
      })),
    };
  });

  app.post('/admin/demo', {
    schema: {
      operationId: 'installDemo', tags, summary: 'Install the demo project', description: 'Once per account: 201 when installed, 200 with the existing one when it was already there.',
      response: {
        200: { description: 'The demo project was installed already.', ...ref(DemoInstalled) },
        201: { description: 'The demo project, installed.', ...ref(DemoInstalled) },
        ...signedInErrors(),
      },
    },
  }, async (req, reply) => {
    const admin = adminOf(req);
    const parsed = parseProject(demoProject());
    if (!parsed.ok) throw new Problem('internal', `the demo project is invalid: ${JSON.stringify(parsed.problems)}`);
    const existing = await repos.projects.findByName(admin.account_id, parsed.project.name);
    if (existing) return reply.code(200).send({ created: false, project: projectJson(existing) });
    const record = await repos.projects.create({ id: newId(), account_id: admin.account_id, project: parsed.project, now: deps.api.clock() });
    return reply.code(201).send({ created: true, project: projectJson(record) });
  });

  app.get('/admin/stats', {
    schema: {
      operationId: 'getStats', tags, summary: 'Dashboard figures',
      description: 'Tasks per state, throughput per hour (or per 6 hours past 48), automation rate and validation times over the last `hours`.',
      querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168, default: 24, description: 'The window, in hours.' })) }),
      response: { 200: { description: 'The figures.', ...ref(Stats) }, ...signedInErrors(400) },
    },
  }, async (req): Promise<AdminStatsJson> => {
    const admin = adminOf(req);
    const hours = req.query.hours ?? 24;
    const now = deps.api.clock();
    // Whole-hour buckets ending at the current hour, so the chart's bars do not shift between refreshes.
    const until = Math.ceil(now / HOUR) * HOUR;
    const bucket = hours <= 48 ? HOUR : 6 * HOUR;
    const stats = await deps.stats.dashboard({ account_id: admin.account_id, since: until - hours * HOUR, until, bucket_ms: bucket });
    return {
      hours,
      counts: await repos.tasks.countByState(admin.account_id),
      ...stats,
      throughput: stats.throughput.map((b) => ({ ...b, at: iso(b.at) })),
    };
  });
}
