/**
 * @module The client-action routes (docs/architecture.md#task-events): start, complete, cancel, fail,
 * extend for `validation` and `export`. Starting takes a lease of the project's
 * `client_action_timeout`; completing validation checks the person's results (422
 * with per-field problems, lease kept), records them as corrections and hands the
 * task back to the workers, which extract again what a changed type or page range
 * needs and build the outputs (pipeline/processor.ts): nothing is extracted inside
 * the request. Completing export ends the task and purges its data.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem } from '../core/errors.ts';
import { CLIENT_ACTIONS } from '../core/task-states.ts';
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
import { publicUrlResolver } from './public-url.ts';
import { IdParams, optionalJsonBody, ref, signedInErrors, StringEnum } from './schemas/common.ts';
import { Task } from './schemas/tasks.ts';
import { ClientActionSpecification, FailBody, ValidationResults } from './schemas/specs.ts';

const EMPTY: CaptureResult = { pages: [], documents: [], actions: [], needs_validation: false };

/** The documents of a submission the checker accepted: the body's `documents`, or the body itself when it is the list. */
function submittedDocuments(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const documents = isRecord(body) ? body.documents : undefined;
  return Array.isArray(documents) ? documents : [];
}

const querystring = Type.Object({ action: StringEnum(CLIENT_ACTIONS, { description: 'Which client action: `validation` or `export`.' }) });
const params = IdParams;
const taskAnswer = (description: string) => ({ 200: { description, ...ref(Task) } });

export function registerClientActionRoutes(plain: FastifyInstance, deps: ApiDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const publicUrl = publicUrlResolver(deps.config);
  const tags = ['client actions'];

  app.post('/tasks/:id/start_client_action', {
    schema: {
      operationId: 'startClientAction', tags, summary: 'Start a client action; answers its specification',
      description: 'Takes a task waiting in `pending:start_client_action` for this action, holding it for the project\'s client action timeout, '
        + 'and answers the Validation or Export Specification. Of several callers exactly one gets 200; the others get 409.',
      params, querystring,
      response: { 200: { description: 'The specification of the action.', ...ClientActionSpecification }, ...signedInErrors(400, 404, 409) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const action = req.query.action;
    const task = await applyEvent(deps, principal, req.params.id, { type: 'start_action', action }, `start_client_action?action=${action} needs pending:start_client_action with client_action ${action}`, {
      reason: `${action} started`,
      set: (t) => ({ lease_owner: actorOf(principal), lease_expires_at: deps.clock() + t.client_action_timeout_ms }),
    });
    const result = (await deps.results.read(task.id)) ?? EMPTY;
    if (action === 'export') return exportSpecification(publicUrl(req), task, result, await deps.repos.tasks.files(task.id));
    const project = await deps.repos.projects.getVersion(task.project_id, task.project_version);
    if (!project) throw new Problem('not_found', `the task's project version is gone`);
    return validationSpecification(publicUrl(req), task, project.project, result);
  });

  app.post('/tasks/:id/complete_client_action', {
    schema: {
      operationId: 'completeClientAction', tags, summary: 'Complete a client action',
      description: 'For `validation`, the body is the Validation Results: the rules are checked again (422 lists every problem and keeps the lease), '
        + 'and the task goes back to the workers to build its outputs. For `export`, no body: the task ends `completed` and its files are deleted.',
      params, querystring, ...optionalJsonBody(ref(ValidationResults)),
      response: { ...taskAnswer('The task after the action.'), ...signedInErrors(400, 404, 409, 422) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const action = req.query.action;
    const id = req.params.id;
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

  app.post('/tasks/:id/cancel_client_action', {
    schema: {
      operationId: 'cancelClientAction', tags, summary: 'Give a client action back to the queue',
      description: 'The task returns to `pending:start_client_action` for the same action, for anyone to start again.',
      params, querystring, response: { ...taskAnswer('The task, waiting again.'), ...signedInErrors(400, 404, 409) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const action = req.query.action;
    await loadHeldTask(deps, principal, req.params.id, action);
    const task = await applyEvent(deps, principal, req.params.id, { type: 'cancel_action', action }, `cancel_client_action?action=${action} needs pending:complete_client_action`, {
      reason: `${action} canceled by client`, owner: actorOf(principal), set: { lease_owner: null, lease_expires_at: null },
    });
    return taskJson(task);
  });

  app.post('/tasks/:id/fail_client_action', {
    schema: {
      operationId: 'failClientAction', tags, summary: 'Fail the task from a client action',
      description: 'Ends the task `failed` with error `client_failed` and the given message (e.g. the target system refused the export).',
      params, querystring, ...optionalJsonBody(ref(FailBody)),
      response: { ...taskAnswer('The task, failed.'), ...signedInErrors(400, 404, 409) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const action = req.query.action;
    await loadHeldTask(deps, principal, req.params.id, action);
    const given = isRecord(req.body) && typeof req.body.message === 'string' ? req.body.message.trim() : '';
    const message = given ? given.slice(0, 2000) : `${action} failed by client`;
    const task = await applyEvent(deps, principal, req.params.id, { type: 'fail_action', action }, `fail_client_action?action=${action} needs pending:complete_client_action`, {
      reason: `client failed ${action}: ${message}`, owner: actorOf(principal), set: { error_code: 'client_failed', error_message: message },
    });
    return taskJson(task);
  });

  app.post('/tasks/:id/extend_client_action', {
    schema: {
      operationId: 'extendClientAction', tags, summary: 'Extend the lease of a client action',
      description: 'Starts the held action\'s lease again from now (the project\'s client action timeout); `lease_expires_at` says until when.',
      params, querystring, response: { ...taskAnswer('The task with its new lease.'), ...signedInErrors(400, 404, 409) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const action = req.query.action;
    const task = await loadHeldTask(deps, principal, req.params.id, action);
    const extended = await deps.repos.tasks.extendActionLease(task.id, action, deps.clock() + task.client_action_timeout_ms);
    if (!extended) throw stateConflict(await loadTask(deps, principal, task.id), `extend_client_action?action=${action} needs pending:complete_client_action with client_action ${action}`);
    return taskJson(extended);
  });
}
