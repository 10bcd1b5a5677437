/**
 * @module The dashboard's throughput chart on a real store (docs/portal.md#admin-admin-role):
 * tasks created and finished at known times must land in the right hourly buckets.
 * `node:sqlite` binds every JS number as REAL, so without integer casts in the query
 * `(created_at - since) / width` came out fractional and matched no bucket;
 * run unchanged on SQLite and PostgreSQL (stats.*.test.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/connect.ts';
import { newId } from '../../src/core/ids.ts';
import type { ProjectRecord } from '../../src/core/records.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';
import { project, seedTask } from './contract.ts';

const HOUR = 3_600_000;
/** A window start that is not a multiple of the bucket width, as `Date.now() - 24 h` never is. */
const SINCE = 1_765_000_000_123;

export function statsSuite(kind: StoreKind, skip: false | string): void {
  describe(`dashboard throughput (${kind})`, { skip }, () => {
    let db: TestDatabase;
    let store: Store;
    const account = newId();
    let proj: ProjectRecord;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      await store.accounts.createAccount(account, 'a', SINCE);
      proj = await store.projects.create({ id: newId(), account_id: account, project: project('P'), now: SINCE });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('tasks created and finished land in their hour; tasks outside the window and other accounts count nowhere', async () => {
      // Created: 2 in hour 0 (one at its very start), 1 in hour 1 (its last ms), 1 in hour 3; one before and one after the window.
      const createdAt = [SINCE, SINCE + 59 * 60_000, SINCE + 2 * HOUR - 1, SINCE + 3 * HOUR + 5, SINCE - 1, SINCE + 4 * HOUR];
      const tasks = [];
      for (const at of createdAt) tasks.push((await seedTask(store, account, proj, at)).task);
      const other = newId();
      await store.accounts.createAccount(other, 'b', SINCE);
      const otherProj = await store.projects.create({ id: newId(), account_id: other, project: project('Q'), now: SINCE });
      await seedTask(store, other, otherProj, SINCE + 10);

      // Finished: task 0 completes in hour 2, task 1 is canceled (not counted) and task 3 fails in hour 3.
      const queued = { state: 'queued', client_action: null } as const;
      const run = async (id: string, at: number) => {
        const r = await store.tasks.transition({ id, event: { type: 'claim' }, expected: queued, now: at, actor: 'w', reason: 'r', set: { lease_owner: 'w', lease_expires_at: at + HOUR } });
        assert.ok(r.ok);
      };
      await run(tasks[0]!.id, SINCE + 2 * HOUR);
      const t0 = tasks[0]!.id;
      const t = SINCE + 2 * HOUR + 30_000;
      const steps = [
        { event: { type: 'processed', action: 'export' }, expected: { state: 'running', client_action: null }, owner: 'w' },
        { event: { type: 'start_action', action: 'export' }, expected: { state: 'pending:start_client_action', client_action: 'export' }, set: { lease_owner: 'e', lease_expires_at: t + HOUR } },
        { event: { type: 'complete_action', action: 'export' }, expected: { state: 'pending:complete_client_action', client_action: 'export' } },
      ] as const;
      for (const step of steps) assert.ok((await store.tasks.transition({ id: t0, now: t, actor: 'w', reason: 'r', ...step })).ok, step.event.type);
      assert.ok((await store.tasks.transition({ id: tasks[1]!.id, event: { type: 'cancel' }, expected: queued, now: SINCE + 2 * HOUR + 1, actor: 'c', reason: 'r' })).ok);
      await run(tasks[3]!.id, SINCE + 3 * HOUR + 10);
      const failed = await store.tasks.transition({ id: tasks[3]!.id, event: { type: 'process_failed' }, expected: { state: 'running', client_action: null }, owner: 'w', now: SINCE + 3 * HOUR + 20, actor: 'w', reason: 'r' });
      assert.ok(failed.ok, JSON.stringify(failed));

      const stats = await store.stats.dashboard({ account_id: account, since: SINCE, until: SINCE + 4 * HOUR, bucket_ms: HOUR });
      assert.deepEqual(stats.throughput, [
        { at: SINCE, created: 2, completed: 0, failed: 0 },
        { at: SINCE + HOUR, created: 1, completed: 0, failed: 0 },
        { at: SINCE + 2 * HOUR, created: 0, completed: 1, failed: 0 },
        { at: SINCE + 3 * HOUR, created: 1, completed: 0, failed: 1 },
      ]);
    });

    test('a bucket width that is not a whole number of ms is floored, and buckets cover the window', async () => {
      const stats = await store.stats.dashboard({ account_id: account, since: SINCE, until: SINCE + 4 * HOUR, bucket_ms: 2 * HOUR + 0.5 });
      assert.deepEqual(stats.throughput.map((b) => [b.at - SINCE, b.created]), [[0, 3], [2 * HOUR, 1]]);
    });
  });
}
