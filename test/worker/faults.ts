/**
 * @module The worker against both stores with a processor that fails the way the
 * environment does: a run hit by a full disk (a real ENOSPC, written to /dev/full)
 * goes back to the queue, is not claimed again before its `not_before`, gives its
 * attempt back and is never failed, even with `maxAttempts` 1; a document's own
 * error still spends attempts and fails the task at the limit.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/connect.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { startWorker, type WorkerDeps } from '../../src/worker/loop.ts';
import { newId } from '../../src/core/ids.ts';
import type { ProcessOutcome, TaskProcessor } from '../../src/core/ports/task-processor.ts';
import type { ProjectRecord, TaskRecord } from '../../src/core/records.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';
import { project, seedTask } from '../store/contract.ts';

export const quiet = { info() {}, warn() {}, error() {} };
export const EXPORTED: ProcessOutcome = { action: 'export', documents_count: 1, outputs: [] };

/** A real ENOSPC from a real write; elsewhere than Linux an Error with its code (the processor is the test's input). */
export async function fullDisk(): Promise<never> {
  if (process.platform === 'linux') await writeFile('/dev/full', 'page image');
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function workerFaults(kind: StoreKind, skip: false | string): void {
  describe(`worker faults (${kind})`, { skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let proj: ProjectRecord;
    const account = newId();
    const deps = (process: TaskProcessor, maxAttempts: number): WorkerDeps => ({
      tasks: store.tasks, projects: store.projects, blobs: createFsBlobStore(join(db.dataDir, 'blobs')), process,
      notifier: store.notifier, clock: Date.now, log: quiet, workerId: `w-${newId()}`, concurrency: 2,
      leaseMs: 30_000, pollMs: 100, maxAttempts, retry: { baseMs: 200, maxMs: 800 },
    });
    const settled = (id: string) => waitFor('the task to settle', async () => {
      const t = await store.tasks.getById(id);
      return t && (t.state === 'pending:start_client_action' || t.state === 'failed') ? t : null;
    });

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      await store.accounts.createAccount(account, 'a', 1);
      proj = await store.projects.create({ id: newId(), account_id: account, project: project('Faults'), now: 1 });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('a full disk three times: the task waits, retries, spends no attempt and is processed', async () => {
      let calls = 0;
      const worker = startWorker(deps(async () => (++calls <= 3 ? fullDisk() : EXPORTED), 1));
      try {
        const { task } = await seedTask(store, account, proj, Date.now());
        store.notifier.notify();
        const done: TaskRecord = await settled(task.id);
        assert.equal(done.state, 'pending:start_client_action', done.error_message ?? '');
        assert.equal(calls, 4);
        assert.equal(done.attempts, 1, 'three transient faults gave their attempts back');
        assert.equal(done.transient_faults, 3);
        const events = await store.tasks.events(task.id);
        const requeues = events.filter((e) => e.from_state === 'running' && e.to_state === 'queued');
        assert.equal(requeues.length, 3);
        for (const e of requeues) assert.match(e.reason, /transient fault \(ENOSPC\), retry in \d+ s; no attempt spent/);
        // Each claim after a fault came no sooner than the shortest delay (half of the 200 ms first step).
        for (let i = 0; i < events.length; i++) {
          if (events[i]!.to_state !== 'queued' || events[i]!.from_state !== 'running') continue;
          const next = events.slice(i + 1).find((e) => e.to_state === 'running');
          assert.ok(next && next.at - events[i]!.at >= 100, `claimed ${next ? next.at - events[i]!.at : '?'} ms after the fault`);
        }
        assert.equal(events.some((e) => e.to_state === 'failed'), false);
      } finally {
        await worker.stop();
      }
    });

    test('a document\'s own error still spends attempts and fails the task at the limit', async () => {
      let calls = 0;
      const worker = startWorker(deps(async () => {
        calls++;
        throw new Error('Invalid PDF structure');
      }, 2));
      try {
        const { task } = await seedTask(store, account, proj, Date.now());
        store.notifier.notify();
        const done = await settled(task.id);
        assert.equal(done.state, 'failed');
        assert.equal(done.error_code, 'processing_error');
        assert.equal(calls, 2);
        assert.equal(done.attempts, 2);
      } finally {
        await worker.stop();
      }
    });
  });
}
