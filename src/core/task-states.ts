/**
 * @module The task state machine as one pure table. Every state change in docket —
 * the API's client actions, a worker's claim and outcome, the sweeper's lease
 * expiries and time-outs — is an event checked here; stores apply the answer as
 * one compare-and-set on (state, client_action): `WHERE state = from AND
 * client_action IS from`, so two racing callers cannot both win, whatever process
 * they run in.
 *
 * States are Aluma's eight wire states plus one internal state, `validated`: a person
 * completed validation and the task waits for a worker to build its outputs. Aluma
 * calls that `running`, so `wireState` maps it there and the Task JSON names it in
 * its `substate` field (docs/task-states.md).
 */

/** The states of Aluma's Task JSON, in its order: the only values `state` takes on the wire. */
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
export type WireState = (typeof TASK_STATES)[number];

/** Internal states: not on the wire, each shown there as another state (`WIRE_OF`). */
export const INTERNAL_STATES = ['validated'] as const;
export type InternalState = (typeof INTERNAL_STATES)[number];

/** A state as stored: a wire state or an internal one. */
export type TaskState = WireState | InternalState;
export const ALL_STATES: readonly TaskState[] = [...TASK_STATES, ...INTERNAL_STATES];

const WIRE_OF: Record<InternalState, WireState> = { validated: 'running' };

export function wireState(state: TaskState): WireState {
  return (INTERNAL_STATES as readonly string[]).includes(state) ? WIRE_OF[state as InternalState] : (state as WireState);
}

/** The stored states shown as `wire`: what a filter on a wire state must match. */
export function statesShownAs(wire: WireState): TaskState[] {
  return ALL_STATES.filter((s) => wireState(s) === wire);
}

/** The internal state behind a wire state, or null when the stored state is the wire one. */
export function substateOf(state: TaskState): InternalState | null {
  return (INTERNAL_STATES as readonly string[]).includes(state) ? (state as InternalState) : null;
}

export const CLIENT_ACTIONS = ['validation', 'export'] as const;
export type ClientAction = (typeof CLIENT_ACTIONS)[number];

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'timed-out', 'canceled']);

export function isFinal(state: TaskState): boolean {
  return FINAL_STATES.has(state);
}

/** A wire state, as a client may name one (`GET /tasks?state=`). */
export function isTaskState(value: string): value is WireState {
  return (TASK_STATES as readonly string[]).includes(value);
}

export function isClientAction(value: string): value is ClientAction {
  return (CLIENT_ACTIONS as readonly string[]).includes(value);
}

/** Where a new task starts: the one state written without an event of the table (its event row says `created`). */
export const INITIAL_STATE: TaskState = 'queued';

export interface TaskPosition {
  state: TaskState;
  client_action: ClientAction | null;
}

/**
 * What can happen to a task. Workers send `claim`, then `processed`, `process_failed`
 * (a reasoned failure, or the attempt limit) or `requeue` (a retryable error, a
 * transient fault, shutdown); the sweeper sends `lease_expired` (a worker's or a
 * client action's lease ran out), `process_failed` (a worker lost too often) and
 * `time_out`; clients send the action events and `cancel`.
 */
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
  | { type: 'time_out' }
  | { type: 'reopen' };

export type TaskEventType = TaskEvent['type'];

export const TASK_EVENT_TYPES: readonly TaskEventType[] = [
  'claim', 'processed', 'process_failed', 'requeue', 'start_action', 'complete_action',
  'cancel_action', 'fail_action', 'extend_action', 'lease_expired', 'cancel', 'time_out', 'reopen',
];

/** Why a transition was refused: the task is final, in another state, or on another action. */
export type Refusal = 'final' | 'wrong_state' | 'wrong_action';

export type TransitionResult = { ok: true; to: TaskPosition } | { ok: false; refusal: Refusal };

const PENDING_START = 'pending:start_client_action';
const PENDING_COMPLETE = 'pending:complete_client_action';

/** States a worker holds under its lease, and states with no lease at all. */
export const WORKER_LEASED: ReadonlySet<TaskState> = new Set(['running']);
export const CLAIMABLE: readonly TaskState[] = ['queued', 'validated'];

/** Whether a task in `state` has a lease (a worker's or a client action's): every other state clears it. */
export function isLeased(state: TaskState): boolean {
  return WORKER_LEASED.has(state) || state === PENDING_COMPLETE;
}

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
      return CLAIMABLE.includes(from.state) ? at('running') : wrong;
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
        event.action === 'validation' ? at('validated') : at('completed'),
      );
    case 'cancel_action':
      return onAction(from, PENDING_COMPLETE, event.action, () => at(PENDING_START, event.action));
    case 'fail_action':
      return onAction(from, PENDING_COMPLETE, event.action, () => at('failed'));
    case 'extend_action':
      return onAction(from, PENDING_COMPLETE, event.action, () => at(PENDING_COMPLETE, event.action));
    case 'lease_expired':
      if (from.state === 'running') return at('queued');
      return from.state === PENDING_COMPLETE ? at(PENDING_START, from.client_action) : wrong;
    case 'reopen':
      // The person who validated takes it back while it waits for export (docs/portal.md#validation-every-user).
      return onAction(from, PENDING_START, 'export', () => at(PENDING_COMPLETE, 'validation'));
  }
}
