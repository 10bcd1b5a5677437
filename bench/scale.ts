/**
 * @module bench/scale: the S3 store against the filesystem store, and workers side by
 * side, each with a same-run baseline:
 *
 * 1. 1-page PDF tasks per second (upload to export-ready, validation off) on a
 *    `docket serve` with one worker slot on the S3 store (Ceph RGW, scripts/s3-store.sh)
 *    and on the filesystem store, in ABBA rounds; the median ratio S3/filesystem.
 * 2. Ingest req/s on the S3 store against bare Fastify streaming to disk: bench/ingest
 *    with the S3 settings (its own paired rounds).
 * 3. Pages per second with 1, 2 and 3 `docket worker` processes (one slot each) on
 *    PostgreSQL and S3, the CPU seconds they, the API node and Ceph used per wall
 *    second, and how busy the whole machine was (other jobs included).
 *
 * Sections 1 and 2 also give Ceph's CPU per task and per upload: on one machine it
 * shares the cores with docket.
 *
 * `--export` takes section 1's tasks on through the export a client makes (the
 * specification, every file, complete), which ends each one and purges its blobs: the
 * whole life of a task, the store's requests to export and purge included.
 *
 * `--baseline DIR` adds, in section 1's rounds, an S3 server run from another
 * checkout (older code: a before/after in the same run, each against the same
 * filesystem rounds). `--only tasks` runs section 1 alone, `--only tasks,ingest` 1 and 2.
 *
 * `--pin` models the store on a machine of its own (docs/deploy.md#topology): the
 * Ceph daemons get the last core to themselves (`taskset -a`), and this process,
 * with everything it starts (docket on both stores, bare Fastify, the load
 * generators), the others. The default run shares both cores between all of them,
 * as one machine running docket and Ceph does; run both and report both.
 *
 *   node bench/scale.ts [--rounds 4] [--tasks 20] [--docs 12] [--baseline DIR] [--only tasks[,ingest][,workers]] [--pin] [--export]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerHandle } from '../test/helpers/server.ts';
import { makePdf } from '../test/helpers/fixtures.ts';
import { createTestBucket, skipS3, testS3CpuSeconds, testS3Pids } from '../test/helpers/s3.ts';
import { createTestDatabase, skipPostgres } from '../test/helpers/stores.ts';
import { CORPUS } from '../test/helpers/corpus.ts';
import { clusterNode } from '../test/scale/cluster.ts';
import { arg, cpuOf, median, serverPid, token, createProject } from './lib.ts';

const rounds = arg('rounds', 4);
const tasks = arg('tasks', 20);
const docs = arg('docs', 12);
const option = (name: string): string | null => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
};
const baseline = option('baseline');
const only = option('only');
/** Section 1 always runs; `--only tasks,ingest` adds the named others. */
const want = (section: 'ingest' | 'workers') => only === null || only.split(',').includes(section);
const pin = process.argv.includes('--pin');
const exportToo = process.argv.includes('--export');
const cores = availableParallelism();
const CLIENT = { DOCKET_BOOTSTRAP_CLIENT_ID: 'bench-client', DOCKET_BOOTSTRAP_CLIENT_SECRET: 'bench-secret-0123456789' };

const reason = (await skipS3()) || (await skipPostgres());
if (reason) {
  console.log(`bench/scale: skipped: ${reason}`);
  process.exit(0);
}

/**
 * Uploads `files` and waits until each is ready for export; seconds from the first upload to the last ready.
 * With `--export`, each ready task is also exported as a client does (the specification, every file, complete),
 * which ends it and purges its blobs: seconds to the last completed.
 */
async function throughput(url: string, bearer: string, project: string, files: Buffer[]): Promise<number> {
  const t0 = performance.now();
  const ids = await Promise.all(files.map(async (f) => {
    const res = await fetch(`${url}/tasks?project_id=${project}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/pdf' }, body: new Uint8Array(f) });
    return ((await res.json()) as { id: string }).id;
  }));
  for (const id of ids) {
    for (;;) {
      const t = (await (await fetch(`${url}/tasks/${id}`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { state: string; client_action: string | null };
      if (t.state === 'failed') throw new Error(`task ${id} failed`);
      if (t.client_action === 'export') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (exportToo) await exportTask(url, bearer, id);
  }
  return (performance.now() - t0) / 1000;
}

/** Busy and total jiffies of the whole machine (/proc/stat): how much of the 2 cores anything used. */
async function exportTask(url: string, bearer: string, id: string): Promise<void> {
  const auth = { authorization: `Bearer ${bearer}` };
  const start = await fetch(`${url}/tasks/${id}/start_client_action?action=export`, { method: 'POST', headers: auth });
  if (start.status !== 200) throw new Error(`export of ${id}: ${start.status} ${await start.text()}`);
  for (const f of ((await start.json()) as { files: { url: string }[] }).files) {
    const res = await fetch(f.url, { headers: auth });
    if (res.status !== 200) throw new Error(`${f.url}: ${res.status}`);
    await res.arrayBuffer();
  }
  const done = await fetch(`${url}/tasks/${id}/complete_client_action?action=export`, { method: 'POST', headers: auth });
  if (done.status !== 200) throw new Error(`complete of ${id}: ${done.status} ${await done.text()}`);
}

function machine(): { busy: number; total: number } {
  const x = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = x.reduce((a, b) => a + b, 0);
  return { busy: total - (x[3] ?? 0) - (x[4] ?? 0), total };
}

/** Sets the cores of every thread of `pid` (taskset from util-linux); children started later inherit them. */
function setCores(pid: number, list: string): void {
  const out = spawnSync('taskset', ['-a', '-p', '-c', list, String(pid)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`taskset -c ${list} ${pid} failed: ${out.stderr || out.error?.message}`);
}

const root = await mkdtemp(join(tmpdir(), 'docket-bench-scale-'));
const bucket = await createTestBucket();
const storeCore = String(cores - 1);
const docketCores = cores > 2 ? `0-${cores - 2}` : '0';
if (pin) {
  if (cores < 2 || testS3Pids().length === 0) throw new Error('--pin needs 2 cores and the throwaway Ceph store of scripts/s3-store.sh');
  setCores(process.pid, docketCores);
  for (const pid of testS3Pids()) setCores(pid, storeCore);
  console.log(`bench/scale: pinned: Ceph (mon, osd, radosgw) on core ${storeCore}; docket, bare Fastify and the load generators on ${docketCores}`);
}
process.env.AWS_ACCESS_KEY_ID = bucket.env.AWS_ACCESS_KEY_ID;
process.env.AWS_SECRET_ACCESS_KEY = bucket.env.AWS_SECRET_ACCESS_KEY;
const servers: ServerHandle[] = [];
try {
  // 1. tasks/s, S3 against the filesystem.
  const common = { DOCKET_WORKERS: '1', LOG_LEVEL: 'error', DOCKET_POLL_MS: '200' };
  const fsServer = await startServer({ env: common });
  const s3Server = await startServer({ env: { ...common, ...bucket.processEnv('bench') } });
  const oldServer = baseline ? await startServer({ env: { ...common, ...bucket.processEnv('bench-baseline') }, root: baseline }) : null;
  servers.push(fsServer, s3Server, ...(oldServer ? [oldServer] : []));
  const one = await makePdf(1);
  const setup = async (s: ServerHandle) => {
    const bearer = await token(s.url, s.clientId, s.clientSecret);
    return { s, bearer, pid: serverPid(s.dataDir), project: await createProject(s.url, bearer, { name: 'Scale bench', validation: { mode: 'never' } }) };
  };
  const fsSide = await setup(fsServer);
  const s3Side = await setup(s3Server);
  const oldSide = oldServer ? await setup(oldServer) : null;
  /** CPU seconds over the rounds, by side: the docket server's and (S3 sides) Ceph's. */
  const used = new Map<typeof fsSide, { docket: number; ceph: number }>();
  const rate = async (side: typeof fsSide) => {
    const [c0, d0] = [testS3CpuSeconds(), cpuOf(side.pid)];
    const r = tasks / (await throughput(side.s.url, side.bearer, side.project, Array.from({ length: tasks }, () => one)));
    const u = used.get(side) ?? { docket: 0, ceph: 0 };
    u.docket += cpuOf(side.pid) - d0;
    if (side !== fsSide) u.ceph += testS3CpuSeconds() - c0;
    used.set(side, u);
    return r;
  };
  const m0 = machine();
  const sides = [fsSide, s3Side, ...(oldSide ? [oldSide] : [])];
  const rows: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    // ABBA (ABCCBA with a baseline): each side runs first as often as last.
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    const got = new Map<typeof fsSide, number>();
    for (const side of order) got.set(side, await rate(side));
    rows.push(sides.map((side) => got.get(side) as number));
  }
  const col = (i: number) => rows.map((row) => row[i] as number);
  const ratios = (i: number) => rows.map((row) => (row[i] as number) / (row[0] as number));
  console.log(`bench/scale: 1-page PDF tasks ${exportToo ? 'to completed (exported and purged)' : 'to export-ready'}, ${tasks} per round, ${rounds} ABBA rounds, one worker slot each (medians)`);
  console.log(`  filesystem store : ${median(col(0)).toFixed(2)} tasks/s`);
  console.log(`  S3 store (Ceph)  : ${median(col(1)).toFixed(2)} tasks/s`);
  console.log(`  ratio S3/fs      : ${median(ratios(1)).toFixed(2)} [${ratios(1).map((x) => x.toFixed(2)).join(' ')}] (target >= 0.8)`);
  if (oldSide) {
    console.log(`  S3, ${baseline}: ${median(col(2)).toFixed(2)} tasks/s; ratio S3/fs ${median(ratios(2)).toFixed(2)} [${ratios(2).map((x) => x.toFixed(2)).join(' ')}]`);
    console.log(`  S3 this code / baseline: ${median(rows.map((row) => (row[1] as number) / (row[2] as number))).toFixed(2)}`);
  }
  const m1 = machine();
  const perTask = (side: typeof fsSide | null, k: 'docket' | 'ceph') => (side ? `${((1000 * (used.get(side)?.[k] ?? 0)) / (tasks * rounds)).toFixed(1)} ms` : '');
  console.log(`  CPU per task     : docket fs ${perTask(fsSide, 'docket')}, S3 ${perTask(s3Side, 'docket')}${oldSide ? `, S3 baseline ${perTask(oldSide, 'docket')}` : ''}; `
    + `Ceph ${perTask(s3Side, 'ceph')}${oldSide ? `, baseline ${perTask(oldSide, 'ceph')}` : ''}`);
  console.log(`  machine          : busy ${((100 * (m1.busy - m0.busy)) / (m1.total - m0.total)).toFixed(0)} % over the rounds; load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')} at the end`);
  await Promise.all(servers.map((s) => s.dispose()));
  servers.length = 0;
  if (want('ingest')) {
    // 2. ingest on S3 against bare Fastify to disk.
    console.log('bench/scale: ingest on the S3 store (bench/ingest with DOCKET_BLOB_URL; target ratio >= 0.6)');
    spawnSync(process.execPath, [join(import.meta.dirname, 'ingest.ts'), '--rounds', String(Math.max(2, rounds)), '--seconds', '3'], {
      stdio: 'inherit', env: { ...process.env, BENCH_SERVER_ENV: JSON.stringify(bucket.processEnv('ingest')) },
    });
  }
  if (want('workers')) {
    // 3. pages/s with 1, 2, 3 worker processes on PostgreSQL and S3.
    const doc = await readFile(join(CORPUS, 'pdf-text', 'paperless-multi-page-digital.pdf'));
    const pagesPerDoc = 3;
    console.log(`bench/scale: ${docs} × ${pagesPerDoc}-page born-digital PDFs per run, PostgreSQL + S3, workers of one slot`);
    for (const n of [1, 2, 3]) {
      const db = await createTestDatabase('postgres');
      const env = { ...CLIENT, ...bucket.processEnv(`workers-${n}`), DATABASE_URL: db.databaseUrl as string, DOCKET_POLL_MS: '200' };
      const api = await clusterNode('api', 'serve', env, root);
      await api.start();
      const workers = await Promise.all(Array.from({ length: n }, (_, i) => clusterNode(`w${i}`, 'worker', env, root)));
      for (const w of workers) await w.start();
      const bearer = await token(api.url, CLIENT.DOCKET_BOOTSTRAP_CLIENT_ID, CLIENT.DOCKET_BOOTSTRAP_CLIENT_SECRET);
      const project = await createProject(api.url, bearer, { name: 'Pages bench', validation: { mode: 'never' } });
      const cpu0 = workers.reduce((s, w) => s + cpuOf(w.pid()), 0);
      const [ceph0, api0, m0] = [testS3CpuSeconds(), cpuOf(api.pid()), machine()];
      const secs = await throughput(api.url, bearer, project, Array.from({ length: docs }, () => doc));
      const cpu = workers.reduce((s, w) => s + cpuOf(w.pid()), 0) - cpu0;
      const [ceph, apiCpu, m1] = [testS3CpuSeconds() - ceph0, cpuOf(api.pid()) - api0, machine()];
      console.log(`  ${n} worker(s): ${((docs * pagesPerDoc) / secs).toFixed(2)} pages/s, workers' CPU ${(cpu / secs).toFixed(2)} cores (${cpu.toFixed(1)} s over ${secs.toFixed(1)} s); `
        + `API node ${(apiCpu / secs).toFixed(2)}, Ceph ${(ceph / secs).toFixed(2)} cores; the machine busy ${((100 * (m1.busy - m0.busy)) / (m1.total - m0.total)).toFixed(0)} %`);
      await Promise.all([api, ...workers].map((x) => x.stop()));
      await db.drop();
    }
    console.log(`  machine: ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')} load average at the end; shared by other jobs`);
  }
} finally {
  await Promise.all(servers.map((s) => s.dispose()));
  // The store is shared with the tests that run after: its daemons get every core back.
  if (pin) for (const pid of testS3Pids()) setCores(pid, `0-${cores - 1}`);
  await bucket.drop();
  await rm(root, { recursive: true, force: true });
}
