/**
 * @module The worker: claims tasks, runs the pipeline under a renewed lease, and
 * records the outcome as one compare-and-set transition. It is handed all of its I/O
 * (repositories, processor, notifier, clock), so tests run it against real stores
 * and `serve`/`worker` wire it the same way.
 *
 * Waking: every slot waits on the notifier and on a poll timer; a new task wakes it
 * at once, the poll only covers lost notifications. The lease is renewed every third
 * of its length; when a renewal fails (the task was canceled or timed out, or the
 * sweeper gave it away) the run is aborted and its results are discarded.
 */
import { TaskFailure } from '../core/errors.ts';
import { isFinal } from '../core/task-states.ts';
import { purgeTask } from '../core/purge.ts';
import type { BlobStore, Clock, Notifier, TaskProcessor } from '../core/ports.ts';
import type { ProjectRepository, TaskRepository } from '../core/repositories.ts';
import type { TaskRecord } from '../core/records.ts';

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
}

export interface WorkerHandle {
  /** Stops claiming, waits for running tasks to finish (or `graceMs`), then aborts them. */
  stop(graceMs?: number): Promise<void>;
  /** Tasks finished by this worker, for tests and metrics. */
  readonly processed: number;
}

export function startWorker(deps: WorkerDeps): WorkerHandle {
  let stopping = false;
  let processed = 0;
  const controllers = new Set<AbortController>();
  const waiters = new Set<() => void>();
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

  async function run(task: TaskRecord): Promise<void> {
    const controller = new AbortController();
    controllers.add(controller);
    const heartbeat = setInterval(() => {
      deps.tasks.renewLease(task.id, deps.workerId, deps.clock() + deps.leaseMs).then(
        (held) => held || controller.abort(new Error('lease lost')),
        () => undefined,
      );
    }, Math.max(50, Math.floor(deps.leaseMs / 3)));
    const from = { state: 'running' as const, client_action: null };
    const base = { id: task.id, from, owner: deps.workerId, actor: `worker:${deps.workerId}` };
    try {
      const project = await deps.projects.getVersion(task.project_id, task.project_version);
      if (!project) throw new TaskFailure('invalid_project', `project ${task.project_id} version ${task.project_version} is gone`);
      if (!task.file_key) throw new TaskFailure('corrupt_file', 'the task has no file');
      const outcome = await deps.process({
        taskId: task.id, accountId: task.account_id, project: project.project, tags: task.tags,
        fileKey: task.file_key, phase: task.phase, signal: controller.signal,
      });
      const done = await deps.tasks.transition({
        ...base, to: { state: 'pending:start_client_action', client_action: outcome.action }, now: deps.clock(),
        reason: outcome.action === 'validation' ? 'needs validation' : 'ready for export',
        set: { lease_owner: null, lease_expires_at: null, documents_count: outcome.documents_count },
        files: outcome.outputs,
      });
      if (!done) await discard(task.id);
    } catch (err) {
      const current = await deps.tasks.getById(task.id).catch(() => null);
      const stillOurs = current?.state === 'running' && current.lease_owner === deps.workerId;
      if (!stillOurs) {
        // Canceled, timed out or given away while running: whatever this run hit (often a
        // folder purged under it) no longer matters; drop what it wrote.
        await discard(task.id);
      } else if (err instanceof TaskFailure) {
        await fail(task, err.code, err.message);
      } else if (stopping) {
        await deps.tasks.transition({ ...base, to: { state: 'queued', client_action: null }, now: deps.clock(), reason: 'worker shutting down', set: { lease_owner: null, lease_expires_at: null } });
      } else {
        deps.log.error({ err, task: task.id }, 'processing error');
        if (task.attempts >= deps.maxAttempts) await fail(task, 'processing_error', (err as Error).message);
        else await deps.tasks.transition({ ...base, to: { state: 'queued', client_action: null }, now: deps.clock(), reason: `error, will retry: ${(err as Error).message}`, set: { lease_owner: null, lease_expires_at: null } });
      }
    } finally {
      clearInterval(heartbeat);
      controllers.delete(controller);
      processed++;
    }
  }

  async function fail(task: TaskRecord, code: TaskFailure['code'], message: string): Promise<void> {
    const done = await deps.tasks.transition({
      id: task.id, from: { state: 'running', client_action: null }, owner: deps.workerId, actor: `worker:${deps.workerId}`,
      to: { state: 'failed', client_action: null }, now: deps.clock(), reason: `${code}: ${message}`,
      set: { error_code: code, error_message: message },
    });
    await discard(task.id, done !== null);
  }

  /** Drops what a run wrote when the task ended (or moved on) without it. */
  async function discard(id: string, final = false): Promise<void> {
    const now = final ? null : await deps.tasks.getById(id);
    if (final || (now && isFinal(now.state))) await purgeTask({ tasks: deps.tasks, blobs: deps.blobs, clock: deps.clock }, id);
  }

  async function slot(): Promise<void> {
    while (!stopping) {
      let task: TaskRecord | null = null;
      signaled = false;
      try {
        task = await deps.tasks.claim(deps.workerId, deps.leaseMs, deps.clock());
      } catch (err) {
        deps.log.warn({ err }, 'claim failed');
      }
      if (task) await run(task).catch((err: unknown) => deps.log.error({ err }, 'could not record a task\'s outcome; its lease will expire'));
      else if (!signaled) await sleep();
    }
  }

  const slots = Array.from({ length: deps.concurrency }, () => slot());

  return {
    get processed() {
      return processed;
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      unsubscribe();
      wakeAll();
      const grace = setTimeout(() => controllers.forEach((c) => c.abort(new Error('shutdown'))), graceMs);
      await Promise.all(slots);
      clearTimeout(grace);
    },
  };
}
