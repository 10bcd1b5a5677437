/**
 * @module A property test of the store's transitions against the pure table of
 * core/task-states.ts (fast-check): random sequences of events, some sent from a
 * stale position as a racing caller would, are applied to a real task. After each
 * one the store must answer as the table does (the same target, the same refusal,
 * `moved` when the table allows the event only from where the caller wrongly
 * thought the task was), the row must sit where the table says with its lease
 * cleared outside leased states, and at the end there is one event row per accepted
 * transition, in order. Run unchanged on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openStore, type Store } from '../../src/store/connect.ts';
import { newId } from '../../src/core/ids.ts';
import { ALL_STATES, CLIENT_ACTIONS, TASK_EVENT_TYPES, isFinal, isLeased, transition, type TaskEvent, type TaskPosition } from '../../src/core/task-states.ts';
import type { ProjectRecord } from '../../src/core/records.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';
import { project, seedTask } from './contract.ts';

const action = fc.constantFrom(...CLIENT_ACTIONS);
export const eventArb: fc.Arbitrary<TaskEvent> = fc.oneof(
  fc.constantFrom<TaskEvent>({ type: 'claim' }, { type: 'process_failed' }, { type: 'requeue' }, { type: 'lease_expired' }, { type: 'cancel' }, { type: 'time_out' }),
  fc.record({ type: fc.constantFrom('processed', 'start_action', 'complete_action', 'cancel_action', 'fail_action', 'extend_action'), action }) as fc.Arbitrary<TaskEvent>,
);
export const positionArb: fc.Arbitrary<TaskPosition> = fc.constantFrom(...ALL_STATES).chain((state): fc.Arbitrary<TaskPosition> =>
  state.startsWith('pending:') ? action.map((a) => ({ state, client_action: a })) : fc.constant({ state, client_action: null }),
);
/** Every event, both actions of the action events: 6 + 6 × 2. */
const ALL_EVENTS: TaskEvent[] = [
  { type: 'claim' }, { type: 'process_failed' }, { type: 'requeue' }, { type: 'lease_expired' }, { type: 'cancel' }, { type: 'time_out' }, { type: 'reopen' },
  ...CLIENT_ACTIONS.flatMap((a) => (['processed', 'start_action', 'complete_action', 'cancel_action', 'fail_action', 'extend_action'] as const).map((type) => ({ type, action: a }) as TaskEvent)),
];

/**
 * One step: half the time an event the table accepts from where the task is (the
 * `pick`-th of them, other than the two that end it from anywhere), so sequences get
 * deep into the client actions; else any event; and now and then sent from a stale
 * position.
 */
const stepArb = fc.record({ valid: fc.boolean(), pick: fc.nat(), event: eventArb, stale: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: positionArb, weight: 1 }) });

const same = (a: TaskPosition, b: TaskPosition) => a.state === b.state && a.client_action === b.client_action;

export function transitionsProperty(kind: StoreKind, skip: false | string, numRuns: number): void {
  describe(`store transitions follow the table (${kind})`, { skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let proj: ProjectRecord;
    const account = newId();

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      await store.accounts.createAccount(account, 'a', 1);
      proj = await store.projects.create({ id: newId(), account_id: account, project: project('Property'), now: 1 });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test(`${numRuns} random event sequences`, async () => {
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 24 }), async (steps) => {
          const { task } = await seedTask(store, account, proj, 10);
          let at: TaskPosition = { state: 'queued', client_action: null };
          const accepted: string[] = ['queued'];
          let now = 10;
          for (const step of steps) {
            const stale: TaskPosition | null = step.stale;
            // cancel and time_out are allowed everywhere and end the task: left to the random half.
            const allowed = ALL_EVENTS.filter((e) => e.type !== 'cancel' && e.type !== 'time_out' && transition(at, e).ok);
            const event = step.valid && allowed.length > 0 ? allowed[step.pick % allowed.length]! : step.event;
            const expected = stale ?? at;
            const table = transition(expected, event);
            const want = !table.ok ? table : same(expected, at) ? table : { ok: false, refusal: 'moved' };
            // Every request asks for a lease: the store must drop it wherever the target has none.
            const got = await store.tasks.transition({
              id: task.id, event, expected, now: ++now, actor: 'property', reason: event.type, set: { lease_owner: 'holder', lease_expires_at: now + 1000 },
            });
            const label = `${at.state}/${at.client_action} + ${JSON.stringify(event)} from ${expected.state}/${expected.client_action}`;
            if (!want.ok) {
              assert.deepEqual(got, want, label);
            } else {
              assert.ok(got.ok, `${label}: ${JSON.stringify(got)}`);
              at = (want as { to: TaskPosition }).to;
              accepted.push(at.state);
              seen.add(event.type);
            }
            const row = await store.tasks.getById(task.id);
            assert.deepEqual({ state: row?.state, client_action: row?.client_action }, at, label);
            assert.equal(row?.lease_owner, isLeased(at.state) ? 'holder' : null, label);
            assert.equal(row?.finished_at !== null, isFinal(at.state), label);
          }
          const events = await store.tasks.events(task.id);
          assert.deepEqual(events.map((e) => e.to_state), accepted);
        }),
        { numRuns },
      );
      // The runs reached every kind of transition, or they proved little.
      assert.deepEqual([...seen].sort(), [...TASK_EVENT_TYPES].sort());
    });
  });
}
