/**
 * @module The sweeper against both stores, with an injected clock: dead workers'
 * tasks go back to the queue and fail after the attempt limit, expired client-action
 * leases return to the queue, deadlines time tasks out, final tasks lose their files
 * at once and their records after the retention period, and orphans are removed.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/connect.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { sweepOnce, sweepOrphans, type SweeperDeps } from '../../src/worker/sweeper.ts';
import { newId } from '../../src/core/ids.ts';
import { uploadKey } from '../../src/core/task-files.ts';
import type { BlobStore } from '../../src/core/ports/blob-store.ts';
import type { ProjectRecord } from '../../src/core/records.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';
import { project, seedTask } from '../store/contract.ts';

const quiet = { info() {}, warn() {}, error() {} };

export function sweeperContract(kind: StoreKind, skip: false | string): void {
  describe(`sweeper (${kind})`, { skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let blobs: BlobStore;
    let proj: ProjectRecord;
    let now = 1_000_000;
    const account = newId();
    const deps = (): SweeperDeps => ({
      tasks: store.tasks, accounts: store.accounts, blobs, notifier: store.notifier, clock: () => now, log: quiet,
      maxAttempts: 2, retentionMs: 72 * 3_600_000, orphanGraceMs: 3_600_000,
    });

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      blobs = createFsBlobStore(join(db.dataDir, 'blobs'));
      await store.accounts.createAccount(account, 'a', 1);
      proj = await store.projects.create({ id: newId(), account_id: account, project: project('S', { timeout: '2h', client_action_timeout: '30m' }), now: 1 });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('a dead worker\'s task is requeued, then failed with worker_lost after the attempt limit', async () => {
      const { task } = await seedTask(store, account, proj, now);
      for (let attempt = 1; attempt <= 2; attempt++) {
        const claimed = await store.tasks.claim('dead-worker', 30_000, now);
        assert.equal(claimed?.id, task.id);
        now += 31_000;
        await sweepOnce(deps());
      }
      const t = await store.tasks.getById(task.id);
      assert.equal(t?.state, 'failed');
      assert.equal(t?.error_code, 'worker_lost');
      const reasons = (await store.tasks.events(task.id)).map((e) => `${e.to_state}:${e.actor}`);
      assert.deepEqual(reasons, ['queued:api', 'running:worker:dead-worker', 'queued:sweeper', 'running:worker:dead-worker', 'failed:sweeper']);
    });

    test('a live lease is left alone; an expired client-action lease returns to the queue', async () => {
      const { task } = await seedTask(store, account, proj, now);
      await store.tasks.claim('w', 30_000, now);
      await store.tasks.transition({ id: task.id, event: { type: 'processed', action: 'validation' }, expected: { state: 'running', client_action: null }, owner: 'w', now, actor: 'w', reason: 'r' });
      await store.tasks.transition({ id: task.id, event: { type: 'start_action', action: 'validation' }, expected: { state: 'pending:start_client_action', client_action: 'validation' }, now, actor: 'c', reason: 'r', set: { lease_owner: 'c', lease_expires_at: now + 1_800_000 } });
      now += 1_000;
      await sweepOnce(deps());
      assert.equal((await store.tasks.getById(task.id))?.state, 'pending:complete_client_action');
      now += 1_800_000;
      await sweepOnce(deps());
      const t = await store.tasks.getById(task.id);
      assert.equal(t?.state, 'pending:start_client_action');
      assert.equal(t?.client_action, 'validation');
      assert.equal(t?.lease_owner, null);
    });

    test('the project timeout times a task out and its files are purged at once', async () => {
      const { task } = await seedTask(store, account, proj, now);
      await blobs.put(uploadKey(task.id), Buffer.from('%PDF-1.4'));
      await blobs.put(`tasks/${task.id}/pages/0.json`, Buffer.from('{}'));
      now += 2 * 3_600_000 + 1;
      const report = await sweepOnce(deps());
      assert.ok(report.timedOut >= 1);
      const t = await store.tasks.getById(task.id);
      assert.equal(t?.state, 'timed-out');
      assert.notEqual(t?.purged_at, null);
      assert.equal(t?.file_key, null);
      assert.equal(await blobs.exists(uploadKey(task.id)), false);
      assert.equal(await blobs.exists(`tasks/${task.id}/pages/0.json`), false);
    });

    test('final tasks are removed after the retention period, not before', async () => {
      const { task } = await seedTask(store, account, proj, now);
      await store.tasks.transition({ id: task.id, event: { type: 'cancel' }, expected: { state: 'queued', client_action: null }, now, actor: 'c', reason: 'r' });
      await sweepOnce(deps());
      now += 71 * 3_600_000;
      await sweepOnce(deps());
      assert.notEqual(await store.tasks.getById(task.id), null);
      now += 2 * 3_600_000;
      await sweepOnce(deps());
      assert.equal(await store.tasks.getById(task.id), null);
      assert.deepEqual(await store.tasks.events(task.id), []);
    });

    test('orphans: old temp files, uploads and blob folders without a task go; young ones stay', async () => {
      const root = join(db.dataDir, 'blobs');
      await mkdir(join(root, '.tmp'), { recursive: true });
      const old = (Date.now() - 2 * 3_600_000) / 1000;
      await writeFile(join(root, '.tmp', 'interrupted'), 'x');
      await utimes(join(root, '.tmp', 'interrupted'), old, old);
      const orphan = newId();
      const young = newId();
      await blobs.put(`tasks/${orphan}/original`, Buffer.from('x'));
      await utimes(join(root, 'tasks', orphan), old, old);
      await blobs.put(`tasks/${young}/original`, Buffer.from('x'));
      const { task } = await seedTask(store, account, proj, now);
      await blobs.put(`tasks/${task.id}/original`, Buffer.from('x'));
      await utimes(join(root, 'tasks', task.id), old, old);
      // Uploaded originals live flat in uploads/ (a crash between the file and the row leaves one there).
      const orphanUpload = newId();
      await blobs.put(uploadKey(orphanUpload), Buffer.from('x'));
      await utimes(join(root, 'uploads', orphanUpload), old, old);
      await blobs.put(uploadKey(young), Buffer.from('x'));
      await blobs.put(uploadKey(task.id), Buffer.from('x'));
      await utimes(join(root, 'uploads', task.id), old, old);
      const removed = await sweepOrphans(deps());
      assert.equal(removed, 3);
      assert.equal(await blobs.exists(uploadKey(orphanUpload)), false);
      assert.equal(await blobs.exists(uploadKey(young)), true);
      assert.equal(await blobs.exists(uploadKey(task.id)), true);
      assert.equal(await blobs.exists(`tasks/${orphan}/original`), false);
      assert.equal(await blobs.exists(`tasks/${young}/original`), true);
      assert.equal(await blobs.exists(`tasks/${task.id}/original`), true);
    });
  });
}
