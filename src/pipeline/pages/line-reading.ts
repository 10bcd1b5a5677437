/**
 * @module The page engine's use of the line reader (ocr/line-reader.ts): which lines
 * of a page read upright are read again (ocr/line-merge.ts, at most `maxLines` a
 * page, the rest noted on the page), the reader opened once in its own thread and
 * its runtime reported, and Tesseract's words kept wherever the reader cannot help:
 * a page read turned, a reader that cannot start (not asked again), a read that fails.
 * With more than one reader thread (`readerThreads`), a page's lines are split into
 * shares for them (`shares`), so that a page with many lines is read on every core that
 * is free (docs/pages.md "Line reader", "Scheduling").
 *
 * The reader's thread is never terminated for time: terminated inside ONNX Runtime (its
 * session being created, as in a thread started again after the idle release, or a model
 * run) it aborts the whole process (`terminate called after throwing an instance of
 * 'Napi::Error'`). The page's wait is bounded here instead (`within`): past the page's time
 * limit the page keeps Tesseract's words, with a note, and the thread stops at the
 * deadline it was given (ocr/line-reader.ts) before its next model run (docs/pages.md
 * "Idle release").
 */
import { TaskFailure } from '../../core/errors.ts';
import { linesToRead, MAX_LINES_PER_PAGE, mergeLines, type LineReading } from '../ocr/line-merge.ts';
import type { LineBox, ReadChar } from '../ocr/line-reader.ts';
import type { ReaderInfo, ReaderOptions } from '../ocr/line-runtime.ts';
import type { OcrImage } from '../ocr/types.ts';
import type { UprightReading } from '../ocr/upright.ts';
import type { PagePool } from './pool.ts';
import type { ReadPagesInput } from './types.ts';

export interface LineReadingOptions {
  /** The reader's own pool, of one thread. */
  pool: PagePool;
  reader?: ReaderOptions;
  maxLines?: number;
  /** The mode when a call gives none. */
  mode: LineReading;
  log?: (level: 'info' | 'warn', message: string) => void;
  startTimeoutMs: number;
}

export interface LineReadingStep {
  /** Opens the reader if it is not open and says on what it runs, or why it cannot (`runtime: null`). */
  start(): Promise<ReaderInfo>;
  readAgain(image: OcrImage, read: UprightReading, input: ReadPagesInput): Promise<UprightReading>;
  /**
   * Resolves once a reader that was started has finished starting and no line task is in
   * its thread. Terminating the thread inside ONNX Runtime aborts the whole process
   * (`terminate called after throwing an instance of 'Napi::Error'`), so the engine waits
   * for this before it closes the thread.
   */
  settled(): Promise<void>;
}

/**
 * The boxes of a page split into up to `threads` shares of about equal work for the reader's threads (a line costs
 * about its width scaled to the model's height), the widest first each into the lightest share: a page with many
 * lines, a fax or a long receipt, is then read on every reader thread that is free rather than on one while the
 * others idle. The model reads each line by itself, so the characters are the same however the lines are shared.
 */
export function shares(boxes: readonly LineBox[], threads: number): number[][] {
  const parts = Math.max(1, Math.min(threads, boxes.length));
  const out: number[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  const cost = (i: number) => boxes[i]!.w / Math.max(1, boxes[i]!.h);
  for (const i of boxes.map((_, k) => k).sort((a, b) => cost(b) - cost(a))) {
    const n = load.indexOf(Math.min(...load));
    out[n]!.push(i);
    load[n]! += cost(i);
  }
  return out.filter((part) => part.length > 0);
}

/** `work`'s outcome, or a `page_timeout` past `ms`; the work itself goes on (a thread's task is not stopped by this). */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TaskFailure('page_timeout', `${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function createLineReading(options: LineReadingOptions): LineReadingStep {
  const maxLines = options.maxLines ?? MAX_LINES_PER_PAGE;
  // One intra-op thread: the reader works beside one Tesseract process per core (ocr/line-runtime.ts).
  const readerOptions: ReaderOptions = { threads: 1, ...options.reader };
  const never = new AbortController().signal;
  let reader: Promise<ReaderInfo> | null = null;
  /** Line tasks still in a thread, the ones given up on included: the engine waits for them before it closes the threads. */
  const running = new Set<Promise<unknown>>();

  function opened(): Promise<ReaderInfo> {
    reader ??= options.pool
      .run<ReaderInfo>({ kind: 'reader', reader: readerOptions }, never, null)
      .then((info) => {
        const fallback = info.why ? ` (${info.why})` : '';
        const runtime = info.runtime === 'native' ? 'native ONNX Runtime' : 'ONNX Runtime WebAssembly';
        options.log?.(info.why ? 'warn' : 'info', `line reader: ${runtime}, ${info.threads} thread(s), ${info.precision} model${fallback}`);
        return info;
      })
      .catch((err: unknown) => {
        const why = (err instanceof Error ? err.message : String(err)).replace(/^the file could not be read: /, '');
        options.log?.('warn', `line reader unavailable, pages keep Tesseract's reading: ${why}`);
        return { runtime: null, threads: 0, model: readerOptions.model ?? '', precision: readerOptions.precision ?? 'float', why };
      });
    return reader;
  }

  /** The reader's start, waited for `startTimeoutMs` at most: a start still under way then reads no line yet. */
  function start(): Promise<ReaderInfo> {
    return within(opened(), options.startTimeoutMs, 'starting the line reader').catch((err: unknown) => ({
      runtime: null,
      threads: 0,
      model: readerOptions.model ?? '',
      precision: readerOptions.precision ?? 'float',
      why: err instanceof Error ? err.message : String(err),
    }));
  }

  /** Tesseract's uncertain lines read again, on a page read upright as it came (a page read turned keeps Tesseract's
   * words: its boxes are not on this bitmap). */
  async function readAgain(image: OcrImage, read: UprightReading, { limits, signal, ...input }: ReadPagesInput): Promise<UprightReading> {
    const todo = read.rotation === 0 ? linesToRead(read.words, input.lineReading ?? options.mode, undefined, maxLines) : { keys: [], boxes: [], skipped: 0 };
    const lines = new Set(todo.keys).size;
    const noted =
      todo.skipped > 0 ? { ...read, notes: [`line reader: ${lines} lines read again, ${todo.skipped} more uncertain lines left as Tesseract read them (at most ${maxLines} a page)`] } : read;
    if (todo.keys.length === 0 || !(await start()).runtime) return noted;
    const pixels = { data: image.data, channels: image.channels, bits: image.bits, width: image.width, height: image.height };
    const deadline = Date.now() + limits.pageTimeoutMs;
    try {
      const parts = shares(todo.boxes, options.pool.threads);
      // Neither the task's abort nor the time limit stops the thread (see the module's note); a page's lines take
      // seconds, and the abort is seen once they are read.
      const tasks = parts.map((part) => {
        const task = options.pool.run<ReadChar[][]>({ kind: 'lines', image: pixels, boxes: part.map((i) => todo.boxes[i]!), reader: readerOptions, deadline }, never, null);
        running.add(task);
        void task.catch(() => {}).finally(() => running.delete(task));
        return task;
      });
      const reads = await within(Promise.all(tasks), limits.pageTimeoutMs, 'reading the lines again');
      signal.throwIfAborted();
      const chars: ReadChar[][] = [];
      parts.forEach((part, n) => part.forEach((i, k) => (chars[i] = reads[n]![k]!)));
      return { ...noted, words: mergeLines(read.words, todo.keys, chars) };
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof TaskFailure && err.code === 'page_timeout') return { ...noted, notes: [...(noted.notes ?? []), `line reader: ${err.message}; Tesseract's words kept`] };
      return noted;
    }
  }

  async function settled(): Promise<void> {
    if (reader) await reader;
    await Promise.allSettled([...running]);
  }

  return { start, readAgain, settled };
}
