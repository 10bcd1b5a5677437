/**
 * @module The sweeper (docs/architecture.md#leases): returns dead workers' tasks to the queue (or fails
 * them after `maxAttempts`), returns expired client-action leases to
 * `pending:start_client_action`, times out tasks past their project's deadline,
 * purges final tasks' files, removes final task records after the retention period,
 * and deletes temp files and blob folders that no task owns. Every step is a bounded
 * batch of events of the task state table (`lease_expired`, `process_failed`,
 * `time_out`), each a compare-and-set, so several sweepers (one per process) can run
 * at once without doing anything twice.
 */
import { deleteTaskBlobs, purgeTask } from '../core/purge.ts';
import type { BlobStore } from '../core/ports/blob-store.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Notifier } from '../core/ports/notifier.ts';
import type { TaskRepository } from '../core/ports/task-repository.ts';
import type { AccountRepository } from '../core/ports/account-repository.ts';
import type { TaskRecord } from '../core/records.ts';
import { backoffDelay } from '../shared/backoff.ts';
import type { Logger } from './loop.ts';
import { DATABASE_RETRY, outageLog, pause } from './resilience.ts';

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
  const at = (t: TaskRecord) => ({ id: t.id, expected: { state: t.state, client_action: t.client_action }, now, actor: 'sweeper' });
  for (const t of await d.tasks.listExpiredRunning(now, BATCH)) {
    // The lease owner is part of the compare: a worker that renewed in between keeps its task.
    const owner = t.lease_owner ?? undefined;
    if (t.attempts >= d.maxAttempts) {
      const done = await d.tasks.transition({
        ...at(t), owner, event: { type: 'process_failed' }, reason: `worker_lost after ${t.attempts} attempts`,
        set: { error_code: 'worker_lost', error_message: `the worker processing the task stopped ${t.attempts} times` },
      });
      if (done.ok) r.failed++;
    } else {
      const done = await d.tasks.transition({ ...at(t), owner, event: { type: 'lease_expired' }, reason: `worker lease expired (attempt ${t.attempts})` });
      if (done.ok) r.requeued++;
    }
  }
  for (const t of await d.tasks.listExpiredActions(now, BATCH)) {
    const done = await d.tasks.transition({ ...at(t), event: { type: 'lease_expired' }, reason: `client action lease expired (${t.lease_owner ?? 'unknown'})` });
    if (done.ok) r.leasesExpired++;
  }
  for (const t of await d.tasks.listPastDeadline(now, BATCH)) {
    const done = await d.tasks.transition({ ...at(t), event: { type: 'time_out' }, reason: 'project timeout reached' });
    if (done.ok) r.timedOut++;
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

/**
 * Runs `sweepOnce` every `intervalMs` and `sweepOrphans` every `orphanIntervalMs`.
 * The next sweep is scheduled when one ends, so a sweep slowed by a database that
 * went away never piles up behind itself; a failed sweep is logged once per outage
 * and the next one comes after a growing pause (0.5 s doubling, at most 15 s more).
 */
export function startSweeper(d: SweeperDeps, intervalMs: number, orphanIntervalMs: number): SweeperHandle {
  const outage = outageLog(d.log, 'sweeping', d.clock);
  const halt = new AbortController();
  let lastOrphans = 0;
  let failures = 0;
  const loop = (async () => {
    while (!halt.signal.aborted) {
      await pause(intervalMs + (failures > 0 ? backoffDelay(failures - 1, DATABASE_RETRY) : 0), halt.signal, true);
      if (halt.signal.aborted) break;
      try {
        await sweepOnce(d);
        if (d.clock() - lastOrphans >= orphanIntervalMs) {
          lastOrphans = d.clock();
          await sweepOrphans(d);
        }
        failures = 0;
        outage.succeeded();
      } catch (err) {
        failures++;
        try {
          outage.failed(err);
        } catch {
          // A logger that throws must not end the sweeps either.
        }
      }
    }
  })();
  return {
    async stop() {
      halt.abort();
      await loop;
    },
  };
}
