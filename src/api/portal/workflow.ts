/**
 * @module The validation portal's ways out and back (docs/portal.md#validation-every-user),
 * each one event of the state table (core/task-states.ts) applied for the person
 * holding the task:
 * - reject with one of the project's reasons (`validation.reject`): the task fails
 *   (`rejected`) or goes to the exception queue, where only admins see it;
 * - postpone: back to the queue, last in this person's own list;
 * - give back: back to the queue, logged as given back (not "canceled by client");
 * - reopen: the person who submitted a task takes it back while it waits for export.
 * Every route declares its body and answers as TypeBox schemas (problem+json errors too).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '../../core/errors.ts';
import { rejectSettings } from '../../core/project/reject.ts';
import type { Principal, TaskRecord } from '../../core/records.ts';
import { principalOf } from '../auth.ts';
import { taskJson } from '../task-json.ts';
import { actorOf, applyEvent, loadTask, stateConflict } from '../transitions.ts';
import { assertHolder } from '../holders.ts';
import type { PortalDeps } from './deps.ts';
import { IdParams, ref, signedInErrors } from '../schemas/common.ts';
import { Task } from '../schemas/tasks.ts';
import { RejectRequest } from '../schemas/portal.ts';

const tags = ['portal'];
/** The task after the change; 404 outside the caller's account, 409 `wrong_state` or `not_holder`. */
const response = { 200: { description: 'The task after the change.', ...ref(Task) }, ...signedInErrors(404, 409) };

/** The task held for validation by the caller, else the 409 its state calls for. */
async function heldForValidation(deps: PortalDeps, principal: Principal, id: string, what: string): Promise<TaskRecord> {
  const task = await loadTask(deps.api, principal, id);
  assertHolder(principal, task, 'validation');
  if (task.state !== 'pending:complete_client_action' || task.client_action !== 'validation') throw stateConflict(task, `${what} needs the task held for validation`);
  return task;
}

/** Back to the validation queue from the caller's hands, with its own reason in the timeline. */
async function handBack(deps: PortalDeps, principal: Principal, id: string, reason: string, set: Record<string, string | number | null>): Promise<TaskRecord> {
  await heldForValidation(deps, principal, id, reason);
  return applyEvent(deps.api, principal, id, { type: 'cancel_action', action: 'validation' }, `${reason} needs pending:complete_client_action`, {
    reason, owner: actorOf(principal), set: { lease_owner: null, lease_expires_at: null, ...set },
  });
}

export function registerWorkflowRoutes(plain: FastifyInstance, deps: PortalDeps): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/tasks/:id/validation/reject', {
    schema: {
      operationId: 'rejectValidation', tags, summary: 'Reject a document held for validation, with a reason of the project',
      description: 'The reason must be one of the project\'s `validation.reject.reasons`. With `to: fail` the task fails with error `rejected` and the reason; with `to: exception` it goes back to the queue marked as an exception, listed to admins only.',
      params: IdParams, body: ref(RejectRequest),
      response: { ...response, ...signedInErrors(400, 404, 409) },
    },
  }, async (req) => {
    const principal = principalOf(req);
    const { id } = req.params;
    const task = await heldForValidation(deps, principal, id, 'reject');
    const project = await deps.api.repos.projects.getVersion(task.project_id, task.project_version);
    if (!project) throw new Problem('not_found', 'the task\'s project version is gone');
    const settings = rejectSettings(project.project);
    const reason = req.body.reason.trim();
    if (!settings.reasons.includes(reason)) throw new Problem('invalid_request', `the reason must be one of the project's: ${settings.reasons.join(', ')}`, { reasons: settings.reasons });
    if (settings.to === 'exception') return taskJson(await handBack(deps, principal, id, `rejected to the exception queue: ${reason}`, { exception_reason: reason }));
    return taskJson(await applyEvent(deps.api, principal, id, { type: 'fail_action', action: 'validation' }, 'reject needs pending:complete_client_action', {
      reason: `validation rejected: ${reason}`, owner: actorOf(principal), set: { error_code: 'rejected', error_message: reason },
    }));
  });

  app.post('/tasks/:id/validation/postpone', {
    schema: {
      operationId: 'postponeValidation', tags, summary: 'Put a task held for validation off to later in this person\'s queue',
      description: 'The task goes back to the queue; in the caller\'s own queue it comes after every task not put off by them. Others see it in its usual place.',
      params: IdParams, response,
    },
  }, async (req) => {
    const principal = principalOf(req);
    return taskJson(await handBack(deps, principal, req.params.id, 'validation postponed', { postponed_by: actorOf(principal), postponed_at: deps.api.clock() }));
  });

  app.post('/tasks/:id/validation/give_back', {
    schema: {
      operationId: 'giveBackValidation', tags, summary: 'Give a task held for validation back to the queue',
      description: 'Like `cancel_client_action?action=validation`, logged in the timeline as given back by the person.',
      params: IdParams, response,
    },
  }, async (req) => taskJson(await handBack(deps, principalOf(req), req.params.id, 'validation given back', {})));

  app.post('/tasks/:id/validation/reopen', {
    schema: {
      operationId: 'reopenValidation', tags, summary: 'Take back a task one submitted, while it waits for export',
      description: 'Only the person whose validation completed last may reopen it, and only while the task waits for export to start. The task is then held for validation by them again; its outputs are built again after the next submit.',
      params: IdParams, response,
    },
  }, async (req) => {
    const principal = principalOf(req);
    const { id } = req.params;
    const task = await loadTask(deps.api, principal, id);
    if (task.state !== 'pending:start_client_action' || task.client_action !== 'export') throw stateConflict(task, 'reopen needs a task waiting for export');
    const events = await deps.api.repos.tasks.events(id);
    const submitted = events.filter((e) => e.to_state === 'validated').at(-1);
    if (!submitted || submitted.actor !== actorOf(principal)) throw new Problem('not_holder', 'only the person who submitted the validation may reopen it', { state: task.state, client_action: task.client_action });
    return taskJson(await applyEvent(deps.api, principal, id, { type: 'reopen' }, 'reopen needs a task waiting for export', {
      reason: 'validation reopened by the person who submitted it',
      set: (t) => ({ lease_owner: actorOf(principal), lease_expires_at: deps.api.clock() + t.client_action_timeout_ms }),
    }));
  });
}
