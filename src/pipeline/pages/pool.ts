/**
 * @module The worker-thread pool the page engine decodes and renders in (piscina,
 * one thread per core). Each call carries a timeout and the task's abort signal; a
 * thread that times out or is aborted is terminated and replaced by piscina, and a
 * thread that dies (heap limit, crash of the parser) fails only the task that was
 * using it, with a stable code.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { TaskFailure } from '../../core/errors.ts';
import type { PageTask, WorkerAnswer } from './protocol.ts';

export interface PoolOptions {
  threads?: number;
  /** V8 old-generation limit per thread; pdf.js on a large document stays under 300 MB. */
  heapMb?: number;
  /** How long an idle thread is kept; `IDLE_MS` by default (shorter in tests of the release). */
  idleMs?: number;
}

/** A thread idle this long ends, giving its memory back (a reader thread holds the model, ~100 MB natively). */
const IDLE_MS = 60_000;

export interface PagePool {
  readonly threads: number;
  /** `timeoutMs: null`: the thread is never terminated for time (the line reader's: line-reading.ts bounds its wait). */
  run<T>(task: PageTask, signal: AbortSignal, timeoutMs: number | null): Promise<T>;
  close(): Promise<void>;
}

export function createPagePool(options: PoolOptions = {}): PagePool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const pool = new Piscina({
    filename: new URL('./worker.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: options.idleMs ?? IDLE_MS,
    // A 16 MB young generation (64 before) collects the short-lived text runs of pdf.js sooner: a 300-page text PDF
    // peaked at 331 MB instead of 391 MB, at no measurable cost in speed (docs/pages.md "Memory").
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 768, maxYoungGenerationSizeMb: 16 },
  });
  return {
    threads,
    async run<T>(task: PageTask, signal: AbortSignal, timeoutMs: number | null): Promise<T> {
      signal.throwIfAborted();
      const timeout = timeoutMs === null ? null : AbortSignal.timeout(timeoutMs);
      let answer: WorkerAnswer<T>;
      try {
        answer = (await pool.run(task, { signal: timeout ? AbortSignal.any([signal, timeout]) : signal })) as WorkerAnswer<T>;
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (timeout?.aborted) throw new TaskFailure('page_timeout', `a page took longer than ${timeoutMs} ms to read`);
        const code = (err as { code?: string } | null)?.code;
        if (code === 'ERR_WORKER_OUT_OF_MEMORY') throw new TaskFailure('page_too_large', 'a page needed more memory than a page worker may use');
        const message = err instanceof Error ? err.message : String(err);
        throw new TaskFailure('corrupt_file', `the file could not be processed: ${message}`);
      }
      if (!answer.ok) throw new TaskFailure(answer.code, answer.message);
      return answer.value;
    },
    async close() {
      await pool.destroy();
    },
  };
}
