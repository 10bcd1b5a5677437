/**
 * @module Opens the store the configuration names: SQLite in the data folder when
 * `DATABASE_URL` is unset, PostgreSQL otherwise. Returns the repositories, the
 * notifier that wakes workers (LISTEN/NOTIFY across processes on PostgreSQL, an
 * in-process signal on SQLite), the database's health and one `close`.
 *
 * PostgreSQL connections are lost for ordinary reasons (a restart, a failover,
 * `pg_terminate_backend`), and node-postgres reports it as an 'error' event; an
 * EventEmitter with no 'error' listener throws, which would end the process. pg-pool
 * forwards an idle client's error to the pool ("error" event, node-postgres pg.Pool
 * docs) but detaches its own listener while a client is checked out, so every client
 * gets a listener of its own when it connects. A lost client is discarded by the pool,
 * and the next query connects anew: the pool reconnects by itself.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Repositories } from '../core/ports/repositories.ts';
import type { SessionRepository } from '../core/ports/session-repository.ts';
import type { Notifier } from '../core/ports/notifier.ts';
import type { Database } from './schema.ts';
import { migrate, type StoreKind } from './migrations.ts';
import { sqliteDialect } from './sqlite.ts';
import { healthTracker, type HealthTracker } from './db-health.ts';
import type { DatabaseHealth } from '../core/ports/database-health.ts';
import { createTaskRepository } from './tasks-repo.ts';
import { createProjectRepository } from './projects-repo.ts';
import { createAccountRepository } from './accounts-repo.ts';
import { createSessionRepository } from './sessions-repo.ts';
import { createStatsRepository } from './stats-repo.ts';
import type { StatsRepository } from '../core/ports/stats-repository.ts';
import { localNotifier, postgresNotifier } from './notifier.ts';
import { createVendorMemoryRepository } from './vendor-memory-repo.ts';
import type { VendorMemoryStore } from '../core/ports/vendor-memory.ts';
import type { ScorerLearningStore } from '../core/ports/scorer-learning.ts';
import { createScorerLearningRepository } from './scorer-learning-repo.ts';

export interface Store extends Repositories {
  kind: StoreKind;
  db: Kysely<Database>;
  sessions: SessionRepository;
  stats: StatsRepository;
  memory: VendorMemoryStore;
  /** What each project's learning keeps for the candidate scorer: examples and retrained versions. */
  scorer: ScorerLearningStore;
  notifier: Notifier;
  health: DatabaseHealth;
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

/**
 * Settings of every PostgreSQL connection. A connect that gets no answer gives up after
 * 5 s (pg's default is to wait forever, which would hold requests on a black-holed
 * host); TCP keepalive notices a peer that vanished without closing the socket.
 */
function clientConfig(connectionString: string): pg.ClientConfig {
  return { connectionString, types: pgTypes, connectionTimeoutMillis: 5000, keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: 'docket' };
}

function openPostgres(databaseUrl: string, poolSize: number): { db: Kysely<Database>; notifier: Notifier; health: HealthTracker } {
  const pool = new pg.Pool({ ...clientConfig(databaseUrl), max: poolSize });
  const health = healthTracker(async () => void (await pool.query('select 1')));
  pool.on('error', (err) => health.observe(err));
  pool.on('connect', (client) => client.on('error', (err) => health.observe(err)));
  // Kysely's PostgresDialect needs only connect() and end(); a failed connect is reported to the health state too.
  const observed = {
    connect: () => pool.connect().catch((err: unknown) => {
      health.observe(err);
      throw err;
    }),
    end: () => pool.end(),
    options: pool.options,
  };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: observed }),
    log: (event) => {
      if (event.level === 'error') health.observe(event.error);
    },
  });
  const notifier = postgresNotifier({ pool, newClient: () => new pg.Client(clientConfig(databaseUrl)), onError: (err) => health.observe(err) });
  return { db, notifier, health };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const kind: StoreKind = options.databaseUrl ? 'postgres' : 'sqlite';
  let db: Kysely<Database>;
  let notifier: Notifier;
  let health: HealthTracker;
  let closeEngine = async (): Promise<void> => undefined;
  if (options.databaseUrl) {
    ({ db, notifier, health } = openPostgres(options.databaseUrl, options.poolSize ?? 10));
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    const sqlite = sqliteDialect(join(options.dataDir, 'docket.db'));
    db = new Kysely<Database>({ dialect: sqlite.dialect });
    closeEngine = sqlite.close;
    notifier = localNotifier();
    const engine = db;
    health = healthTracker(async () => void (await sql`select 1`.execute(engine)));
  }
  // Workers that failed to claim while the database was away sleep until woken; a notification may never come.
  health.onChange((status) => status.ok && notifier.notify());
  try {
    if (options.migrate !== false) await migrate(db as Kysely<unknown>, kind);
  } catch (err) {
    health.close();
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
    memory: createVendorMemoryRepository(db, kind),
    scorer: createScorerLearningRepository(db, kind),
    notifier,
    health,
    async close() {
      health.close();
      await notifier.close();
      await db.destroy();
      await closeEngine();
    },
  };
}
