/**
 * @module Every (state, client_action, event) combination of the task state machine
 * against the table of docs/architecture.md#task-events, written out independently of the
 * implementation, and the mapping of internal states to Aluma's wire states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transition, ALL_STATES, TASK_STATES, CLIENT_ACTIONS, statesShownAs, substateOf, wireState, type TaskEvent, type TaskPosition, type ClientAction } from '../../src/core/task-states.ts';

const FINAL = new Set(['completed', 'failed', 'timed-out', 'canceled']);

function events(): TaskEvent[] {
  const out: TaskEvent[] = [{ type: 'claim' }, { type: 'process_failed' }, { type: 'requeue' }, { type: 'lease_expired' }, { type: 'cancel' }, { type: 'time_out' }, { type: 'reopen' }];
  for (const action of CLIENT_ACTIONS) {
    out.push({ type: 'processed', action }, { type: 'start_action', action }, { type: 'complete_action', action }, { type: 'cancel_action', action }, { type: 'fail_action', action }, { type: 'extend_action', action });
  }
  return out;
}

function positions(): TaskPosition[] {
  const out: TaskPosition[] = [];
  for (const state of ALL_STATES) {
    if (state.startsWith('pending:')) for (const a of CLIENT_ACTIONS) out.push({ state, client_action: a });
    else out.push({ state, client_action: null });
  }
  return out;
}

/** The expected target written from docs/architecture.md#task-events, or null where the event is refused. */
function expected(from: TaskPosition, e: TaskEvent): TaskPosition | null {
  if (FINAL.has(from.state)) return null;
  const act = 'action' in e ? (e.action as ClientAction) : null;
  const holds = from.state === 'pending:complete_client_action' && from.client_action === act;
  switch (e.type) {
    case 'cancel': return { state: 'canceled', client_action: null };
    case 'time_out': return { state: 'timed-out', client_action: null };
    case 'claim': return from.state === 'queued' || from.state === 'validated' ? { state: 'running', client_action: null } : null;
    case 'requeue': return from.state === 'running' ? { state: 'queued', client_action: null } : null;
    case 'processed': return from.state === 'running' ? { state: 'pending:start_client_action', client_action: act } : null;
    case 'process_failed': return from.state === 'running' ? { state: 'failed', client_action: null } : null;
    case 'start_action':
      return from.state === 'pending:start_client_action' && from.client_action === act ? { state: 'pending:complete_client_action', client_action: act } : null;
    case 'complete_action':
      if (!holds) return null;
      return act === 'validation' ? { state: 'validated', client_action: null } : { state: 'completed', client_action: null };
    case 'cancel_action': return holds ? { state: 'pending:start_client_action', client_action: act } : null;
    case 'fail_action': return holds ? { state: 'failed', client_action: null } : null;
    case 'extend_action': return holds ? { ...from } : null;
    case 'lease_expired':
      if (from.state === 'running') return { state: 'queued', client_action: null };
      return from.state === 'pending:complete_client_action' ? { state: 'pending:start_client_action', client_action: from.client_action } : null;
    case 'reopen':
      return from.state === 'pending:start_client_action' && from.client_action === 'export' ? { state: 'pending:complete_client_action', client_action: 'validation' } : null;
  }
}

test('every (state, event) pair follows the table', () => {
  let checked = 0;
  for (const from of positions()) {
    for (const e of events()) {
      const want = expected(from, e);
      const got = transition(from, e);
      const label = `${from.state}/${from.client_action} + ${JSON.stringify(e)}`;
      if (want === null) assert.equal(got.ok, false, label);
      else assert.deepEqual(got, { ok: true, to: want }, label);
      checked++;
    }
  }
  // 7 states without an action (validated included) + 2 pending states × 2 actions, by 7 + 6 × 2 events.
  assert.equal(checked, 11 * 19);
});

test('refusals say why: final, wrong state, wrong action', () => {
  assert.deepEqual(transition({ state: 'completed', client_action: null }, { type: 'cancel' }), { ok: false, refusal: 'final' });
  assert.deepEqual(transition({ state: 'queued', client_action: null }, { type: 'start_action', action: 'export' }), { ok: false, refusal: 'wrong_state' });
  assert.deepEqual(transition({ state: 'pending:start_client_action', client_action: 'validation' }, { type: 'start_action', action: 'export' }), { ok: false, refusal: 'wrong_action' });
});

test('internal states are shown as wire states; the wire keeps Aluma\'s eight', () => {
  assert.equal(wireState('validated'), 'running');
  assert.equal(substateOf('validated'), 'validated');
  for (const s of TASK_STATES) {
    assert.equal(wireState(s), s);
    assert.equal(substateOf(s), null);
  }
  assert.deepEqual(statesShownAs('running'), ['running', 'validated']);
  assert.deepEqual(statesShownAs('queued'), ['queued']);
  assert.ok(ALL_STATES.every((s) => (TASK_STATES as readonly string[]).includes(wireState(s))));
});
