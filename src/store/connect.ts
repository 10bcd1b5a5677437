/**
 * @module Opens the store the configuration names: SQLite in the data folder when
 * `DATABASE_URL` is unset, PostgreSQL otherwise. Returns the repositories, the
 * notifier that wakes workers (LISTEN/NOTIFY across processes on PostgreSQL, an
 * in-process signal on SQLite) and one `close`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Repositories, SessionRepository } from '../core/repositories.ts';
import type { Notifier } from '../core/ports.ts';
import type { Database } from './schema.ts';
import { migrate, type StoreKind } from './migrations.ts';
import { sqliteDialect } from './sqlite.ts';
import { createTaskRepository } from './tasks-repo.ts';
import { createProjectRepository } from './projects-repo.ts';
import { createAccountRepository } from './accounts-repo.ts';
import { createSessionRepository } from './sessions-repo.ts';
import { createStatsRepository } from './stats-repo.ts';
import type { StatsRepository } from '../core/stats.ts';
import { localNotifier, postgresNotifier } from './notifier.ts';

export interface Store extends Repositories {
  kind: StoreKind;
  db: Kysely<Database>;
  sessions: SessionRepository;
  stats: StatsRepository;
  notifier: Notifier;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…`; unset = SQLite at `<dataDir>/docket.db`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Run migrations on open (default true). */
  migrate?: boolean;
  poolSize?: number;
}

/** int8 (OID 20) comes back from pg as a string; every bigint here is a time or size that fits a double. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export async function openStore(options: StoreOptions): Promise<Store> {
  const kind: StoreKind = options.databaseUrl ? 'postgres' : 'sqlite';
  let db: Kysely<Database>;
  let notifier: Notifier;
  let closeEngine = async (): Promise<void> => undefined;
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, types: pgTypes });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    notifier = postgresNotifier(pool);
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    const sqlite = sqliteDialect(join(options.dataDir, 'docket.db'));
    db = new Kysely<Database>({ dialect: sqlite.dialect });
    closeEngine = sqlite.close;
    notifier = localNotifier();
  }
  try {
    if (options.migrate !== false) await migrate(db as Kysely<unknown>, kind);
  } catch (err) {
    await notifier.close();
    await db.destroy();
    await closeEngine();
    throw err;
  }
  return {
    kind,
    db,
    tasks: createTaskRepository(db, kind),
    projects: createProjectRepository(db),
    accounts: createAccountRepository(db),
    sessions: createSessionRepository(db),
    stats: createStatsRepository(db),
    notifier,
    async close() {
      await notifier.close();
      await db.destroy();
      await closeEngine();
    },
  };
}
