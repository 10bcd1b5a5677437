/**
 * @module One export folder: polls for tasks waiting for export (docs/agent.md#export), starts
 * the client action, downloads every file of the Export Specification into the folder
 * under its name — atomically, so no partial file is ever visible — then completes it.
 * A local write error cancels the action so the task is offered again later; a
 * permanent error (a file the server cannot give, a name the disk refuses, too many
 * attempts) fails it with the message. Long exports extend the lease.
 *
 * Names are chosen once per (task, file) and journalled before the write: a replay
 * after a crash or a retry writes the same path again instead of `name (2)`.
 */
import { join } from 'node:path';
import type { ExportConfig } from './config.ts';
import type { ApiClient } from './api.ts';
import { ApiError, Unavailable } from './api.ts';
import type { Journal } from './journal.ts';
import type { Limiter } from '../shared/limiter.ts';
import type { Reporter } from './output.ts';
import { Backoff } from '../shared/backoff.ts';
import { freeTarget, removeTempFiles, writeAtomic } from './files.ts';

export interface SpecFile {
  id: string;
  file_name: string;
  url?: string;
}

interface Spec {
  files?: SpecFile[];
  documents?: { files?: SpecFile[] }[];
  lease_expires_at?: string | null;
  task?: { lease_expires_at?: string | null };
}

interface TaskList {
  tasks: { id: string }[];
  next: string | null;
}

/** Every file a specification lists, task-level first, each once. */
export function specFiles(spec: Spec): SpecFile[] {
  const all = [...(spec.files ?? []), ...(spec.documents ?? []).flatMap((d) => d.files ?? [])];
  const seen = new Set<string>();
  return all.filter((f) => !seen.has(f.id) && seen.add(f.id));
}

/** Local errors worth retrying later (disk full, share offline, file locked); others are permanent. */
const TRANSIENT_FS = new Set(['ENOSPC', 'EACCES', 'EPERM', 'EBUSY', 'EROFS', 'EIO', 'ETIMEDOUT', 'ENOTCONN', 'EAGAIN', 'EMFILE', 'ENFILE', 'ECONNRESET', 'EHOSTDOWN']);

export interface ExportDeps {
  config: ExportConfig;
  api: ApiClient;
  journal: Journal;
  limiter: Limiter;
  reporter: Reporter;
  maxAttempts: number;
}

export class ExportFolder {
  readonly #d: ExportDeps;
  readonly #active = new Set<string>();
  /** Tasks whose last attempt failed, and when to try again. */
  readonly #retryAt = new Map<string, number>();
  readonly #backoff = new Map<string, Backoff>();
  /** Name planning is serialised per folder so two tasks never pick the same free name. */
  #planning: Promise<unknown> = Promise.resolve();
  #lastPoll = 0;
  #polling = false;

  constructor(deps: ExportDeps) {
    this.#d = deps;
  }

  /** Removes temp files a killed run left; the exports they belonged to are handed back by the next poll. */
  async resume(): Promise<void> {
    await removeTempFiles(this.#d.config.path);
  }

  /**
   * Hands back exports the journal says were started but that no job here is running
   * (the agent died, or the start call's answer was lost): their lease would otherwise
   * keep them from being offered again until it expires (30 min by default). The next
   * poll starts them afresh and skips the files already written.
   */
  async #releaseStale(): Promise<void> {
    for (const taskId of this.#d.journal.startedExports(this.#d.config.path)) {
      if (this.#active.has(taskId)) continue;
      try {
        await this.#action(taskId, 'cancel');
      } catch (err) {
        if (!(err instanceof ApiError && (err.status === 409 || err.status === 404))) throw err;
      }
      this.#d.journal.setExportTask(taskId, this.#d.config.path, 'released');
    }
  }

  get pendingWork(): number {
    return this.#active.size;
  }

  tick(now: number): void {
    if (this.#polling || now - this.#lastPoll < this.#d.config.pollIntervalMs) return;
    this.#lastPoll = now;
    this.#polling = true;
    void this.#poll(now)
      .catch((err) => {
        if (!(err instanceof Unavailable)) this.#d.reporter.log('error', 'export poll failed', { error: (err as Error).message, important: true });
      })
      .finally(() => { this.#polling = false; });
  }

  async #poll(now: number): Promise<void> {
    await this.#releaseStale();
    let after: string | undefined;
    do {
      const page = await this.#d.api.json<TaskList>('/tasks', {
        query: { state: 'pending:start_client_action', client_action: 'export', project_id: this.#d.config.projectId ?? undefined, limit: '100', after },
      });
      for (const t of page.tasks) {
        if (this.#active.has(t.id) || (this.#retryAt.get(t.id) ?? 0) > now) continue;
        this.#active.add(t.id);
        this.#d.reporter.counts.exporting = this.#active.size;
        void this.#d.limiter.run(() => this.#export(t.id)).catch((err) => this.#report(t.id, err)).finally(() => {
          this.#active.delete(t.id);
          this.#d.reporter.counts.exporting = this.#active.size;
        });
      }
      after = page.next ?? undefined;
    } while (after);
  }

  #report(taskId: string, err: unknown): void {
    if (!(err instanceof Unavailable)) this.#d.reporter.log('error', 'export error', { task_id: taskId, error: (err as Error).message, important: true });
  }

  async #action(taskId: string, verb: string, body?: string): Promise<void> {
    await this.#d.api.request(`/tasks/${taskId}/${verb}_client_action`, {
      method: 'POST',
      query: { action: 'export' },
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
  }

  async #export(taskId: string): Promise<void> {
    const { api, journal, reporter, config } = this.#d;
    let spec: Spec;
    // Journalled before the call: if the agent dies before it records the answer, the
    // next start still knows to hand the lease back (resume) instead of waiting it out.
    journal.setExportTask(taskId, config.path, 'started');
    try {
      spec = await api.json<Spec>(`/tasks/${taskId}/start_client_action`, { method: 'POST', query: { action: 'export' } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        journal.setExportTask(taskId, config.path, 'released');
        return; // another client took it
      }
      throw err;
    }
    journal.setExportTask(taskId, config.path, 'started', 1);
    const lease = this.#extendLease(taskId, spec);
    try {
      let written = 0;
      for (const file of specFiles(spec)) written += await this.#write(taskId, file);
      clearInterval(lease);
      await this.#action(taskId, 'complete');
      journal.setExportTask(taskId, config.path, 'completed');
      this.#retryAt.delete(taskId);
      this.#backoff.delete(taskId);
      reporter.counts.exportedTasks++;
      reporter.counts.exportedFiles += written;
      reporter.log('info', 'task exported', { task_id: taskId, files: written });
    } catch (err) {
      clearInterval(lease);
      if (err instanceof Unavailable) throw err;
      await this.#onError(taskId, err);
    }
  }

  /** Downloads one file to its journalled target; returns 1 when written now, 0 when it already was. */
  async #write(taskId: string, file: SpecFile): Promise<number> {
    const { journal, api, config } = this.#d;
    let row = journal.exportFile(taskId, file.id);
    if (row?.written) return 0;
    if (!row) {
      const plan = this.#planning.then(async () => {
        const target = await freeTarget(config.path, file.file_name, journal.plannedNames(config.path));
        journal.planExportFile(taskId, file.id, target);
      });
      this.#planning = plan.catch(() => undefined);
      await plan;
      row = journal.exportFile(taskId, file.id);
    }
    const url = file.url ? new URL(file.url, 'http://x') : null;
    const path = url ? `${url.pathname}${url.search}` : `/tasks/${taskId}/files/${file.id}`;
    await writeAtomic(join(row!.target), await api.download(path));
    journal.markWritten(taskId, file.id);
    return 1;
  }

  #extendLease(taskId: string, spec: Spec): NodeJS.Timeout {
    const expires = Date.parse(spec.lease_expires_at ?? spec.task?.lease_expires_at ?? '');
    const every = Number.isFinite(expires) ? Math.min(300_000, Math.max(5_000, (expires - Date.now()) / 3)) : 60_000;
    const timer = setInterval(() => {
      this.#action(taskId, 'extend').catch((err) => this.#report(taskId, err));
    }, every);
    timer.unref();
    return timer;
  }

  async #onError(taskId: string, err: unknown): Promise<void> {
    const { journal, reporter, config, maxAttempts } = this.#d;
    const code = (err as NodeJS.ErrnoException).code;
    const attempts = journal.exportTask(taskId)?.attempts ?? 1;
    const transient = (code !== undefined && TRANSIENT_FS.has(code)) || (err instanceof ApiError && (err.status >= 500 || err.status === 429 || err.status === 401));
    const message = err instanceof ApiError ? `download failed: ${err.message}` : `${code ?? 'error'}: ${(err as Error).message}`;
    if (transient && attempts < maxAttempts) {
      const backoff = this.#backoff.get(taskId) ?? new Backoff({ baseMs: 2000, maxMs: 300_000 });
      this.#backoff.set(taskId, backoff);
      this.#retryAt.set(taskId, Date.now() + backoff.fail());
      reporter.log('warn', 'export will be retried', { task_id: taskId, attempt: attempts, error: message, important: true });
      await this.#action(taskId, 'cancel').catch((e) => this.#report(taskId, e));
      return;
    }
    reporter.counts.exportFailed++;
    reporter.log('error', 'export failed', { task_id: taskId, error: message, important: true });
    await this.#action(taskId, 'fail', JSON.stringify({ message: `docket agent could not export to ${config.folder}: ${message}` }));
    journal.setExportTask(taskId, config.path, 'failed');
  }
}
