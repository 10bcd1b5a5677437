/**
 * @module Chaos: the database goes away under load and every docket process lives on.
 * A private PostgreSQL cluster (never the shared one), an API-only `docket serve` and
 * two `docket worker` processes sharing a blob folder, a project that needs no
 * validation, and born-digital PDFs uploaded without pause. (a) Every docket session
 * is ended with `pg_terminate_backend`; (b) PostgreSQL is stopped for 20 s and started
 * again. After each: all processes are alive, no upload got a 500 or hung, refused
 * uploads got 503 `database_unavailable` with Retry-After, /health went 503 during the
 * stop and 200 after, every accepted task was processed to completion exactly once and
 * exported through the API, no task exists that the client was not told about, and no
 * blob is left over. Workers poll only every 10 minutes here, so after the outage only
 * the store's own wake-up can get them going again.
 */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipChaos, startCluster, type PrivateCluster } from './database-cluster.ts';
import { spawnDocket, CLIENT_ID, CLIENT_SECRET, type DocketProcess } from './database-procs.ts';
import { createProject, exportAll, login, startUploads, watchHealth, REQUEST_BOUND_MS, type Attempt, type Client, type Load } from './database-load.ts';
import { makePdf } from '../helpers/fixtures.ts';

const skip = await skipChaos();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cluster: PrivateCluster;
let dataDir: string;
let procs: DocketProcess[] = [];
let client: Client;
let projectId: string;
let pdf: Uint8Array<ArrayBuffer>;
/** Every task id answered 202 in any test, and the outage phase uploads are sent in. */
const everyAccepted: string[] = [];
let phase = 'before';

before(async () => {
  if (skip) return;
  cluster = await startCluster();
  dataDir = await mkdtemp(join(tmpdir(), 'docket-chaos-data-'));
  const env = {
    DATABASE_URL: cluster.url, DOCKET_DATA_DIR: dataDir, DOCKET_POLL_MS: '600000', DOCKET_LEASE_SECONDS: '5',
    DOCKET_MAX_ATTEMPTS: '10', DOCKET_SWEEP_MS: '500',
  };
  const serve = await spawnDocket('serve', 'serve', { ...env, PORT: '0', DOCKET_WORKERS: '0' }, /listening on http:\/\/[^:]+:(\d+)/);
  procs.push(serve.proc);
  // One after the other: each runs the migrations on start.
  for (const name of ['worker-1', 'worker-2']) procs.push((await spawnDocket(name, 'worker', { ...env, DOCKET_WORKERS: '1' }, /worker started/)).proc);
  client = await login(`http://127.0.0.1:${serve.match[1]}`, CLIENT_ID, CLIENT_SECRET);
  projectId = await createProject(client);
  pdf = new Uint8Array(await makePdf(1));
});

/** Loads and watchers still running when a test failed; they would keep the run from ending. */
const active: (() => void)[] = [];
afterEach(() => {
  for (const stop of active.splice(0)) stop();
});

after(async () => {
  for (const p of procs) await p.stop();
  await cluster?.destroy();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function assertAlive(): void {
  for (const p of procs) assert.equal(p.exited, null, `${p.name} exited (${p.exited}):\n${p.output()}`);
}

/** Waits for `cond`; a docket process that dies meanwhile fails the wait at once, with its output. */
async function until(what: string, cond: () => boolean | Promise<boolean>, deadlineMs: number): Promise<number> {
  const started = Date.now();
  while (!(await cond())) {
    assertAlive();
    if (Date.now() - started > deadlineMs) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

/** No 500, no hang, no lost connection: a refusal is always 503 database_unavailable with Retry-After. */
function assertAnswers(attempts: Attempt[]): Record<string, Record<string, number>> {
  const byPhase: Record<string, Record<string, number>> = {};
  for (const a of attempts) {
    const phase = (byPhase[a.phase] ??= {});
    phase[String(a.status)] = (phase[String(a.status)] ?? 0) + 1;
    assert.ok(a.status === 202 || a.status === 503, `an upload in phase ${a.phase} got ${a.status} after ${a.ms} ms: ${a.detail}`);
    assert.ok(a.ms < REQUEST_BOUND_MS, `an upload took ${a.ms} ms`);
    if (a.status === 503) {
      assert.equal(a.type, '/problems/database_unavailable', a.detail);
      assert.match(a.retryAfter ?? '', /^\d+$/, 'a 503 names Retry-After');
    }
  }
  return byPhase;
}

/** Every accepted task ends completed through its export, having been processed once; nothing else is left. */
async function assertSettled(load: Load): Promise<void> {
  const ids = load.accepted;
  assert.equal(new Set(ids).size, ids.length, 'no task id was answered twice');
  const final = await exportAll(client, ids, 120_000);
  for (const id of ids) assert.equal(final.get(id), 'completed', `task ${id}`);
  const events = await cluster.query<{ task_id: string; from_state: string | null; to_state: string }>('select task_id, from_state, to_state from task_events where task_id = any($1) order by id', [ids]);
  for (const id of ids) {
    const mine = events.filter((e) => e.task_id === id);
    const processed = mine.filter((e) => e.from_state === 'running' && e.to_state === 'pending:start_client_action').length;
    assert.equal(processed, 1, `task ${id} was processed to completion ${processed} times: ${mine.map((e) => e.to_state).join(' → ')}`);
    assert.equal(mine.filter((e) => e.to_state === 'completed').length, 1, `task ${id}: one final state`);
    assert.ok(!mine.some((e) => e.to_state === 'failed'), `task ${id} failed on the way: ${mine.map((e) => e.to_state).join(' → ')}`);
  }
  const unknown = await cluster.query<{ id: string }>('select id from tasks where not (id = any($1))', [[...everyAccepted, ...ids]]);
  assert.deepEqual(unknown.map((r) => r.id), [], 'every task in the database was answered 202 to the client');
  // Completed tasks are purged by the sweepers; then no file of any task, and no temp file, may remain.
  const leftovers = async () => (await Promise.all(['uploads', 'tasks', '.tmp'].map(async (d) => (await readdir(join(dataDir, 'blobs', d)).catch(() => [])).map((f) => `${d}/${f}`)))).flat();
  await until('every blob purged', async () => (await leftovers()).length === 0, 60_000).catch(async (err: Error) => {
    throw new Error(`${err.message}; left: ${(await leftovers()).slice(0, 10).join(', ')}`);
  });
}

function report(name: string, attempts: Attempt[], figures: Record<string, unknown>): void {
  const slowest = (status: number) => Math.max(0, ...attempts.filter((a) => a.status === status).map((a) => a.ms));
  process.stdout.write(`# chaos ${name}: ${JSON.stringify({ ...figures, slowest_202_ms: slowest(202), slowest_503_ms: slowest(503) })}\n`);
}

test('(a) every docket session is ended with pg_terminate_backend mid-load', { skip, timeout: 150_000 }, async () => {
  phase = 'before';
  const load = startUploads(client, projectId, pdf, () => phase, 3, 100);
  active.push(() => load.abandon());
  await until('uploads accepted before', () => load.accepted.length >= 5, 30_000);
  phase = 'terminated';
  const terminated = await cluster.terminateSessions();
  const at = load.accepted.length;
  const recovered = await until('uploads accepted after', () => load.accepted.length >= at + 10, 60_000);
  phase = 'after';
  await sleep(1000);
  await load.stop();
  everyAccepted.push(...load.accepted);
  assertAlive();
  const answers = assertAnswers(load.attempts);
  assert.ok(terminated >= 3, `sessions of the API, both workers and their LISTEN connections were ended (${terminated})`);
  const settling = Date.now();
  await assertSettled(load);
  const settled = Date.now() - settling;
  assertAlive();
  assert.equal((await fetch(`${client.url}/health`)).status, 200);
  report('terminate', load.attempts, { sessions_ended: terminated, tasks: load.accepted.length, answers, ms_to_10_more_accepted: recovered, ms_to_export_and_purge_all: settled });
});

test('(b) PostgreSQL is stopped for 20 s mid-load and started again', { skip, timeout: 170_000 }, async () => {
  phase = 'before';
  const health = watchHealth(client.url);
  active.push(() => void health.stop());
  const load = startUploads(client, projectId, pdf, () => phase, 3, 100);
  active.push(() => load.abandon());
  await until('uploads accepted before', () => load.accepted.length >= 5, 30_000);
  phase = 'stopped';
  const stoppedAt = Date.now();
  await cluster.stop();
  const stopTook = Date.now() - stoppedAt;
  const to503 = await until('/health answers 503', () => health.samples.some((s) => s.at > stoppedAt && s.status === 503), 15_000);
  const acceptedBefore = load.accepted.length;
  await sleep(Math.max(0, 20_000 - (Date.now() - stoppedAt)));
  const startedAt = Date.now();
  await cluster.start();
  phase = 'restarted';
  const startTook = Date.now() - startedAt;
  const to200 = await until('/health answers 200 again', () => health.samples.some((s) => s.at > startedAt + startTook && s.status === 200), 30_000);
  const at = load.accepted.length;
  const toAccepted = await until('uploads accepted again', () => load.accepted.length >= at + 10, 60_000);
  phase = 'after';
  await sleep(1000);
  await load.stop();
  await health.stop();
  everyAccepted.push(...load.accepted);
  assertAlive();
  const answers = assertAnswers(load.attempts);
  assert.ok((answers.stopped?.['503'] ?? 0) > 0, `uploads while PostgreSQL was down were refused with 503: ${JSON.stringify(answers)}`);
  const during = health.samples.filter((s) => s.at > stoppedAt + stopTook + to503 && s.at < startedAt);
  assert.ok(during.length > 0 && during.every((s) => s.status === 503), `/health said 503 throughout the outage: ${JSON.stringify(during.filter((s) => s.status !== 503).slice(0, 3))}`);
  const down = JSON.parse(during[0]?.body ?? '{}') as { checks?: { name: string; ok: boolean; detail: string }[] };
  assert.equal(down.checks?.find((c) => c.name === 'database')?.ok, false, 'the body names the database check and why');
  assert.equal(health.samples.at(-1)?.status, 200, '/health is 200 at the end');
  for (const p of procs) assert.ok(p.saw('database unreachable') && p.saw('database answers again'), `${p.name} logged the outage and the recovery`);
  const settling = Date.now();
  await assertSettled(load);
  const settled = Date.now() - settling;
  assertAlive();
  const firstDone = await cluster.query<{ at: string }>("select min(at) as at from task_events where from_state = 'running' and to_state = 'pending:start_client_action' and at > $1", [startedAt]);
  report('stop-20s', load.attempts, {
    tasks: load.accepted.length, accepted_before_stop: acceptedBefore, answers, stop_ms: stopTook, start_ms: startTook,
    health_503_after_stop_ms: to503, health_503_samples: health.samples.filter((s) => s.status === 503).length,
    health_200_after_start_ms: to200, ms_to_10_more_accepted_after_start: toAccepted, database_check_detail: down.checks?.[0]?.detail, ms_to_export_and_purge_all: settled,
    first_task_processed_after_start_ms: Number(firstDone[0]?.at) - startedAt,
  });
});
