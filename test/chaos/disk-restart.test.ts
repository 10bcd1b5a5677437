/**
 * @module `docket serve` started again on a data folder whose disk filled up while it
 * was down (a 24 MiB tmpfs). With no block free it exits at once with a message that
 * names the full disk (SQLite cannot open a WAL database there). With a little room,
 * under the floor, it starts: `/health` answers 503 with the disk check saying why (not
 * a 200 while tokens fail), a token request and an upload get no 500, and once space
 * is freed everything answers normally and the tasks accepted before are all there.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { makePdf } from '../helpers/fixtures.ts';
import { client, fill, freeBytes, makeDir, mountTmpfs, REQUIRE_CHAOS, rm, startServe, tokenRequest, waitFor, type Json, type Server } from './disk-setup.ts';

const mount = await mountTmpfs(24);
const skip = typeof mount === 'string' && !REQUIRE_CHAOS ? mount : false;
let server: Server | null = null;

after(async () => {
  await server?.stop();
  if (typeof mount !== 'string') await mount.unmount();
});

test('a restart on a full disk stops with a clear message, or starts and tells the truth', { skip, timeout: 300_000 }, async () => {
  assert.ok(typeof mount !== 'string', `the suite needs a tmpfs: ${String(mount)}`);
  const data = await makeDir(join(mount.dir, 'data'));
  const filler = join(mount.dir, 'filler');
  // API only: this suite is about starting and answering, not about processing.
  const env = { DOCKET_MIN_FREE_BYTES: String(2 * 1024 * 1024), DOCKET_MIN_FREE_PERCENT: '100', DOCKET_WORKERS: '0' };
  server = await startServe(data, env);
  let c = client(server.url);
  const proj = await c.api('/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Restart', validation: { mode: 'never' } }) });
  const projectId = ((await proj.json()) as Json).id as string;
  const pdf = new Uint8Array(await makePdf(1));
  const accepted: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await c.upload(projectId, pdf);
    assert.equal(res.status, 202);
    accepted.push(((await res.json()) as Json).id as string);
  }
  await server.stop();
  await fill(filler, 0);
  assert.ok((await freeBytes(mount.dir)) < 64 * 1024, 'the disk is full');

  // Not one block free: SQLite cannot even size its WAL index, so the server stops at once and says why.
  const refused = await startServe(data, env).then(() => null, (err: Error) => err.message);
  assert.ok(refused, 'docket serve does not run on a disk with no space at all');
  assert.match(refused, /cannot open the database in .*: the disk is full .*ENOSPC.*Free some space/);

  // Some space, under the floor: it starts; /health says 503 and why; uploads are refused, not lost.
  await truncate(filler, (await stat(filler)).size - 1024 * 1024);
  server = await startServe(data, env);
  const health = await fetch(`${server.url}/health`);
  const body = (await health.json()) as Json;
  assert.equal(health.status, 503, JSON.stringify(body));
  const disk = (body.checks as Json[]).find((ch) => ch.name === 'disk');
  assert.equal(disk?.ok, false);
  assert.match(disk?.detail as string, /floor/);
  const token = await tokenRequest(server.url);
  assert.ok([200, 503, 507].includes(token.status), `a token under the floor: ${token.status} ${await token.text()}`);
  if (token.status !== 200) assert.ok(Number(token.headers.get('retry-after')) > 0);
  else {
    c = client(server.url);
    const upload = await c.upload(projectId, pdf);
    assert.equal(upload.status, 507, await upload.clone().text());
    assert.equal(((await upload.json()) as Json).type, '/problems/insufficient_storage');
  }
  assert.equal(server.exited(), null, server.output());

  await rm(filler, { force: true });
  await waitFor('/health to be 200', 30_000, async () => ((await fetch(`${server!.url}/health`)).status === 200 ? true : undefined));
  assert.equal((await tokenRequest(server.url)).status, 200);
  c = client(server.url);
  for (const id of accepted) assert.equal((await c.task(id)).state, 'queued', `task ${id} is still there`);
  const again = await c.upload(projectId, pdf);
  assert.equal(again.status, 202);
});
