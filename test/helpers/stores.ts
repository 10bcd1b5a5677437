/**
 * @module The two stores every contract suite runs against: SQLite in a fresh temp
 * folder, and PostgreSQL in a fresh schema of the test database (so suites can run
 * side by side and leave nothing behind). PostgreSQL comes from
 * DOCKET_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); when
 * it does not answer, its suites are skipped with the reason — unless
 * DOCKET_REQUIRE_POSTGRES=1 (set by CI), which turns that into a failure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

export const PG_URL = process.env.DOCKET_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
export const REQUIRE_PG = process.env.DOCKET_REQUIRE_POSTGRES === '1';

let pgAvailable: Promise<string | null> | null = null;

/** Null when PostgreSQL answers, else why not. */
export function postgresUnavailable(): Promise<string | null> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return `PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')} does not answer (${(err as Error).message})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

/** The `skip` option for a PostgreSQL suite: false to run, or the reason; throws when CI requires it. */
export async function skipPostgres(): Promise<false | string> {
  const reason = await postgresUnavailable();
  if (reason === null) return false;
  if (REQUIRE_PG) throw new Error(`DOCKET_REQUIRE_POSTGRES=1 but ${reason}`);
  return `${reason}; set DOCKET_TEST_DATABASE_URL to run the PostgreSQL suite`;
}

export interface TestDatabase {
  kind: StoreKind;
  /** Undefined for SQLite. */
  databaseUrl: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), `docket-${kind}-`));
  if (kind === 'sqlite') {
    return { kind, databaseUrl: undefined, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const schema = `docket_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind,
    databaseUrl: url.toString(),
    dataDir,
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `suite` once per store kind: SQLite always, PostgreSQL when it answers (see the module comment). */
export function forEachStore(suite: (kind: StoreKind) => void): void {
  suite('sqlite');
  suite('postgres');
}
