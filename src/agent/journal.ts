/**
 * @module The agent's local journal (SQLite via `node:sqlite`): what it has done, so
 * that after `kill -9` at any moment a restart finishes the work with nothing lost and
 * nothing done twice. Every step is written *before* the side effect it leads to
 * (intent), and its completion after: a file is `creating` before its upload (the
 * upload is then replayed with the same Idempotency-Key), has a planned destination
 * before it is moved (a replayed move goes to the same place, never to `name (2)`),
 * and an export file has its target name before it is written. WAL mode: a process
 * crash never loses a committed row.
 */
import { DatabaseSync } from 'node:sqlite';
import { basename, dirname } from 'node:path';

export type IntakeState = 'creating' | 'created' | 'moving' | 'done' | 'failed';

export interface IntakeRow {
  key: string;
  source: string;
  intake: number;
  size: number;
  mtime_ms: number;
  state: IntakeState;
  task_id: string | null;
  reason: string | null;
  target: string | null;
}

/** `released`: handed back to the server by a restart (export.ts `resume`). */
export type ExportState = 'started' | 'released' | 'completed' | 'failed';

export interface ExportFileRow {
  task_id: string;
  file_id: string;
  target: string;
  written: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS intake (
  key TEXT PRIMARY KEY, source TEXT NOT NULL, intake INTEGER NOT NULL, size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL, state TEXT NOT NULL, task_id TEXT, reason TEXT, target TEXT, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS intake_source ON intake(source);
CREATE INDEX IF NOT EXISTS intake_state ON intake(state);
CREATE TABLE IF NOT EXISTS export_task (
  task_id TEXT PRIMARY KEY, folder TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS export_file (
  task_id TEXT NOT NULL, file_id TEXT NOT NULL, target TEXT NOT NULL, written INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (task_id, file_id));
CREATE UNIQUE INDEX IF NOT EXISTS export_file_target ON export_file(target);
`;

/** Rows of finished work are kept this long, then pruned at start. */
const KEEP_MS = 7 * 86_400_000;

export class Journal {
  readonly #db: DatabaseSync;
  readonly #now: () => number;

  constructor(path: string, now: () => number = Date.now) {
    this.#db = new DatabaseSync(path);
    this.#now = now;
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.#db.exec(SCHEMA);
    const cutoff = now() - KEEP_MS;
    this.#db.prepare(`DELETE FROM intake WHERE state IN ('done', 'failed') AND updated_at < ?`).run(cutoff);
    this.#db.prepare(`DELETE FROM export_file WHERE task_id IN (SELECT task_id FROM export_task WHERE state != 'started' AND updated_at < ?)`).run(cutoff);
    this.#db.prepare(`DELETE FROM export_task WHERE state != 'started' AND updated_at < ?`).run(cutoff);
  }

  close(): void {
    this.#db.close();
  }

  intake(key: string): IntakeRow | undefined {
    return this.#db.prepare('SELECT * FROM intake WHERE key = ?').get(key) as IntakeRow | undefined;
  }

  /** The unfinished entry for a path, if its size and mtime still match. */
  pendingAt(source: string, size: number, mtimeMs: number): IntakeRow | undefined {
    return this.#db
      .prepare(`SELECT * FROM intake WHERE source = ? AND size = ? AND mtime_ms = ? AND state IN ('creating', 'created', 'moving') LIMIT 1`)
      .get(source, size, mtimeMs) as IntakeRow | undefined;
  }

  unfinishedIntake(): IntakeRow[] {
    return this.#db.prepare(`SELECT * FROM intake WHERE state IN ('created', 'moving') ORDER BY updated_at`).all() as unknown as IntakeRow[];
  }

  beginIntake(row: Pick<IntakeRow, 'key' | 'source' | 'intake' | 'size' | 'mtime_ms'>): void {
    this.#db
      .prepare(`INSERT INTO intake (key, source, intake, size, mtime_ms, state, updated_at) VALUES (?, ?, ?, ?, ?, 'creating', ?)
                ON CONFLICT (key) DO UPDATE SET source = excluded.source, state = 'creating', updated_at = excluded.updated_at`)
      .run(row.key, row.source, row.intake, row.size, row.mtime_ms, this.#now());
  }

  setIntake(key: string, state: IntakeState, values: { task_id?: string; reason?: string; target?: string } = {}): void {
    this.#db
      .prepare(`UPDATE intake SET state = ?, task_id = COALESCE(?, task_id), reason = COALESCE(?, reason), target = COALESCE(?, target), updated_at = ? WHERE key = ?`)
      .run(state, values.task_id ?? null, values.reason ?? null, values.target ?? null, this.#now(), key);
  }

  exportTask(taskId: string): { state: ExportState; attempts: number } | undefined {
    return this.#db.prepare('SELECT state, attempts FROM export_task WHERE task_id = ?').get(taskId) as { state: ExportState; attempts: number } | undefined;
  }

  setExportTask(taskId: string, folder: string, state: ExportState, attemptsDelta = 0): void {
    this.#db
      .prepare(`INSERT INTO export_task (task_id, folder, state, attempts, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (task_id) DO UPDATE SET state = excluded.state, attempts = attempts + ?, updated_at = excluded.updated_at`)
      .run(taskId, folder, state, attemptsDelta, this.#now(), attemptsDelta);
  }

  /** Exports a previous run started in `folder` and did not finish. */
  startedExports(folder: string): string[] {
    const rows = this.#db.prepare(`SELECT task_id FROM export_task WHERE state = 'started' AND folder = ?`).all(folder) as { task_id: string }[];
    return rows.map((r) => r.task_id);
  }

  exportFile(taskId: string, fileId: string): ExportFileRow | undefined {
    return this.#db.prepare('SELECT * FROM export_file WHERE task_id = ? AND file_id = ?').get(taskId, fileId) as ExportFileRow | undefined;
  }

  /** Names in `folder` already promised to some file, lower-cased. */
  plannedNames(folder: string): Set<string> {
    const rows = this.#db.prepare(`SELECT target FROM export_file WHERE substr(target, 1, ?) = ?`).all(folder.length, folder) as { target: string }[];
    return new Set(rows.filter((r) => dirname(r.target) === folder).map((r) => basename(r.target).toLowerCase()));
  }

  planExportFile(taskId: string, fileId: string, target: string): void {
    this.#db.prepare('INSERT INTO export_file (task_id, file_id, target) VALUES (?, ?, ?)').run(taskId, fileId, target);
  }

  markWritten(taskId: string, fileId: string): void {
    this.#db.prepare('UPDATE export_file SET written = 1 WHERE task_id = ? AND file_id = ?').run(taskId, fileId);
  }
}
