/**
 * @module A private PostgreSQL cluster for the database chaos tests, so that stopping
 * it or ending its sessions never disturbs the shared server other suites use. It is
 * `initdb`'d into a temp folder (trust auth, fsync off), listens on 127.0.0.1 on a free
 * port with its unix socket in that folder, and runs as the `postgres` OS user because
 * initdb and postgres refuse to run as root (`runuser -u postgres --`). When that is
 * impossible the suite skips with the reason, or fails when DOCKET_REQUIRE_CHAOS=1.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chown, mkdtemp, readdir, rm, access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';
export const REQUIRE_CHAOS = process.env.DOCKET_REQUIRE_CHAOS === '1';

export interface PrivateCluster {
  /** `postgres://postgres@127.0.0.1:<port>/docket`. */
  url: string;
  /** `pg_ctl stop -m fast`: every session ends (57P01), new connections are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** `pg_terminate_backend` on every session of the docket database but this one; returns how many. */
  terminateSessions(): Promise<number>;
  /** A query on a short-lived connection of its own. */
  query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  destroy(): Promise<void>;
}

async function binDir(): Promise<string | null> {
  const versions = (await readdir(PG_ROOT).catch(() => [] as string[])).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = join(PG_ROOT, v, 'bin');
    if (await access(join(dir, 'initdb')).then(() => true, () => false)) return dir;
  }
  return null;
}

async function ids(): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** False when a private cluster can be made, else why not; throws when CI requires the chaos suites. */
export async function skipChaos(): Promise<false | string> {
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = 'the database chaos suite runs PostgreSQL as the postgres user and needs root to do so';
  else if (!(await binDir())) reason = `no PostgreSQL server binaries under ${PG_ROOT}/*/bin`;
  else if (!(await ids())) reason = 'no postgres OS user to run PostgreSQL as';
  else if (!(await run('runuser', ['--help']).then(() => true, () => false))) reason = 'no runuser (util-linux) to run PostgreSQL as the postgres user';
  if (reason === null) return false;
  if (REQUIRE_CHAOS) throw new Error(`DOCKET_REQUIRE_CHAOS=1 but ${reason}`);
  return reason;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<PrivateCluster> {
  const bin = (await binDir()) as string;
  const owner = (await ids()) as { uid: number; gid: number };
  const dir = await mkdtemp(join(tmpdir(), 'docket-chaos-pg-'));
  await chown(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (tool: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir, timeout: 60_000 });
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => void (await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']));
  await start();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const query = async <T extends pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await query(admin, 'create database docket');
  const url = `postgres://postgres@127.0.0.1:${port}/docket`;
  return {
    url,
    stop: async () => void (await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'])),
    start,
    async terminateSessions() {
      const rows = await query<{ n: string }>(admin, "select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = 'docket' and pid <> pg_backend_pid()");
      return Number(rows[0]?.n ?? 0);
    },
    query: (text, values) => query(url, text, values),
    async destroy() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
