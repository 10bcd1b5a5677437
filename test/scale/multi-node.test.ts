/**
 * @module The multi-node proof (docs/deploy.md): 2 `docket serve` API nodes
 * (DOCKET_WORKERS=0) and 3 `docket worker` processes, each with its own data and
 * scratch folders, on PostgreSQL (a fresh schema) and the Ceph S3 store. Tasks from
 * real born-digital corpus PDFs, a third of them through validation, are created
 * through both API nodes while a random worker and, every third time, an API node are
 * killed with SIGKILL and started again. At the end every task is completed exactly
 * once, each export is byte-identical to a single-node run (SQLite and the filesystem
 * store) of the same document and project, every outcome was recorded once per
 * phase, no object is left in the bucket (an API node killed between an upload's
 * object and its row leaves an upload of no task; the nodes here sweep such orphans
 * after 30 s instead of an hour, and the test waits for them to go), and no task is
 * lost or extra.
 * DOCKET_SCALE_TASKS sets the count (500); the figures and a /metrics sample taken
 * mid-run are printed as the test's diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, skipPostgres } from '../helpers/stores.ts';
import { createTestBucket, skipS3 } from '../helpers/s3.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';
import { clusterNode, type ClusterNode } from './cluster.ts';
import { createProject, step, token, upload, type Api, type ExportDigest } from './lifecycle.ts';

const TASKS = Number(process.env.DOCKET_SCALE_TASKS || 500);
/** Born-digital PDFs of 1–3 pages: text from the PDF itself, so 500 tasks take minutes on 2 cores. */
const DOCS = ['paperless-rtl-test.pdf', 'paperless-with-form.pdf', 'lux-160F-2019-salary-certificate.pdf', 'paperless-multi-page-digital.pdf'];
const CLIENT = { DOCKET_BOOTSTRAP_CLIENT_ID: 'scale-client', DOCKET_BOOTSTRAP_CLIENT_SECRET: 'scale-secret-0123456789' };
const METRICS_TOKEN = 'scale-metrics-token-0123';
const project = (mode: string) => ({
  name: `Scale ${mode}`, validation: { mode }, separation: { mode: 'none' },
  document_types: [
    { name: 'Form', classify: { keywords: ['form', 'tax', 'income'] }, fields: [{ name: 'year', extract: [{ pattern: '(20\\d\\d)' }] }] },
    { name: 'Other', classify: { keywords: ['test'] }, fields: [] },
  ],
  export: [{ format: 'json' }, { format: 'csv' }],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function skip(): Promise<false | string> {
  return (await skipPostgres()) || (await skipS3()) || skipCorpus('pdf-text');
}

/** Runs `ids` to their end: validation sent back unchanged, exports hashed; resolves with each digest. */
async function drive(api: Api, ids: () => string[], total: number, parallel: number): Promise<Map<string, ExportDigest | 'failed'>> {
  const done = new Map<string, ExportDigest | 'failed'>();
  const t0 = Date.now();
  let told = 0;
  while (done.size < total) {
    if (process.env.DOCKET_SCALE_DEBUG && Date.now() - told > 30_000) {
      told = Date.now();
      process.stderr.write(`progress: ${done.size}/${total} done, ${ids().length} created, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    const open = ids().filter((id) => !done.has(id));
    for (let i = 0; i < open.length; i += parallel) {
      await Promise.all(open.slice(i, i + parallel).map(async (id) => {
        const r = await step(api, id).catch((err: Error) => {
          if (process.env.DOCKET_SCALE_DEBUG) process.stderr.write(`${err.message}\n`);
          return null;
        });
        if (r !== null) done.set(id, r);
      }));
    }
    await sleep(300);
  }
  return done;
}

test(`multi-node: 2 API nodes, 3 workers, ${TASKS} tasks, SIGKILLs, one PostgreSQL and one bucket`, { skip: await skip(), timeout: 45 * 60_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'docket-scale-'));
  const files = await Promise.all(DOCS.map((d) => readFile(join(CORPUS, 'pdf-text', d))));
  const modeOf = (i: number) => (i % 3 === 0 ? 'always' : 'never');
  const nodes: ClusterNode[] = [];
  try {
    // The reference: one `docket serve` with its own worker, SQLite and the filesystem store.
    const single = await clusterNode('single', 'serve', { ...CLIENT, DOCKET_WORKERS: '1' }, root);
    nodes.push(single);
    await single.start();
    const ref: Api = { urls: () => [single.url], token: await token(single.url, CLIENT.DOCKET_BOOTSTRAP_CLIENT_ID, CLIENT.DOCKET_BOOTSTRAP_CLIENT_SECRET) };
    const refProjects = { always: await createProject(ref, project('always')), never: await createProject(ref, project('never')) };
    const refIds = new Map<string, string>();
    for (const [d, file] of files.entries()) {
      for (const mode of ['always', 'never'] as const) refIds.set(`${d}:${mode}`, await upload(ref, refProjects[mode], file, `ref-${d}-${mode}`));
    }
    const refDone = await drive(ref, () => [...refIds.values()], refIds.size, 4);
    const expected = new Map([...refIds].map(([k, id]) => [k, refDone.get(id)]));
    for (const [k, digest] of expected) assert.notEqual(digest, 'failed', `the reference run failed ${k}`);
    await single.stop();
    if (process.env.DOCKET_SCALE_DEBUG) process.stderr.write(`reference done: ${JSON.stringify([...expected])}\n`);

    const db = await createTestDatabase('postgres');
    const bucket = await createTestBucket();
    const env = { ...CLIENT, ...bucket.processEnv('cluster'), DATABASE_URL: db.databaseUrl as string, DOCKET_LEASE_SECONDS: '5', DOCKET_POLL_MS: '250', DOCKET_SWEEP_MS: '500', DOCKET_ORPHAN_GRACE_SECONDS: '30', DOCKET_ORPHAN_SWEEP_SECONDS: '2', DOCKET_METRICS_TOKEN: METRICS_TOKEN, DOCKET_MAX_ATTEMPTS: '6' };
    const apiNodes = [await clusterNode('api1', 'serve', env, root), await clusterNode('api2', 'serve', env, root)];
    const workers = await Promise.all([1, 2, 3].map((n) => clusterNode(`worker${n}`, 'worker', env, root)));
    nodes.push(...apiNodes, ...workers);
    for (const n of [...apiNodes, ...workers]) await n.start();
    const api: Api = { urls: () => apiNodes.filter((n) => n.up).map((n) => n.url), token: await token(apiNodes[0]!.url, CLIENT.DOCKET_BOOTSTRAP_CLIENT_ID, CLIENT.DOCKET_BOOTSTRAP_CLIENT_SECRET) };
    const projects = { always: await createProject(api, project('always')), never: await createProject(api, project('never')) };

    const t0 = Date.now();
    const ids: string[] = [];
    const keyOf = new Map<string, string>();
    let finished = false;
    let metrics = '';
    const kills = { workers: 0, api: 0 };
    const uploading = (async () => {
      for (let i = 0; i < TASKS; i += 4) {
        await Promise.all([0, 1, 2, 3].filter((k) => i + k < TASKS).map(async (k) => {
          const n = i + k;
          const id = await upload(api, projects[modeOf(n)], files[n % files.length] as Buffer, `scale-${n}`, n);
          ids.push(id);
          keyOf.set(id, `${n % files.length}:${modeOf(n)}`);
        }));
        if (metrics === '' && ids.length >= TASKS / 2) {
          const node = apiNodes.find((n) => n.up);
          metrics = node ? await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => r.text(), () => '') : '';
        }
      }
    })();
    const chaos = (async () => {
      for (let round = 1; !finished; round++) {
        await sleep(6000 + Math.random() * 4000);
        if (finished) break;
        const victims = [workers[Math.floor(Math.random() * workers.length)] as ClusterNode];
        if (round % 3 === 0) victims.push(apiNodes[round % 2] as ClusterNode);
        for (const v of victims) {
          if (process.env.DOCKET_SCALE_DEBUG) process.stderr.write(`kill -9 ${v.name}\n`);
          await v.kill9();
          if (v.url) kills.api++;
          else kills.workers++;
        }
        await sleep(1000);
        for (const v of victims) await v.start();
      }
    })();
    const driving = drive(api, () => ids, TASKS, 8);
    await uploading;
    const outcomes = await driving;
    finished = true;
    await chaos;
    const seconds = (Date.now() - t0) / 1000;

    // The purge follows completion; give the sweepers a moment to delete the last prefixes.
    let left: string[] = [];
    for (let i = 0; i < 120; i++) {
      left = (await bucket.keys()).filter((k) => k.startsWith('cluster/tasks/') || k.startsWith('cluster/uploads/'));
      if (left.length === 0) break;
      await sleep(500);
    }
    // What is left now is uploads of no task (their API node was killed before the row): the orphan sweep takes them after its 30 s.
    const orphansSeen = left.length;
    for (let i = 0; i < 150 && left.length > 0; i++) {
      await sleep(500);
      left = (await bucket.keys()).filter((k) => k.startsWith('cluster/tasks/') || k.startsWith('cluster/uploads/'));
    }
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    const rows = (await client.query(`select t.id, t.state,
        (select count(*) from task_events e where e.task_id = t.id and e.to_state = 'completed')::int as completions,
        (select count(*) from task_events e where e.task_id = t.id and e.from_state = 'running' and e.to_state = 'pending:start_client_action')::int as outcomes
      from tasks t`)).rows as { id: string; state: string; completions: number; outcomes: number }[];
    await client.end();

    const mismatched = [...outcomes].filter(([id, d]) => JSON.stringify(d) !== JSON.stringify(expected.get(keyOf.get(id) as string)));
    const sample = metrics.split('\n').filter((l) => /^docket_(tasks|queue|worker|blob|http_requests_total\{method="POST",route="\/tasks")/.test(l)).slice(0, 30);
    t.diagnostic(`tasks=${TASKS} created=${rows.length} completed=${rows.filter((r) => r.state === 'completed').length} kills: workers=${kills.workers} api=${kills.api} seconds=${seconds.toFixed(0)} objects_left=${left.length} export_mismatches=${mismatched.length}`);
    t.diagnostic(`metrics sample mid-run:\n${sample.join('\n')}`);
    assert.equal(rows.length, TASKS, 'no task lost and none extra (retried uploads reuse their Idempotency-Key)');
    assert.deepEqual(rows.filter((r) => r.state !== 'completed' || r.completions !== 1).map((r) => r.id), [], 'every task completed exactly once');
    const phases = (id: string) => (keyOf.get(id)?.endsWith('always') ? 2 : 1);
    assert.deepEqual(rows.filter((r) => r.outcomes !== phases(r.id)).map((r) => [r.id, r.outcomes]), [], 'each phase recorded once');
    assert.equal(mismatched.length, 0, `exports differ from the single-node run: ${JSON.stringify(mismatched.slice(0, 3))}`);
    t.diagnostic(`uploads of no task after the run (API node killed before the row), swept: ${orphansSeen}`);
    assert.deepEqual(left, [], 'no object left in the bucket, orphans swept');
    if (TASKS >= 100) assert.ok(kills.workers >= 3, `only ${kills.workers} worker kills`);
    await Promise.all(nodes.map((n) => n.stop()));
    await bucket.drop();
    await db.drop();
  } finally {
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    await rm(root, { recursive: true, force: true });
  }
});
