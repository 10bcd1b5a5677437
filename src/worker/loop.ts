/**
 * @module The worker: claims tasks, runs the pipeline under a renewed lease, and
 * records the outcome as one event of the task state table. It is handed all of
 * its I/O (repositories, processor, notifier, clock), so tests run it against real
 * stores and `serve`/`worker` wire it the same way.
 *
 * Waking: every slot waits on the notifier and on a poll timer; a new task wakes it
 * at once, the poll only covers lost notifications. The lease is renewed every third
 * of its length; when a renewal fails (the task was canceled or timed out, or the
 * sweeper gave it away) the run is aborted and its results are discarded.
 *
 * Faults: no error ends a slot. A claim that fails (the database is away) is tried
 * again after a growing pause, logged once per outage; an outcome that cannot be
 * written is retried (resilience.ts). A run hit by a transient fault (core/faults.ts:
 * a full disk, a lost connection) puts the task back with a growing `not_before`
 * and gives its attempt back; other errors spend one, up to `maxAttempts`. A blob store
 * that keeps failing (`BlobStoreUnavailableError`) also puts it back after a growing
 * delay but spends the attempt, so an outage longer than the attempts ends the task
 * `failed` with `blob_store_unavailable`.
 */
import { TaskFailure } from '../core/errors.ts';
import { faultName, isTransientFault, TASK_RETRY } from '../core/faults.ts';
import { backoffDelay, type BackoffOptions } from '../shared/backoff.ts';
import { isFinal, type TaskEvent } from '../core/task-states.ts';
import { purgeTask } from '../core/purge.ts';
import { BlobStoreUnavailableError, type BlobStore } from '../core/ports/blob-store.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Notifier } from '../core/ports/notifier.ts';
import type { ProcessOutcome, TaskProcessor } from '../core/ports/task-processor.ts';
import type { ProjectRepository } from '../core/ports/project-repository.ts';
import type { TaskRepository, TransitionRequest } from '../core/ports/task-repository.ts';
import type { TaskRecord } from '../core/records.ts';
import { DATABASE_RETRY, outageLog, pause, recordOutcome, type RecordResult } from './resilience.ts';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WorkerDeps {
  tasks: TaskRepository;
  projects: Pick<ProjectRepository, 'getVersion'>;
  blobs: BlobStore;
  process: TaskProcessor;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  workerId: string;
  /** Parallel task slots in this process. */
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
  /** Delay before a task hit by a transient fault is tried again (default 5 s doubling to 5 min). */
  retry?: BackoffOptions;
  /** How long an outcome is retried while the database is away (default 5 minutes). */
  recordWindowMs?: number;
}

export interface WorkerHandle {
  /** Stops claiming, waits for running tasks to finish (or `graceMs`), then aborts them. */
  stop(graceMs?: number): Promise<void>;
  /** Tasks finished by this worker, for tests and metrics. */
  readonly processed: number;
  /** Share of slot time spent running tasks since start (0–1), for GET /metrics. */
  busyRatio(): number;
}

export function startWorker(deps: WorkerDeps): WorkerHandle {
  let stopping = false;
  let processed = 0;
  const controllers = new Set<AbortController>();
  const waiters = new Set<() => void>();
  const halt = new AbortController();
  const giveUp = new AbortController();
  const outage = outageLog(deps.log, 'the database', deps.clock);
  const actor = `worker:${deps.workerId}`;
  // Set by every notification, so a slot that was busy claiming when it came does not go to sleep on it.
  let signaled = false;
  const wakeAll = () => {
    signaled = true;
    waiters.forEach((w) => w());
  };
  const unsubscribe = deps.notifier.subscribe(wakeAll);

  function sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, deps.pollMs);
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  function send(task: TaskRecord, event: TaskEvent, reason: string, extra: Pick<TransitionRequest, 'set' | 'files'> = {}): Promise<RecordResult> {
    return recordOutcome(
      { tasks: deps.tasks, clock: deps.clock, log: deps.log, outage, windowMs: deps.recordWindowMs ?? 300_000, giveUp: giveUp.signal },
      { id: task.id, event, expected: { state: 'running', client_action: null }, owner: deps.workerId, actor, reason, ...extra },
    );
  }

  async function run(task: TaskRecord): Promise<void> {
    const began = performance.now();
    const controller = new AbortController();
    controllers.add(controller);
    const heartbeat = setInterval(() => {
      deps.tasks.renewLease(task.id, deps.workerId, deps.clock() + deps.leaseMs).then(
        (held) => held || controller.abort(new Error('lease lost')),
        () => undefined,
      );
    }, Math.max(50, Math.floor(deps.leaseMs / 3)));
    try {
      let outcome: ProcessOutcome;
      try {
        const project = await deps.projects.getVersion(task.project_id, task.project_version);
        if (!project) throw new TaskFailure('invalid_project', `project ${task.project_id} version ${task.project_version} is gone`);
        if (!task.file_key) throw new TaskFailure('corrupt_file', 'the task has no file');
        outcome = await deps.process({
          taskId: task.id, accountId: task.account_id, projectId: task.project_id, project: project.project, tags: task.tags,
          fileKey: task.file_key, phase: task.phase, signal: controller.signal,
        });
      } catch (err) {
        await settle(task, err, controller.signal);
        return;
      }
      const done = await send(task, { type: 'processed', action: outcome.action }, outcome.action === 'validation' ? 'needs validation' : 'ready for export', {
        set: { documents_count: outcome.documents_count }, files: outcome.outputs,
      });
      if (done.kind === 'moved') await discard(task.id);
    } catch (err) {
      deps.log.error({ err, task: task.id }, 'worker error; the task is left to its lease');
    } finally {
      clearInterval(heartbeat);
      controllers.delete(controller);
      processed++;
      busyMs += performance.now() - began;
    }
  }

  /** Records why a run ended without an outcome; a task no longer held by this worker only loses what the run wrote. */
  async function settle(task: TaskRecord, err: unknown, signal: AbortSignal): Promise<void> {
    if (signal.aborted && !stopping) {
      // Aborted because a renewal found the lease gone: canceled, timed out or given away. Whatever the run hit no longer matters.
      await discard(task.id);
      return;
    }
    let done: RecordResult;
    if (stopping && signal.aborted) {
      done = await send(task, { type: 'requeue' }, 'worker shutting down', { set: { attempts: task.attempts - 1 } });
    } else if (err instanceof BlobStoreUnavailableError) {
      // Checked before the transient faults its cause may name (ECONNREFUSED): a store that stays down spends attempts and ends the task with a reason.
      const delay = backoffDelay(task.attempts - 1, deps.retry ?? TASK_RETRY);
      deps.log.warn({ err, task: task.id, retry_in_ms: delay }, 'blob store unavailable; the task goes back to the queue');
      done = task.attempts >= deps.maxAttempts
        ? await failTask(task, 'blob_store_unavailable', `${err.message} (after ${task.attempts} attempts)`)
        : await send(task, { type: 'requeue' }, `blob store unavailable, retry in ${Math.ceil(delay / 1000)} s: ${err.message}`, { set: { not_before: deps.clock() + delay } });
    } else if (isTransientFault(err)) {
      const delay = backoffDelay(task.transient_faults, deps.retry ?? TASK_RETRY);
      deps.log.warn({ err, task: task.id, retry_in_ms: delay }, 'transient fault; the task goes back to the queue');
      done = await send(task, { type: 'requeue' }, `transient fault (${faultName(err)}), retry in ${Math.ceil(delay / 1000)} s; no attempt spent`, {
        set: { attempts: task.attempts - 1, transient_faults: task.transient_faults + 1, not_before: deps.clock() + delay },
      });
    } else if (err instanceof TaskFailure) {
      done = await failTask(task, err.code, err.message);
    } else if (stopping) {
      done = await send(task, { type: 'requeue' }, 'worker shutting down');
    } else {
      deps.log.error({ err, task: task.id }, 'processing error');
      const message = err instanceof Error ? err.message : String(err);
      done = task.attempts >= deps.maxAttempts
        ? await failTask(task, 'processing_error', message)
        : await send(task, { type: 'requeue' }, `error, will retry: ${message}`);
    }
    if (done.kind === 'moved') await discard(task.id);
  }

  async function failTask(task: TaskRecord, code: TaskFailure['code'], message: string): Promise<RecordResult> {
    const done = await send(task, { type: 'process_failed' }, `${code}: ${message}`, { set: { error_code: code, error_message: message } });
    if (done.kind === 'written') await discard(task.id, true);
    return done;
  }

  /** Drops what a run wrote when the task ended (or moved on) without it; the sweeper purges what this misses. */
  async function discard(id: string, final = false): Promise<void> {
    try {
      const now = final ? null : await deps.tasks.getById(id);
      if (final || (now && isFinal(now.state))) await purgeTask({ tasks: deps.tasks, blobs: deps.blobs, clock: deps.clock }, id);
    } catch (err) {
      deps.log.warn({ err, task: id }, 'could not drop the files of a finished task; the sweeper will');
    }
  }

  async function slot(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        signaled = false;
        let task: TaskRecord | null;
        try {
          task = await deps.tasks.claim(deps.workerId, deps.leaseMs, deps.clock());
          failures = 0;
          outage.succeeded();
        } catch (err) {
          outage.failed(err);
          await pause(backoffDelay(failures++, DATABASE_RETRY), halt.signal);
          continue;
        }
        if (task) await run(task);
        else if (!signaled) await sleep();
      } catch {
        // Only a logger that throws gets here; the slot must still go on.
        await pause(backoffDelay(failures++, DATABASE_RETRY), halt.signal);
      }
    }
  }

  const startedAt = performance.now();
  let busyMs = 0;
  const slots = Array.from({ length: deps.concurrency }, () => slot());

  return {
    get processed() {
      return processed;
    },
    busyRatio() {
      // Runs still going count from their start only when they end: the ratio lags by one task at most per slot.
      const total = (performance.now() - startedAt) * deps.concurrency;
      return total > 0 ? Math.min(1, busyMs / total) : 0;
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      unsubscribe();
      halt.abort();
      wakeAll();
      const grace = setTimeout(() => {
        controllers.forEach((c) => c.abort(new Error('shutdown')));
        giveUp.abort();
      }, graceMs);
      await Promise.all(slots);
      clearTimeout(grace);
    },
  };
}
