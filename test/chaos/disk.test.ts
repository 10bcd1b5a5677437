/**
 * @module A full disk under a running `docket serve` (SQLite and blobs on a 32 MiB
 * tmpfs, a 4 MiB free-space floor): uploads are refused with 507 problems, never a
 * 400 or a 500, whether the floor stops them or ENOSPC does mid-stream; `/health`
 * reports the disk; the process never exits; and once the space is freed every task
 * that was accepted with 202 is processed and exported through the API: none is lost.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { makePdf, makePdfOfSize } from '../helpers/fixtures.ts';
import { client, fill, freeBytes, makeDir, mountTmpfs, REQUIRE_CHAOS, rm, startServe, tokenRequest, waitFor, type Json, type Mount, type Server } from './disk-setup.ts';

const MiB = 1024 * 1024;
const FLOOR = 4 * MiB;
const mount = await mountTmpfs(32);
const skip = typeof mount === 'string' && !REQUIRE_CHAOS ? mount : false;
let server: Server | null = null;

before(async () => {
  if (typeof mount === 'string') return;
  server = await startServe(await makeDir(join(mount.dir, 'data')), {
    DOCKET_MIN_FREE_BYTES: String(FLOOR), DOCKET_MIN_FREE_PERCENT: '100', DOCKET_WORKERS: '1', DOCKET_POLL_MS: '500',
  });
});
after(async () => {
  await server?.stop();
  if (typeof mount !== 'string') await mount.unmount();
});

/** Every answer to an upload, by status: 202 (accepted, id kept) or a refusal checked here. */
function tally() {
  const accepted: string[] = [];
  const statuses = new Map<number, number>();
  return {
    accepted,
    statuses,
    async add(res: Response): Promise<number> {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as Json;
      if (res.status === 202) accepted.push(body.id as string);
      else {
        assert.ok(res.status === 507 || res.status === 503, `a refused upload answers 507 or 503, not ${res.status}: ${JSON.stringify(body)}`);
        assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        assert.equal(body.type, res.status === 507 ? '/problems/insufficient_storage' : '/problems/unavailable');
        assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After tells when to try again');
      }
      return res.status;
    },
  };
}

async function health(url: string): Promise<{ status: number; disk: Json | undefined }> {
  const res = await fetch(`${url}/health`);
  const body = (await res.json()) as Json;
  return { status: res.status, disk: (body.checks as Json[] | undefined)?.find((c) => c.name === 'disk') };
}

test('a full disk refuses uploads with 507, keeps the process up and loses no accepted task', { skip, timeout: 600_000 }, async () => {
  assert.ok(typeof mount !== 'string' && server, `the suite needs a tmpfs: ${String(mount)}`);
  const m = mount as Mount;
  const s = server;
  const filler = join(m.dir, 'filler');
  const c = client(s.url);
  const proj = await c.api('/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Disk chaos', validation: { mode: 'never' } }) });
  assert.equal(proj.status, 201, await proj.clone().text());
  const projectId = ((await proj.json()) as Json).id as string;
  const pdf = new Uint8Array(await makePdf(1));
  const t = tally();
  const submit = async (n: number) => {
    const got: number[] = [];
    for (let i = 0; i < n; i++) got.push(await t.add(await c.upload(projectId, pdf)));
    return got;
  };

  // Room to spare: everything is accepted.
  assert.deepEqual(await submit(10), Array(10).fill(202));
  const { status: okStatus, disk: okDisk } = await health(s.url);
  assert.equal(okStatus, 200);
  assert.equal(okDisk?.ok, true, JSON.stringify(okDisk));

  // Above the floor but too little room for this upload: ENOSPC mid-stream is a 507, the temp file goes, no task.
  await fill(filler, FLOOR + 3 * MiB);
  const before = ((await (await c.api('/tasks?limit=1000')).json()) as Json).tasks.length as number;
  const big = await c.upload(projectId, new Uint8Array(await makePdfOfSize(12 * MiB)));
  const bigProblem = (await big.clone().json()) as Json;
  assert.equal(await t.add(big), 507, 'ENOSPC during an upload');
  assert.match(bigProblem.detail as string, /full/, 'ENOSPC, not the floor, refused it');
  assert.equal(((await (await c.api('/tasks?limit=1000')).json()) as Json).tasks.length, before, 'no task row for a failed upload');
  assert.deepEqual(await readdir(join(m.dir, 'data', 'blobs', '.tmp')), [], 'the temp file is removed');

  // Tasks accepted just before the disk fills up: the worker processes them on a full disk.
  assert.deepEqual(await submit(10), Array(10).fill(202));

  // Completely full: still 507s, a token request is not a 500, the process stays up.
  await fill(filler, 0);
  assert.ok((await freeBytes(m.dir)) < 64 * 1024, 'the disk is full');
  for (const status of await submit(5)) assert.equal(status, 507);
  const token = await tokenRequest(s.url);
  assert.ok([200, 503, 507].includes(token.status), `a token on a full disk: ${token.status} ${await token.text()}`);
  if (token.status !== 200) assert.ok(Number(token.headers.get('retry-after')) > 0);
  // /health's disk readings are cached for 1 s (store/free-space.ts): one taken just before the fill may still answer.
  await new Promise((r) => setTimeout(r, 1100));
  const full = await health(s.url);
  assert.equal(full.status, 503);
  assert.equal(full.disk?.ok, false);
  await new Promise((r) => setTimeout(r, 3000)); // the worker and the checkpointer meet the full disk
  assert.equal(s.exited(), null, `the server is still running:\n${s.output()}`);

  // Under the floor but not full: refused before a byte is read; /health says why.
  await truncate(filler, (await stat(filler)).size - FLOOR / 2);
  await new Promise((r) => setTimeout(r, 1100)); // the free-space reading is cached for 1 s
  for (const status of await submit(5)) assert.equal(status, 507);
  const low = await health(s.url);
  assert.equal(low.status, 503);
  assert.equal(low.disk?.ok, false);
  assert.match(low.disk?.detail as string, /floor/);

  // Space is back: uploads are taken again, and every accepted task finishes and is exported.
  await rm(filler, { force: true });
  await waitFor('/health to be 200 again', 30_000, async () => ((await health(s.url)).status === 200 ? true : undefined));
  assert.deepEqual(await submit(5), Array(5).fill(202));
  let exported = 0;
  for (const id of t.accepted) {
    const ready = await waitFor(`task ${id} to be ready for export`, 240_000, async () => {
      const task = await c.task(id);
      assert.notEqual(task.state, 'failed', `accepted task ${id} failed: ${JSON.stringify(task.error)}`);
      return task.state === 'pending:start_client_action' ? task : undefined;
    });
    assert.equal(ready.client_action, 'export');
    const spec = (await (await c.api(`/tasks/${id}/start_client_action?action=export`, { method: 'POST' })).json()) as Json;
    const original = (spec.files as Json[]).find((f) => f.content_type === 'application/pdf');
    assert.ok(original, JSON.stringify(spec));
    const download = await c.api(new URL(original.url as string).pathname);
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), pdf, 'the original comes back whole');
    const done = await c.api(`/tasks/${id}/complete_client_action?action=export`, { method: 'POST' });
    assert.equal(((await done.json()) as Json).state, 'completed');
    exported++;
  }
  const counts = { ...Object.fromEntries(t.statuses), token_on_full_disk: token.status };
  if (process.env.DOCKET_CHAOS_VERBOSE) process.stdout.write(s.output());
  process.stdout.write(`disk chaos: ${t.accepted.length} accepted, ${exported} exported, ${t.accepted.length - exported} lost; answers ${JSON.stringify(counts)}\n`);
  assert.equal(exported, t.accepted.length, '0 accepted tasks lost');
  assert.equal(t.statuses.get(400), undefined);
  assert.equal(t.statuses.get(500), undefined);
  assert.equal(s.exited(), null, `the server is still running:\n${s.output()}`);
});
