/**
 * @module What keeps workers and the sweeper alive while their environment fails:
 * an outage log that speaks once when the database goes away and once when it is
 * back (not once per poll: a 20 s outage with 4 slots polling would otherwise write
 * hundreds of lines), a pause that a shutdown cuts short, and the recording of a
 * run's outcome, retried while the database is away.
 *
 * Recording is bounded: past `windowMs` (or at shutdown) the worker gives up and
 * leaves the task to its lease: the sweeper puts it back once the lease runs out
 * and it is redone once. It is never recorded twice: every write is a
 * compare-and-set on the worker's own lease, so an outcome whose commit reached the
 * database before the connection broke finds the task moved on at the next try.
 */
import { faultName, isTransientFault } from '../core/faults.ts';
import { backoffDelay, type BackoffOptions } from '../shared/backoff.ts';
import type { TaskRepository, TransitionRequest } from '../core/ports/task-repository.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Logger } from './loop.ts';

/** Logs the first failure of an outage and the recovery, nothing in between. */
export interface Outage {
  failed(err: unknown): void;
  succeeded(): void;
  readonly down: boolean;
}

export function outageLog(log: Logger, what: string, clock: Clock = Date.now): Outage {
  let since: number | null = null;
  return {
    failed(err) {
      if (since !== null) return;
      since = clock();
      log.warn({ err, fault: faultName(err), transient: isTransientFault(err) }, `${what} failed; retrying with backoff until it works again`);
    },
    succeeded() {
      if (since === null) return;
      log.info({ down_ms: clock() - since }, `${what} works again`);
      since = null;
    },
    get down() {
      return since !== null;
    },
  };
}

/** Waits `ms`, or less when `signal` aborts; never rejects. `unref`: the wait alone does not keep the process alive. */
export function pause(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (unref) timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The database is back within a second or two of returning: 0.5 s doubling to 15 s. */
export const DATABASE_RETRY: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/** `written` (the task as recorded), `moved` (someone else changed it first), or `unrecorded` (given up). */
export type RecordResult = { kind: 'written' } | { kind: 'moved' } | { kind: 'unrecorded'; err: unknown };

export interface RecordDeps {
  tasks: Pick<TaskRepository, 'transition'>;
  clock: Clock;
  log: Logger;
  outage: Outage;
  /** How long to keep trying while the database is away. */
  windowMs: number;
  /** Aborted at shutdown: one last try, then give up. */
  giveUp: AbortSignal;
}

/** Sends `req` (with a fresh `now` per try) until it is written or refused, the database errors for good, or the window closes. */
export async function recordOutcome(d: RecordDeps, req: Omit<TransitionRequest, 'now'>): Promise<RecordResult> {
  const until = d.clock() + d.windowMs;
  for (let n = 0; ; n++) {
    try {
      const done = await d.tasks.transition({ ...req, now: d.clock() });
      d.outage.succeeded();
      return done.ok ? { kind: 'written' } : { kind: 'moved' };
    } catch (err) {
      if (!isTransientFault(err) || d.giveUp.aborted || d.clock() >= until) {
        d.log.error({ err, task: req.id, event: req.event.type }, 'could not record the outcome; the task is left to its lease and will be redone');
        return { kind: 'unrecorded', err };
      }
      d.outage.failed(err);
      await pause(Math.min(backoffDelay(n, DATABASE_RETRY), Math.max(0, until - d.clock())), d.giveUp);
    }
  }
}
