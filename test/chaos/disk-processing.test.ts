/**
 * @module Tasks processed while the disk is full (a 32 MiB tmpfs filled to the last
 * block with a queue of multi-page PDFs waiting): every write of the worker meets
 * ENOSPC or SQLITE_FULL for a good while, long enough to spend every attempt many
 * times over. ENOSPC is a fault of the environment, not of the document: no task may
 * fail or be purged for it. Once space is freed, every task accepted with 202 is
 * processed and exported through the API, and the process never exited.
 *
 * Needs the worker's transient-fault retry (`src/core/faults.ts`): without it the
 * tasks fail `processing_error` after their attempts, so the suite skips until it is
 * there.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join, resolve } from 'node:path';
import { makePdf } from '../helpers/fixtures.ts';
import { client, fill, makeDir, mountTmpfs, REQUIRE_CHAOS, rm, startServe, waitFor, type Json, type Server } from './disk-setup.ts';

const FAULTS = resolve(import.meta.dirname, '../../src/core/faults.ts');
const retry = existsSync(FAULTS) || process.env.DOCKET_CHAOS_FORCE === '1';
const mount = retry ? await mountTmpfs(32) : 'needs the transient-fault retry of src/core/faults.ts';
const skip = !retry ? (mount as string) : typeof mount === 'string' && !REQUIRE_CHAOS ? mount : false;
/** How long the disk stays full: many times the few seconds three quick attempts take. */
const FULL_MS = 15_000;
let server: Server | null = null;

before(async () => {
  if (skip || typeof mount === 'string') return;
  server = await startServe(await makeDir(join(mount.dir, 'data')), {
    DOCKET_MIN_FREE_BYTES: String(1024 * 1024), DOCKET_MIN_FREE_PERCENT: '100', DOCKET_WORKERS: '1', DOCKET_POLL_MS: '200',
  });
});
after(async () => {
  await server?.stop();
  if (typeof mount !== 'string') await mount.unmount();
});

test('ENOSPC while processing puts tasks back in the queue; none is failed or lost', { skip, timeout: 600_000 }, async () => {
  assert.ok(typeof mount !== 'string' && server, `the suite needs a tmpfs: ${String(mount)}`);
  const s = server;
  const filler = join(mount.dir, 'filler');
  const c = client(s.url);
  const proj = await c.api('/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Full disk processing', validation: { mode: 'never' } }) });
  const projectId = ((await proj.json()) as Json).id as string;
  const pdf = new Uint8Array(await makePdf(12));
  const accepted: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await c.upload(projectId, pdf);
    assert.equal(res.status, 202, await res.clone().text());
    accepted.push(((await res.json()) as Json).id as string);
  }
  // A server that has run a while has room inside its database files: free pages and a
  // WAL that is written again from its start after each checkpoint. So on a full disk
  // SQLite still commits (a task is claimed) while every blob write fails with ENOSPC.
  const side = new DatabaseSync(join(mount.dir, 'data', 'docket.db'));
  side.exec('PRAGMA busy_timeout = 5000; CREATE TABLE chaos_room (x BLOB); INSERT INTO chaos_room VALUES (zeroblob(4194304)); DROP TABLE chaos_room; PRAGMA wal_checkpoint(PASSIVE)');
  side.close();
  await fill(filler, 0);
  const states = new Map<string, string>();
  const until = Date.now() + FULL_MS;
  while (Date.now() < until) {
    for (const id of accepted) {
      const res = await c.api(`/tasks/${id}`);
      assert.ok(res.status === 200, `reading a task on a full disk: ${res.status}`);
      const task = (await res.json()) as Json;
      assert.notEqual(task.state, 'failed', `task ${id} failed on a full disk: ${JSON.stringify(task.error)}`);
      states.set(id, task.state as string);
    }
    assert.equal(s.exited(), null, `the server is still running:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const waiting = [...states.values()].filter((st) => st === 'queued' || st === 'running').length;
  assert.ok(waiting > 0, 'some tasks met the full disk (otherwise this suite proved nothing)');

  await rm(filler, { force: true });
  let exported = 0;
  for (const id of accepted) {
    await waitFor(`task ${id} to be ready for export`, 300_000, async () => {
      const task = await c.task(id);
      assert.notEqual(task.state, 'failed', `task ${id} failed: ${JSON.stringify(task.error)}`);
      return task.state === 'pending:start_client_action' ? true : undefined;
    });
    assert.equal((await c.api(`/tasks/${id}/start_client_action?action=export`, { method: 'POST' })).status, 200);
    const done = await c.api(`/tasks/${id}/complete_client_action?action=export`, { method: 'POST' });
    assert.equal(((await done.json()) as Json).state, 'completed');
    exported++;
  }
  process.stdout.write(`disk processing: ${accepted.length} accepted, ${waiting} waiting on the full disk, ${exported} exported, ${accepted.length - exported} lost\n`);
  assert.equal(exported, accepted.length, '0 accepted tasks lost');
  assert.equal(s.exited(), null, `the server is still running:\n${s.output()}`);
});
