/**
 * @module The blob store failing under a running service, against a real Ceph RGW of
 * the test's own whose S3 gateway is stopped and started again mid-run (the objects
 * stay in the osd meanwhile): an upload while S3 is down answers 503
 * blob_store_unavailable with Retry-After and keeps nothing; /health names the store;
 * a task whose run hits the outage goes back to the queue and completes once S3 is
 * back; a task whose outage outlasts its attempts ends failed with
 * blob_store_unavailable; an object without a task row is swept.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startWorker, type WorkerHandle } from '../../src/worker/loop.ts';
import { createProcessor } from '../../src/pipeline/processor.ts';
import { sweepOrphans } from '../../src/worker/sweeper.ts';
import { uploadKey } from '../../src/core/task-files.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { makePdf } from '../helpers/fixtures.ts';
import { skipS3, startPrivateS3, type PrivateS3 } from '../helpers/s3.ts';

type Json = Record<string, unknown>;
const quiet = { info() {}, warn() {}, error() {} };

async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== null) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('S3 faults under a running service', async () => {
  const reason = await skipS3();
  let dir: string;
  let s3: PrivateS3;
  let s: TestService;
  let worker: WorkerHandle | null = null;
  const upload = async () => s.api(`/tasks?project_id=${s.demoProjectId}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await makePdf(1)) });
  const task = async (id: string) => (await (await s.api(`/tasks/${id}`)).json()) as Json;
  const startTestWorker = () => {
    worker = startWorker({
      tasks: s.rt.store.tasks, projects: s.rt.store.projects, blobs: s.rt.blobs, process: createProcessor({ blobs: s.rt.blobs, engines: s.services.engines }),
      notifier: s.rt.store.notifier, clock: Date.now, log: quiet, workerId: `w-${randomBytes(3).toString('hex')}`, concurrency: 1,
      leaseMs: 30_000, pollMs: 100, maxAttempts: 3, retry: { baseMs: 500, maxMs: 2000 },
    });
  };

  before(async () => {
    if (reason) return;
    dir = await mkdtemp(join(tmpdir(), 'docket-s3-faults-'));
    s3 = await startPrivateS3(join(dir, 'ceph'), 11);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: s3.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: s3.env.AWS_SECRET_ACCESS_KEY });
    s = await startTestService('sqlite', {
      DOCKET_BLOB_URL: 's3://docket-faults/site', DOCKET_S3_ENDPOINT: s3.env.DOCKET_S3_ENDPOINT, DOCKET_S3_FORCE_PATH_STYLE: '1',
      DOCKET_S3_CREATE_BUCKET: '1', DOCKET_WORKERS: '0', DOCKET_SCRATCH_DIR: join(dir, 'scratch'),
    });
  });
  after(async () => {
    if (reason) return;
    await worker?.stop();
    await s3.rgwStart().catch(() => undefined);
    await s.close();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('an upload while S3 is down: 503 with Retry-After, nothing kept; a run in the outage is retried and completes after', { skip: reason }, async () => {
    await s3.rgwStart();
    const first = await upload();
    assert.equal(first.status, 202);
    const id = ((await first.json()) as Json).id as string;
    await s3.rgwStop();
    const down = await upload();
    assert.equal(down.status, 503, await down.clone().text());
    assert.equal(down.headers.get('retry-after'), '10');
    const problem = (await down.json()) as Json;
    assert.equal(problem.type, '/problems/blob_store_unavailable');
    const health = await s.api('/health', { token: null });
    assert.equal(health.status, 503);
    assert.equal((((await health.json()) as Json).checks as Json[]).find((c) => c.name === 'blob_store')?.ok, false);
    const listed = (await (await s.api(`/tasks?project_id=${s.demoProjectId}`)).json()) as Json;
    assert.equal(JSON.stringify(listed).match(/"id":"/g)?.length ?? 0, 1, 'only the task made before the outage exists');

    startTestWorker();
    const requeued = await waitFor('a retry', async () => {
      const t = await s.rt.store.tasks.getById(id);
      return t && t.state === 'queued' && t.attempts >= 1 ? t : null;
    });
    assert.ok(requeued.not_before !== null && requeued.not_before > 0);
    await s3.rgwStart();
    const settled = await waitFor('the task to settle', async () => {
      const t = await task(id);
      return t.state === 'completed' || t.state === 'pending:start_client_action' ? t : null;
    });
    assert.equal(settled.error ?? null, null);
  });

  test('an outage longer than the attempts ends the task failed with blob_store_unavailable', { skip: reason }, async () => {
    await worker?.stop();
    worker = null;
    await s3.rgwStart();
    const res = await upload();
    const id = ((await res.json()) as Json).id as string;
    await s3.rgwStop();
    startTestWorker();
    let last: Json = {};
    const failed = await waitFor('the task to fail', async () => {
      last = await task(id);
      return last.state === 'failed' ? last : null;
    }, 40_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(last)}`);
    });
    assert.equal((failed.error as Json).code, 'blob_store_unavailable');
    assert.match((failed.error as Json).message as string, /after 3 attempts/);
    await s3.rgwStart();
  });

  test('an object whose task row was never written is swept', { skip: reason }, async () => {
    await s3.rgwStart();
    const key = uploadKey('orphan0000000000');
    await s.rt.blobs.put(key, Buffer.from('%PDF-1.4 orphan'));
    await new Promise((r) => setTimeout(r, 1100));
    const removed = await sweepOrphans({
      tasks: s.rt.store.tasks, accounts: s.rt.store.accounts, blobs: s.rt.blobs, notifier: s.rt.store.notifier, clock: Date.now, log: quiet,
      maxAttempts: 3, retentionMs: 3_600_000, orphanGraceMs: 1000,
    });
    assert.ok(removed >= 1);
    assert.equal(await s.rt.blobs.exists(key), false);
  });
});
