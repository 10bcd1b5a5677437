/**
 * @module The sweeper (docs/architecture.md#leases): returns dead workers' tasks to the queue (or fails
 * them after `maxAttempts`), returns expired client-action leases to
 * `pending:start_client_action`, times out tasks past their project's deadline,
 * purges final tasks' files, removes final task records after the retention period,
 * and deletes temp files and blob folders that no task owns. Every step is a bounded
 * batch of compare-and-set transitions, so several sweepers (one per process) can run
 * at once without doing anything twice.
 */
import { deleteTaskBlobs, purgeTask } from '../core/purge.ts';
import type { BlobStore, Clock, Notifier } from '../core/ports.ts';
import type { TaskRepository, AccountRepository } from '../core/repositories.ts';
import type { Logger } from './loop.ts';

export interface SweeperDeps {
  tasks: TaskRepository;
  accounts: Pick<AccountRepository, 'deleteExpiredTokens'>;
  blobs: BlobStore;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  maxAttempts: number;
  retentionMs: number;
  /** Temp files and unowned blob folders older than this are removed (an upload in progress is younger). */
  orphanGraceMs: number;
}

const BATCH = 200;

export interface SweepReport {
  requeued: number;
  failed: number;
  leasesExpired: number;
  timedOut: number;
  purged: number;
  removed: number;
  orphans: number;
}

export async function sweepOnce(d: SweeperDeps): Promise<SweepReport> {
  const r: SweepReport = { requeued: 0, failed: 0, leasesExpired: 0, timedOut: 0, purged: 0, removed: 0, orphans: 0 };
  const now = d.clock();
  for (const t of await d.tasks.listExpiredRunning(now, BATCH)) {
    const from = { state: t.state, client_action: null };
    const owner = t.lease_owner ?? undefined;
    if (t.attempts >= d.maxAttempts) {
      const done = await d.tasks.transition({ id: t.id, from, owner, to: { state: 'failed', client_action: null }, now, actor: 'sweeper', reason: `worker_lost after ${t.attempts} attempts`, set: { error_code: 'worker_lost', error_message: `the worker processing the task stopped ${t.attempts} times` } });
      if (done) r.failed++;
    } else {
      const done = await d.tasks.transition({ id: t.id, from, owner, to: { state: 'queued', client_action: null }, now, actor: 'sweeper', reason: `worker lease expired (attempt ${t.attempts})`, set: { lease_owner: null, lease_expires_at: null } });
      if (done) r.requeued++;
    }
  }
  for (const t of await d.tasks.listExpiredActions(now, BATCH)) {
    const done = await d.tasks.transition({ id: t.id, from: { state: t.state, client_action: t.client_action }, to: { state: 'pending:start_client_action', client_action: t.client_action }, now, actor: 'sweeper', reason: `client action lease expired (${t.lease_owner ?? 'unknown'})`, set: { lease_owner: null, lease_expires_at: null } });
    if (done) r.leasesExpired++;
  }
  for (const t of await d.tasks.listPastDeadline(now, BATCH)) {
    const done = await d.tasks.transition({ id: t.id, from: { state: t.state, client_action: t.client_action }, to: { state: 'timed-out', client_action: null }, now, actor: 'sweeper', reason: 'project timeout reached' });
    if (done) r.timedOut++;
  }
  for (const t of await d.tasks.listUnpurged(BATCH)) {
    await purgeTask(d, t.id);
    r.purged++;
  }
  r.removed = await d.tasks.deleteFinishedBefore(now - d.retentionMs);
  if (r.requeued > 0 || r.leasesExpired > 0) d.notifier.notify();
  return r;
}

/** Temp files of interrupted writes and blob folders of tasks that were never created (a crash mid-upload). */
export async function sweepOrphans(d: SweeperDeps): Promise<number> {
  let removed = await d.blobs.sweepTemp(d.orphanGraceMs);
  // Only folders older than the grace period: a younger one may belong to an upload whose row is being written.
  const ids = await d.blobs.listTaskIds(d.orphanGraceMs);
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const known = await d.tasks.knownIds(batch);
    for (const id of batch.filter((x) => !known.has(x))) {
      await deleteTaskBlobs(d.blobs, id);
      removed++;
    }
  }
  await d.accounts.deleteExpiredTokens(d.clock());
  return removed;
}

export interface SweeperHandle {
  stop(): Promise<void>;
}

/** Runs `sweepOnce` every `intervalMs` and `sweepOrphans` every `orphanIntervalMs`. */
export function startSweeper(d: SweeperDeps, intervalMs: number, orphanIntervalMs: number): SweeperHandle {
  let running: Promise<unknown> = Promise.resolve();
  let lastOrphans = 0;
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        await sweepOnce(d);
        if (d.clock() - lastOrphans >= orphanIntervalMs) {
          lastOrphans = d.clock();
          await sweepOrphans(d);
        }
      } catch (err) {
        d.log.warn({ err }, 'sweep failed');
      }
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
