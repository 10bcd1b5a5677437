/**
 * @module Kysely on Node's built-in `node:sqlite` (no native addon to compile,
 * nothing downloaded at install). Kysely's SqliteDialect expects a better-sqlite3-shaped database; this
 * adapter gives it one. WAL lets readers run while a writer commits; a busy timeout
 * of 5 s rides out the moments another process (a `docket worker`) holds the lock.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value as SQLInputValue;
}

/** Statements are prepared once per SQL text: preparing was 4 % of an upload's CPU time under load. */
const CACHE_LIMIT = 500;

/**
 * SQLite may roll a transaction back by itself when a statement fails with SQLITE_FULL,
 * SQLITE_IOERR, SQLITE_BUSY or SQLITE_NOMEM (sqlite.org/lang_transaction.html, "Response
 * To Errors Within A Transaction"). Kysely then sends its own ROLLBACK, which fails with
 * "cannot rollback - no transaction is active" and replaces the real error (a full disk)
 * with a meaningless one. The rollback is therefore sent only while a transaction is
 * open (`isTransaction`, sqlite3_get_autocommit), and the caller sees the real error.
 */
function rollbackStatement(db: DatabaseSync): SqliteStatement {
  return {
    reader: false,
    all: () => [],
    run: () => {
      if (db.isTransaction) db.exec('ROLLBACK');
      return { changes: 0, lastInsertRowid: 0 };
    },
    iterate: () => [][Symbol.iterator](),
  };
}

function adapt(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  const rollback = rollbackStatement(db);
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      if (sql === 'rollback') return rollback;
      const stmt = db.prepare(sql);
      const reader = stmt.columns().length > 0;
      const adapted: SqliteStatement = {
        reader,
        all: (params) => stmt.all(...params.map(toSqlite)),
        run: (params) => {
          const r = stmt.run(...params.map(toSqlite));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => stmt.iterate(...params.map(toSqlite)),
      };
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(sql, adapted);
      return adapted;
    },
  };
}

/** How often the checkpointer thread folds the WAL back into the database file. */
const CHECKPOINT_MS = 1000;

export interface SqliteHandle {
  dialect: SqliteDialect;
  /** Stops the checkpointer thread after a last, truncating checkpoint. */
  close(): Promise<void>;
}

/**
 * Starts the checkpointer thread. Its own errors are caught inside it; this listener is
 * the last guard, because a Worker's 'error' event with no listener is thrown in the
 * main thread and ends the process. Without checkpoints the WAL only grows until the
 * next start, so losing the thread is logged on stderr, never fatal.
 */
function startCheckpointer(path: string): Worker {
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.ts', import.meta.url), { workerData: { path, intervalMs: CHECKPOINT_MS } });
  worker.on('error', (err) => process.stderr.write(`docket: the SQLite checkpointer stopped: ${err.message}\n`));
  worker.unref();
  return worker;
}

export function sqliteDialect(path: string): SqliteHandle {
  let checkpointer: Worker | null = null;
  const dialect = new SqliteDialect({
    database: async () => {
      const db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA foreign_keys = ON');
      // Checkpoints run on their own thread (sqlite-checkpoint-worker.ts), never on the event loop.
      db.exec('PRAGMA wal_autocheckpoint = 0');
      checkpointer = startCheckpointer(path);
      return adapt(db);
    },
  });
  return {
    dialect,
    async close() {
      const worker = checkpointer;
      checkpointer = null;
      if (!worker) return;
      const stopped = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
