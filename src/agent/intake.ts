/**
 * @module One watched inbox: waits until a file is finished, creates its task, waits
 * for the task's processing outcome, then moves the file to the done folder (or
 * deletes it) — or, when the server refuses it or the task fails, to the error folder
 * with a `.error.txt` giving the reason. The file stays in the inbox until its outcome
 * is known, so "unsupported file type" and other processing failures land next to
 * their file, and every step is journalled first (journal.ts) so a restart resumes it.
 */
import { readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { IntakeConfig } from './config.ts';
import type { ApiClient } from './api.ts';
import { ApiError, Unavailable } from './api.ts';
import type { Journal, IntakeRow } from './journal.ts';
import type { Limiter } from '../shared/limiter.ts';
import type { Reporter } from './output.ts';
import { StabilityTracker } from './stability.ts';
import { heldForWriting } from './writers.ts';
import { Scanner } from './scanner.ts';
import { errorNotePath, freeTarget, moveFile, removeTempFiles, writeAtomic } from './files.ts';
import { fileName, formatTags, idempotencyKey, intakeTags, type FileFacts } from './intake-facts.ts';
import { createHash } from 'node:crypto';

/** States after which a task's file is finished with; the first three are failures. */
const FAILED_STATES = new Set(['failed', 'canceled', 'timed-out']);
const BUSY_STATES = new Set(['queued', 'running']);

interface TaskJson {
  id: string;
  state: string;
  error?: { code: string; message: string } | null;
}

export interface IntakeDeps {
  config: IntakeConfig;
  index: number;
  api: ApiClient;
  journal: Journal;
  limiter: Limiter;
  reporter: Reporter;
}

/** Refusals that a retry cannot fix: the file goes to the error folder. */
function isPermanent(err: ApiError): boolean {
  return err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 408 && err.status !== 429;
}

export class IntakeFolder {
  readonly #d: IntakeDeps;
  readonly #tracker: StabilityTracker;
  readonly #scanner: Scanner;
  readonly #candidates = new Set<string>();
  /** Sources being handled or waiting for their task's outcome. */
  readonly #busy = new Set<string>();
  readonly #processing = new Map<string, IntakeRow>();
  #polling = false;

  constructor(deps: IntakeDeps) {
    this.#d = deps;
    this.#tracker = new StabilityTracker(deps.config.stableMs);
    this.#scanner = new Scanner(deps.config, (p) => this.#candidates.add(p));
  }

  /** Picks up what the journal says is unfinished, then starts watching. */
  async start(): Promise<void> {
    for (const dir of [this.#d.config.doneFolder, this.#d.config.errorFolder]) if (dir !== null) await removeTempFiles(dir);
    for (const row of this.#d.journal.unfinishedIntake()) {
      if (row.intake !== this.#d.index) continue;
      this.#busy.add(row.source);
      if (row.state === 'moving') void this.#d.limiter.run(() => this.#finish(row)).catch((e) => this.#report(e, row.source));
      else this.#processing.set(row.key, row);
    }
    this.#scanner.start();
  }

  async close(): Promise<void> {
    await this.#scanner.close();
  }

  /** One round: list if due, observe candidates, hand stable ones on, poll outcomes. */
  async tick(now: number): Promise<void> {
    await this.#scanner.maybeScan(now);
    const stable: { path: string; size: number; mtimeMs: number }[] = [];
    for (const path of this.#candidates) {
      if (this.#busy.has(path)) {
        this.#candidates.delete(path);
        continue;
      }
      try {
        const st = await stat(path);
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
        if (this.#tracker.observe(path, st.size, st.mtimeMs, now) === 'stable') stable.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        this.#candidates.delete(path);
        this.#tracker.forget(path);
      }
    }
    const held = await heldForWriting(stable.map((s) => s.path));
    for (const s of stable) {
      if (held.has(s.path)) {
        this.#tracker.reset(s.path, now);
        continue;
      }
      this.#candidates.delete(s.path);
      this.#tracker.forget(s.path);
      this.#busy.add(s.path);
      void this.#d.limiter.run(() => this.#take(s.path)).catch((e) => this.#report(e, s.path));
    }
    this.#d.reporter.counts.waiting = this.#candidates.size;
    if (!this.#polling && this.#processing.size > 0) {
      this.#polling = true;
      void this.#pollOutcomes().catch((e) => this.#report(e, null)).finally(() => { this.#polling = false; });
    }
  }

  get pendingWork(): number {
    return this.#candidates.size + this.#busy.size;
  }

  #report(err: unknown, path: string | null): void {
    if (err instanceof Unavailable) return;
    this.#d.reporter.log('error', 'intake error', { path, error: (err as Error).message, important: true });
  }

  /** Uploads one stable file, unless the journal already knows it. */
  async #take(path: string): Promise<void> {
    const { config, journal, reporter } = this.#d;
    const st = await stat(path).catch(() => null);
    if (!st) return void this.#busy.delete(path);
    const known = journal.pendingAt(path, st.size, st.mtimeMs);
    if (known && known.state !== 'creating') {
      this.#processing.set(known.key, known);
      return;
    }
    const relativePath = this.#scanner.relativePath(path) ?? basename(path);
    const data = await readFile(path).catch((err: unknown) => {
      this.#busy.delete(path);
      throw err;
    });
    const facts: FileFacts = {
      projectId: config.projectId, folder: config.folder, relativePath, size: data.length, mtimeMs: st.mtimeMs,
      createdMs: st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs, sha256: createHash('sha256').update(data).digest('hex'),
    };
    const key = idempotencyKey(facts);
    journal.beginIntake({ key, source: path, intake: this.#d.index, size: st.size, mtime_ms: st.mtimeMs });
    reporter.counts.uploading++;
    try {
      const task = await this.#d.api.json<TaskJson>('/tasks', {
        method: 'POST',
        query: { project_id: config.projectId },
        headers: { 'x-aluma-tags': formatTags(intakeTags(facts, config.taskName)), 'idempotency-key': key, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) as Uint8Array<ArrayBuffer>,
      });
      journal.setIntake(key, 'created', { task_id: task.id });
      reporter.log('info', 'task created', { path, task_id: task.id });
      this.#processing.set(key, journal.intake(key) as IntakeRow);
    } catch (err) {
      if (err instanceof ApiError && isPermanent(err)) {
        journal.setIntake(key, 'created', { reason: `the server refused the file: ${err.message}` });
        await this.#finish(journal.intake(key) as IntakeRow);
      } else {
        // Left `creating`: the next attempt replays the upload with the same key.
        this.#busy.delete(path);
        if (!(err instanceof Unavailable)) this.#candidates.add(path);
        throw err;
      }
    } finally {
      reporter.counts.uploading--;
    }
  }

  async #pollOutcomes(): Promise<void> {
    const rows = [...this.#processing.values()];
    this.#d.reporter.counts.processing = rows.length;
    await Promise.all(rows.map((row) => this.#d.limiter.run(async () => {
      let task: TaskJson | null = null;
      try {
        task = await this.#d.api.json<TaskJson>(`/tasks/${row.task_id}`);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
      if (task && BUSY_STATES.has(task.state)) return;
      this.#processing.delete(row.key);
      if (task && FAILED_STATES.has(task.state)) {
        const why = task.error ? `${task.error.code}: ${task.error.message}` : `the task ended ${task.state}`;
        this.#d.journal.setIntake(row.key, row.state, { reason: `task ${task.id} ${task.state} — ${why}` });
      }
      await this.#finish(this.#d.journal.intake(row.key) as IntakeRow);
    }).catch((e) => this.#report(e, row.source))));
    this.#d.reporter.counts.processing = this.#processing.size;
  }

  /** Moves (or deletes) a file whose outcome is known; `reason` set means it failed. */
  async #finish(row: IntakeRow): Promise<void> {
    const { config, journal, reporter } = this.#d;
    const failed = row.reason !== null;
    let target = row.target;
    if (row.state !== 'moving') {
      const rel = this.#scanner.relativePath(row.source) ?? basename(row.source);
      const dir = failed ? config.errorFolder : config.doneFolder;
      target = dir === null || (!failed && config.after === 'delete') ? '' : await freeTarget(join(dir, dirname(rel)), fileName(rel));
      journal.setIntake(row.key, 'moving', { target });
    }
    if (target === '' || target === null) await unlink(row.source).catch(ignoreMissing);
    else {
      await moveFile(row.source, target).catch(ignoreMissing);
      if (failed) await writeAtomic(errorNotePath(target), `${row.reason}\n`);
    }
    journal.setIntake(row.key, failed ? 'failed' : 'done');
    this.#busy.delete(row.source);
    if (failed) {
      reporter.counts.intakeFailed++;
      reporter.log('warn', 'file failed', { path: row.source, reason: row.reason, important: true });
    } else {
      reporter.counts.intakeDone++;
      reporter.log('info', 'file done', { path: row.source, task_id: row.task_id });
    }
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
