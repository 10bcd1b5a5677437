/**
 * @module The task-level half of authorization (the route-level half is access.ts):
 * who holds a client action, and what a validator may touch. A client action is
 * held by the caller that started it (`lease_owner` = `client:<id>` or
 * `user:<id>`, transitions.ts `actorOf`); completing, canceling, failing,
 * extending it or saving a draft of it by anyone else answers 409 `not_holder`
 * — 409, not 403, because it is the task's state that refuses (the same caller
 * may start it once it is back in the queue), like `wrong_state`. The state
 * change itself is a compare-and-set on the owner too (TransitionRequest.owner),
 * so a lease that changes hands between this check and the write still fails.
 * A validator (user role) may read and work on a task only while it holds that
 * task's validation; an export task is 403 to it whatever its state.
 */
import { Problem } from '../core/errors.ts';
import type { ClientAction } from '../core/task-states.ts';
import type { Principal, TaskRecord } from '../core/records.ts';
import type { ApiDeps } from './deps.ts';
import { callerOf } from './access.ts';
import { actorOf, loadTask } from './transitions.ts';

/** 409 `not_holder` when the task's `action` is held by someone other than the caller; other states are left to the state table. */
export function assertHolder(principal: Principal, task: TaskRecord, action: ClientAction): void {
  if (task.state === 'pending:complete_client_action' && task.client_action === action && task.lease_owner !== actorOf(principal)) {
    throw new Problem('not_holder', `the ${action} of task ${task.id} is held by another caller; only the caller that started it may complete, cancel, fail, extend or save it`, { state: task.state, client_action: task.client_action });
  }
  assertValidatorMay(principal, task);
}

/** Loads the task in the caller's account and checks that the caller holds its `action` (when it is held). */
export async function loadHeldTask(deps: ApiDeps, principal: Principal, id: string, action: ClientAction): Promise<TaskRecord> {
  const task = await loadTask(deps, principal, id);
  assertHolder(principal, task, action);
  return task;
}

/** A validator may touch a validation task only, and a held one only while it is the holder. */
export function assertValidatorMay(principal: Principal, task: TaskRecord): void {
  if (callerOf(principal) !== 'validator') return;
  if (task.client_action !== 'validation') throw new Problem('forbidden', 'a user-role login can work on validation only');
  if (task.state === 'pending:complete_client_action' && task.lease_owner !== actorOf(principal)) {
    throw new Problem('not_holder', `the validation of task ${task.id} is held by another caller`, { state: task.state, client_action: task.client_action });
  }
}
