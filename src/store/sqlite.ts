/**
 * @module Kysely on Node's built-in `node:sqlite` (no native addon to compile,
 * DESIGN §1). Kysely's SqliteDialect expects a better-sqlite3-shaped database; this
 * adapter gives it one. WAL lets readers run while a writer commits; a busy timeout
 * of 5 s rides out the moments another process (a `docket worker`) holds the lock.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value as SQLInputValue;
}

function adapt(db: DatabaseSync): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = db.prepare(sql);
      const reader = stmt.columns().length > 0;
      return {
        reader,
        all: (params) => stmt.all(...params.map(toSqlite)),
        run: (params) => {
          const r = stmt.run(...params.map(toSqlite));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => stmt.iterate(...params.map(toSqlite)),
      };
    },
  };
}

export function sqliteDialect(path: string): SqliteDialect {
  return new SqliteDialect({
    database: async () => {
      const db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA foreign_keys = ON');
      return adapt(db);
    },
  });
}
