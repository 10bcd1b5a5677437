/**
 * @module Chaos: processes die by `kill -9` under load, and no task is lost or done
 * twice. SIGKILL runs no handler: a worker dies mid-run with its lease held, the API
 * dies mid-upload with a blob half-written or a COMMIT whose answer never left.
 * (a) PostgreSQL (a private cluster): one API-only `docket serve` and 3 `docket
 * worker`s share a blob folder; 6 times a random worker is killed and started again,
 * twice the API is, its port kept, while born-digital PDFs are uploaded without pause
 * (a refused or unanswered upload is sent again with the same Idempotency-Key, as a
 * client would). Leases of 2 s and a sweep every 300 ms put killed runs back in the
 * queue within seconds; 20 attempts leave room for every kill to hit one task.
 * (b) SQLite: one `docket serve` with its worker, killed 3 times mid-load and started
 * again on the same data folder. Then, for both, kill-support.ts `settle`: every task
 * answered 202 ends `completed` through its export, exactly once, and is purged. One
 * `# chaos kill:` line gives the figures (uploads per answer, kills, restarts, time
 * to drain, attempts per task). On a loaded 2-core machine (a) took 56–80 s for 95–114
 * tasks, 2–6 of them put back in the queue after a lost lease; (b) 27–30 s for 60 tasks.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { freePort, skipChaos, startCluster, type PrivateCluster } from './database-cluster.ts';
import { spawnDocket, CLIENT_ID, CLIENT_SECRET, type DocketProcess } from './database-procs.ts';
import { createProject, login, startUploads, type Client, type Load } from './database-load.ts';
import { kill9, settle, sleep, until, type StoreView } from './kill-support.ts';
import { makePdf } from '../helpers/fixtures.ts';

const skip = await skipChaos();
const READY = /listening on http:\/\/[^:]+:(\d+)/;
/** Short leases, fast sweeps and polls, room for retries; DATABASE_URL empty = SQLite unless set below. */
const COMMON = { DATABASE_URL: '', DOCKET_LEASE_SECONDS: '2', DOCKET_MAX_ATTEMPTS: '20', DOCKET_SWEEP_MS: '300', DOCKET_POLL_MS: '500' };
const DUPLICATED_KEYS = 'select count(*) as n from (select key from idempotency_keys group by account_id, key having count(*) > 1) d';
const UNKEYED = 'select count(*) as n from tasks t where not exists (select 1 from idempotency_keys k where k.task_id = t.id)';
let cluster: PrivateCluster | null = null;
const dirs: string[] = [];
/** Every process ever started, so that none outlives the suite. */
const spawned: DocketProcess[] = [];
/** Loads still running when a test failed; they would keep the run from ending. */
const loads: Load[] = [];
let pdf: Uint8Array<ArrayBuffer>;

before(async () => {
  if (skip) return;
  cluster = await startCluster();
  pdf = new Uint8Array(await makePdf(1));
});

after(async () => {
  for (const l of loads) l.abandon();
  for (const p of spawned) await p.stop();
  await cluster?.destroy();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function start(name: string, command: 'serve' | 'worker', env: Record<string, string>): Promise<DocketProcess> {
  const { proc } = await spawnDocket(name, command, env, command === 'serve' ? READY : /worker started/);
  spawned.push(proc);
  return proc;
}

/** The processes that should be running right now must be. */
function alive(procs: () => DocketProcess[]): () => void {
  return () => {
    for (const p of procs()) assert.equal(p.exited, null, `${p.name} exited (${p.exited}) unasked:\n${p.output()}`);
  };
}

/** Uploads per answer: only 202 and no answer at all (the API was dead) are expected; a 5xx is a failure. */
function answers(load: Load): Record<string, number> {
  const byStatus: Record<string, number> = {};
  for (const a of load.attempts) {
    byStatus[String(a.status)] = (byStatus[String(a.status)] ?? 0) + 1;
    assert.ok(a.status === 202 || a.status === 'error', `an upload got ${a.status} after ${a.ms} ms: ${a.detail}`);
  }
  return byStatus;
}

/**
 * Waits up to 2 s for a task to be running (its lease owner names the worker's PID,
 * which execve keeps) and returns which of `procs` holds one, else null: a kill then
 * lands mid-run, with a lease held, far more often than a kill of an idle process.
 */
async function busy(procs: DocketProcess[], owners: () => Promise<string[]>): Promise<number | null> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const held = await owners();
    const i = procs.findIndex((p) => held.some((o) => o.includes(`-${p.child.pid}-`)));
    if (i >= 0) return i;
    await sleep(50);
  }
  return null;
}

const RUNNING = "select lease_owner from tasks where state = 'running'";

function report(figures: Record<string, unknown>): void {
  process.stdout.write(`# chaos kill: ${JSON.stringify(figures)}\n`);
}

test('(a) PostgreSQL: workers and the API node are killed with SIGKILL under load and started again', { skip, timeout: 240_000 }, async () => {
  const began = Date.now();
  const db = cluster as PrivateCluster;
  const dataDir = await mkdtemp(join(tmpdir(), 'docket-chaos-kill-'));
  dirs.push(dataDir);
  const port = String(await freePort());
  const env = { ...COMMON, DATABASE_URL: db.url, DOCKET_DATA_DIR: dataDir };
  const startApi = () => start('serve', 'serve', { ...env, PORT: port, DOCKET_WORKERS: '0' });
  // One after the other: each runs the migrations on start.
  let api = await startApi();
  const workers: DocketProcess[] = [];
  const startWorker = (i: number) => start(`worker-${i + 1}`, 'worker', { ...env, DOCKET_WORKERS: '1' });
  for (let i = 0; i < 3; i++) workers.push(await startWorker(i));
  const check = alive(() => [api, ...workers]);
  const client: Client = await login(`http://127.0.0.1:${port}`, CLIENT_ID, CLIENT_SECRET);
  const projectId = await createProject(client);
  const load = startUploads(client, projectId, pdf, () => 'kill', 2, 700);
  loads.push(load);
  await until('first uploads accepted', () => load.accepted.length >= 5, 30_000, check);
  const kills = { worker: 0, worker_mid_run: 0, api: 0 };
  let restarts = 0;
  const owners = async () => (await db.query<{ lease_owner: string | null }>(RUNNING)).map((r) => r.lease_owner ?? '');
  for (const target of ['worker', 'worker', 'api', 'worker', 'worker', 'worker', 'api', 'worker'] as const) {
    await sleep(1000 + Math.random() * 1000);
    check();
    if (target === 'worker') {
      const holder = await busy(workers, owners);
      if (holder !== null) kills.worker_mid_run++;
      const i = holder ?? Math.floor(Math.random() * workers.length);
      await kill9(workers[i] as DocketProcess);
      workers[i] = await startWorker(i);
    } else {
      await kill9(api);
      api = await startApi();
    }
    kills[target]++;
    restarts++;
  }
  await until('60 tasks accepted', () => load.accepted.length >= 60, 60_000, check);
  await load.stop();
  const byStatus = answers(load);
  const store: StoreView = {
    taskIds: async () => (await db.query<{ id: string }>('select id from tasks')).map((r) => r.id),
    keyAnomalies: async () => ({
      duplicated: Number((await db.query<{ n: string }>(DUPLICATED_KEYS))[0]?.n),
      unkeyed: Number((await db.query<{ n: string }>(UNKEYED))[0]?.n),
    }),
  };
  const figures = await settle(client, load, store, join(dataDir, 'blobs'), check);
  check();
  report({ store: 'postgres', processes: '1 api + 3 workers', kills, restarts, uploads: byStatus, ...figures, total_ms: Date.now() - began });
});

test('(b) SQLite: the one docket serve is killed with SIGKILL 3 times under load and started again', { skip, timeout: 240_000 }, async () => {
  const began = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'docket-chaos-kill-sqlite-'));
  dirs.push(dataDir);
  const port = String(await freePort());
  const startServe = () => start('serve-sqlite', 'serve', { ...COMMON, DOCKET_DATA_DIR: dataDir, PORT: port, DOCKET_WORKERS: '1' });
  let serve = await startServe();
  const rows = <T>(text: string): T[] => {
    const sqlite = new DatabaseSync(join(dataDir, 'docket.db'));
    try {
      return sqlite.prepare(text).all() as T[];
    } finally {
      sqlite.close();
    }
  };
  const check = alive(() => [serve]);
  const client: Client = await login(`http://127.0.0.1:${port}`, CLIENT_ID, CLIENT_SECRET);
  const projectId = await createProject(client);
  const load = startUploads(client, projectId, pdf, () => 'kill', 2, 400);
  loads.push(load);
  let kills = 0;
  let midRun = 0;
  for (let k = 0; k < 3; k++) {
    const at = load.accepted.length;
    await until('uploads accepted before the kill', () => load.accepted.length >= at + 8, 60_000, check);
    await sleep(Math.random() * 1000);
    if ((await busy([serve], async () => rows<{ lease_owner: string | null }>(RUNNING).map((r) => r.lease_owner ?? ''))) !== null) midRun++;
    await kill9(serve);
    kills++;
    serve = await startServe();
  }
  await until('60 tasks accepted', () => load.accepted.length >= 60, 60_000, check);
  await load.stop();
  const byStatus = answers(load);
  const store: StoreView = {
    taskIds: async () => rows<{ id: string }>('select id from tasks').map((r) => r.id),
    keyAnomalies: async () => ({ duplicated: Number(rows<{ n: number }>(DUPLICATED_KEYS)[0]?.n), unkeyed: Number(rows<{ n: number }>(UNKEYED)[0]?.n) }),
  };
  const figures = await settle(client, load, store, join(dataDir, 'blobs'), check);
  check();
  report({ store: 'sqlite', processes: '1 serve with 1 worker', kills, kills_mid_run: midRun, restarts: kills, uploads: byStatus, ...figures, total_ms: Date.now() - began });
});
