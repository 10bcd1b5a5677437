/**
 * @module Applies a task event on behalf of an API caller: looks the task up in the
 * caller's account (another account's id is a 404 like an unknown one) and sends the
 * event to the store, which checks it against the core state table and writes it as
 * a compare-and-set. A caller that loses a race re-reads the task and gets the 409
 * the new state calls for, naming the current state — so of N concurrent starts
 * exactly one gets 200.
 */
import { Problem } from '../core/errors.ts';
import { isFinal, wireState, type TaskEvent } from '../core/task-states.ts';
import { purgeTask } from '../core/purge.ts';
import type { TransitionRequest } from '../core/ports/task-repository.ts';
import type { Principal, TaskRecord } from '../core/records.ts';
import type { ApiDeps } from './deps.ts';

export async function loadTask(deps: ApiDeps, principal: Principal, id: string): Promise<TaskRecord> {
  const task = await deps.repos.tasks.get(principal.account_id, id);
  if (!task) throw new Problem('not_found', `no task ${id}`);
  return task;
}

/** A 409 naming where the task is, as a client sees it: its wire state. */
export function stateConflict(task: TaskRecord, wanted: string): Problem {
  const state = wireState(task.state);
  const action = task.client_action ? ` (client_action ${task.client_action})` : '';
  return new Problem('wrong_state', `the task is ${state}${action}; ${wanted}`, { state, client_action: task.client_action });
}

export function actorOf(p: Principal): string {
  return `${p.kind}:${p.subject}`;
}

type Extra = Pick<TransitionRequest, 'files' | 'reason'> & {
  owner?: string;
  /** Columns to set with the transition; a function when they depend on the task as read. */
  set?: TransitionRequest['set'] | ((task: TaskRecord) => TransitionRequest['set']);
};

export async function applyEvent(deps: ApiDeps, principal: Principal, id: string, event: TaskEvent, wanted: string, extra: Extra): Promise<TaskRecord> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const task = await loadTask(deps, principal, id);
    const done = await deps.repos.tasks.transition({
      id, event, expected: { state: task.state, client_action: task.client_action }, now: deps.clock(),
      actor: actorOf(principal), reason: extra.reason, files: extra.files,
      set: typeof extra.set === 'function' ? extra.set(task) : extra.set,
      ...(extra.owner !== undefined ? { owner: extra.owner } : {}),
    });
    if (done.ok) {
      if (isFinal(done.task.state)) await purgeTask({ tasks: deps.repos.tasks, blobs: deps.blobs, clock: deps.clock }, id);
      return done.task;
    }
    // Refused by the table from where the task was read: a 409 whatever another try would see.
    if (done.refusal !== 'moved') throw stateConflict(task, wanted);
  }
  throw stateConflict(await loadTask(deps, principal, id), wanted);
}
