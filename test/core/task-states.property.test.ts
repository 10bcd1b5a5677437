/**
 * @module Properties of the pure task state table over random event sequences
 * (fast-check), whatever the path: the wire state is always one of Aluma's eight,
 * a client action is named exactly in the pending states, final states accept
 * nothing, and a refusal leaves the task where it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isFinal, TASK_STATES, transition, wireState, type TaskPosition } from '../../src/core/task-states.ts';
import { eventArb } from '../store/transitions-property.ts';

test('random event sequences keep the table\'s invariants', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
      let at: TaskPosition = { state: 'queued', client_action: null };
      for (const event of events) {
        const r = transition(at, event);
        if (isFinal(at.state)) assert.deepEqual(r, { ok: false, refusal: 'final' });
        if (!r.ok) continue;
        at = r.to;
        assert.ok((TASK_STATES as readonly string[]).includes(wireState(at.state)));
        assert.equal(at.client_action !== null, at.state.startsWith('pending:'), JSON.stringify(at));
        if (event.type === 'extend_action') assert.equal(at.state, 'pending:complete_client_action');
      }
    }),
    { numRuns: 2000 },
  );
});
