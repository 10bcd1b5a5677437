/**
 * @module The task state machine (docs/architecture.md#task-states) as a pure table. Stores apply a
 * transition as one compare-and-set on (state, client_action): they read the task,
 * ask `transition` for the target, then update `WHERE state = from AND
 * client_action IS from` — so two racing clients cannot both win, whatever process
 * they run in.
 */

export const TASK_STATES = [
  'queued',
  'running',
  'pending:start_client_action',
  'pending:complete_client_action',
  'completed',
  'failed',
  'timed-out',
  'canceled',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const CLIENT_ACTIONS = ['validation', 'export'] as const;
export type ClientAction = (typeof CLIENT_ACTIONS)[number];

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'timed-out', 'canceled']);

export function isFinal(state: TaskState): boolean {
  return FINAL_STATES.has(state);
}

export function isTaskState(value: string): value is TaskState {
  return (TASK_STATES as readonly string[]).includes(value);
}

export function isClientAction(value: string): value is ClientAction {
  return (CLIENT_ACTIONS as readonly string[]).includes(value);
}

export interface TaskPosition {
  state: TaskState;
  client_action: ClientAction | null;
}

export type TaskEvent =
  | { type: 'claim' }
  | { type: 'processed'; action: ClientAction }
  | { type: 'process_failed' }
  | { type: 'requeue' }
  | { type: 'start_action'; action: ClientAction }
  | { type: 'complete_action'; action: ClientAction }
  | { type: 'cancel_action'; action: ClientAction }
  | { type: 'fail_action'; action: ClientAction }
  | { type: 'extend_action'; action: ClientAction }
  | { type: 'lease_expired' }
  | { type: 'cancel' }
  | { type: 'time_out' };

export type TaskEventType = TaskEvent['type'];

export const TASK_EVENT_TYPES: readonly TaskEventType[] = [
  'claim', 'processed', 'process_failed', 'requeue', 'start_action', 'complete_action',
  'cancel_action', 'fail_action', 'extend_action', 'lease_expired', 'cancel', 'time_out',
];

/** Why a transition was refused: the task is final, in another state, or on another action. */
export type Refusal = 'final' | 'wrong_state' | 'wrong_action';

export type TransitionResult = { ok: true; to: TaskPosition } | { ok: false; refusal: Refusal };

const PENDING_START = 'pending:start_client_action';
const PENDING_COMPLETE = 'pending:complete_client_action';

function at(state: TaskState, client_action: ClientAction | null = null): TransitionResult {
  return { ok: true, to: { state, client_action } };
}

/** Checks a client-action event against the task's state and current action. */
function onAction(from: TaskPosition, needed: TaskState, action: ClientAction, target: () => TransitionResult): TransitionResult {
  if (from.state !== needed) return { ok: false, refusal: 'wrong_state' };
  if (from.client_action !== action) return { ok: false, refusal: 'wrong_action' };
  return target();
}

export function transition(from: TaskPosition, event: TaskEvent): TransitionResult {
  if (isFinal(from.state)) return { ok: false, refusal: 'final' };
  const wrong: TransitionResult = { ok: false, refusal: 'wrong_state' };
  switch (event.type) {
    case 'cancel':
      return at('canceled');
    case 'time_out':
      return at('timed-out');
    case 'claim':
      return from.state === 'queued' ? at('running') : wrong;
    case 'requeue':
      return from.state === 'running' ? at('queued') : wrong;
    case 'processed':
      return from.state === 'running' ? at(PENDING_START, event.action) : wrong;
    case 'process_failed':
      return from.state === 'running' ? at('failed') : wrong;
    case 'start_action':
      return onAction(from, PENDING_START, event.action, () => at(PENDING_COMPLETE, event.action));
    case 'complete_action':
      return onAction(from, PENDING_COMPLETE, event.action, () =>
        event.action === 'validation' ? at('running') : at('completed'),
      );
    case 'cancel_action':
      return onAction(from, PENDING_COMPLETE, event.action, () => at(PENDING_START, event.action));
    case 'fail_action':
      return onAction(from, PENDING_COMPLETE, event.action, () => at('failed'));
    case 'extend_action':
      return onAction(from, PENDING_COMPLETE, event.action, () => at(PENDING_COMPLETE, event.action));
    case 'lease_expired':
      return from.state === PENDING_COMPLETE ? at(PENDING_START, from.client_action) : wrong;
  }
}
