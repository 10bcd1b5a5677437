/**
 * @module The client-action routes (docs/architecture.md#task-events): start, complete, cancel, fail,
 * extend for `validation` and `export`. Starting takes a lease of the project's
 * `client_action_timeout`; completing validation checks the person's results (422
 * with per-field problems, lease kept), records them as corrections and hands the
 * task back to the workers, which extract again what a changed type or page range
 * needs and build the outputs (pipeline/processor.ts): nothing is extracted inside
 * the request. Completing export ends the task and purges its data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problem } from '../core/errors.ts';
import { isClientAction, type ClientAction } from '../core/task-states.ts';
import type { CaptureResult } from '../core/capture.ts';
import { openStoredPages, pagesInMemory } from '../core/page-set.ts';
import { isRecord } from '../shared/records.ts';
import type { ApiDeps } from './deps.ts';
import { principalOf } from './auth.ts';
import { taskJson } from './task-json.ts';
import { actorOf, applyEvent, loadTask, stateConflict } from './transitions.ts';
import { exportSpecification, validationSpecification } from './specs.ts';
import { fieldChanges } from '../core/field-audit.ts';
import { assertHolder, loadHeldTask } from './holders.ts';

function actionOf(req: FastifyRequest): ClientAction {
  const action = (req.query as { action?: string }).action;
  if (!action || !isClientAction(action)) throw new Problem('invalid_request', 'the action query parameter must be validation or export');
  return action;
}

function idOf(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}

const EMPTY: CaptureResult = { pages: [], documents: [], actions: [], needs_validation: false };

/** The documents of a submission the checker accepted: the body's `documents`, or the body itself when it is the list. */
function submittedDocuments(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const documents = isRecord(body) ? body.documents : undefined;
  return Array.isArray(documents) ? documents : [];
}

const querystring = { type: 'object', properties: { action: { type: 'string', enum: ['validation', 'export'] } }, required: ['action'] } as const;

export function registerClientActionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/tasks/:id/start_client_action', { schema: { tags: ['client actions'], summary: 'Start a client action; answers its specification', querystring } }, async (req) => {
    const principal = principalOf(req);
    const action = actionOf(req);
    const task = await applyEvent(deps, principal, idOf(req), { type: 'start_action', action }, `start_client_action?action=${action} needs pending:start_client_action with client_action ${action}`, {
      reason: `${action} started`,
      set: (t) => ({ lease_owner: actorOf(principal), lease_expires_at: deps.clock() + t.client_action_timeout_ms }),
    });
    const result = (await deps.results.read(task.id)) ?? EMPTY;
    if (action === 'export') return exportSpecification(req, task, result, await deps.repos.tasks.files(task.id));
    const project = await deps.repos.projects.getVersion(task.project_id, task.project_version);
    if (!project) throw new Problem('not_found', `the task's project version is gone`);
    return validationSpecification(req, task, project.project, result);
  });

  app.post('/tasks/:id/complete_client_action', { schema: { tags: ['client actions'], summary: 'Complete a client action (Validation Results for validation, empty for export)', querystring } }, async (req) => {
    const principal = principalOf(req);
    const action = actionOf(req);
    const id = idOf(req);
    const wanted = `complete_client_action?action=${action} needs pending:complete_client_action with client_action ${action}`;
    if (action === 'export') {
      await loadHeldTask(deps, principal, id, action);
      return taskJson(await applyEvent(deps, principal, id, { type: 'complete_action', action }, wanted, { reason: 'export completed', owner: actorOf(principal) }));
    }
    const task = await loadTask(deps, principal, id);
    assertHolder(principal, task, action);
    if (task.state !== 'pending:complete_client_action' || task.client_action !== 'validation') throw stateConflict(task, wanted);
    const project = await deps.repos.projects.getVersion(task.project_id, task.project_version);
    if (!project) throw new Problem('not_found', `the task's project version is gone`);
    const result = (await deps.results.read(id)) ?? EMPTY;
    const pages = (await openStoredPages(deps.blobs, id)) ?? pagesInMemory([]);
    const checked = await deps.checkSubmission({ project: project.project, result, pages, submitted: req.body });
    if (!checked.ok) throw new Problem('invalid_results', `${checked.problems.length} problem(s) in the validation results`, { problems: checked.problems });
    await deps.results.writeCorrections(id, { documents: submittedDocuments(req.body) });
    // The field-level audit rides on the event: who changed what, from what, to what (core/field-audit.ts).
    const changes = fieldChanges(result, checked.result.documents);
    const done = await applyEvent(deps, principal, id, { type: 'complete_action', action }, wanted, {
      reason: changes ? `validation completed; changed: ${changes}` : 'validation completed, nothing changed', owner: actorOf(principal),
      set: { phase: 'finish', lease_owner: null, lease_expires_at: null, attempts: 0, documents_count: checked.result.documents.length },
    });
    deps.notifier.notify();
    return taskJson(done);
  });

  app.post('/tasks/:id/cancel_client_action', { schema: { tags: ['client actions'], summary: 'Give a client action back to the queue', querystring } }, async (req) => {
    const principal = principalOf(req);
    const action = actionOf(req);
    await loadHeldTask(deps, principal, idOf(req), action);
    const task = await applyEvent(deps, principal, idOf(req), { type: 'cancel_action', action }, `cancel_client_action?action=${action} needs pending:complete_client_action`, {
      reason: `${action} canceled by client`, owner: actorOf(principal), set: { lease_owner: null, lease_expires_at: null },
    });
    return taskJson(task);
  });

  app.post('/tasks/:id/fail_client_action', { schema: { tags: ['client actions'], summary: 'Fail the task from a client action', querystring } }, async (req) => {
    const principal = principalOf(req);
    const action = actionOf(req);
    await loadHeldTask(deps, principal, idOf(req), action);
    const body = (req.body ?? {}) as { message?: unknown };
    const message = typeof body.message === 'string' && body.message.trim() ? body.message.trim().slice(0, 2000) : `${action} failed by client`;
    const task = await applyEvent(deps, principal, idOf(req), { type: 'fail_action', action }, `fail_client_action?action=${action} needs pending:complete_client_action`, {
      reason: `client failed ${action}: ${message}`, owner: actorOf(principal), set: { error_code: 'client_failed', error_message: message },
    });
    return taskJson(task);
  });

  app.post('/tasks/:id/extend_client_action', { schema: { tags: ['client actions'], summary: 'Extend the lease of a client action', querystring } }, async (req) => {
    const principal = principalOf(req);
    const action = actionOf(req);
    const task = await loadHeldTask(deps, principal, idOf(req), action);
    const extended = await deps.repos.tasks.extendActionLease(task.id, action, deps.clock() + task.client_action_timeout_ms);
    if (!extended) throw stateConflict(await loadTask(deps, principal, task.id), `extend_client_action?action=${action} needs pending:complete_client_action with client_action ${action}`);
    return taskJson(extended);
  });
}
