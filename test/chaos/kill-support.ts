/**
 * @module What the kill -9 chaos suite checks once the killing is over, for either
 * store: every task answered 202 is exported through the API and ends `completed`;
 * the store holds exactly those tasks, each under one Idempotency-Key (none lost, none
 * made twice by a retry whose first answer died with the API); the admin API's event
 * timeline of each shows one transition into `pending:start_client_action` for
 * `export` (processed to completion once, whatever the kills did to the runs) and no
 * `failed`; and the sweepers leave no file of a task under `tasks/` or `uploads/`.
 * A kill between an upload's blob write and its row's commit leaves an `uploads/`
 * file of a task that never existed; the sweeper removes those only after its
 * one-hour grace (an upload in progress is younger), so they are counted, checked to
 * belong to no task, and reported, not waited for.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocketProcess } from './database-procs.ts';
import { exportAll, REQUEST_BOUND_MS, type Client, type Load } from './database-load.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILL: no handler runs, nothing is flushed or closed; resolves once the process is gone. */
export async function kill9(p: DocketProcess): Promise<void> {
  if (p.exited !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGKILL');
  await gone;
}

/** Waits for `cond` with a generous deadline; `check` runs on every turn (a process that died unasked fails it). */
export async function until(what: string, cond: () => boolean | Promise<boolean>, deadlineMs: number, check: () => void): Promise<number> {
  const started = Date.now();
  while (!(await cond())) {
    check();
    if (Date.now() - started > deadlineMs) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

/** The store's own view, by SQL that both PostgreSQL and SQLite read alike. */
export interface StoreView {
  taskIds(): Promise<string[]>;
  /** Idempotency keys (per account) that name more than one task, and tasks that no key names. */
  keyAnomalies(): Promise<{ duplicated: number; unkeyed: number }>;
}

interface AdminTask {
  task: { state: string };
  attempts: number;
  events: { from_state: string | null; to_state: string; client_action: string | null; reason: string | null }[];
}

async function adminTask(c: Client, id: string): Promise<AdminTask> {
  const res = await fetch(`${c.url}/admin/tasks/${id}`, { headers: c.auth, signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
  assert.equal(res.status, 200, `GET /admin/tasks/${id}: ${res.status}`);
  return (await res.json()) as AdminTask;
}

async function files(blobs: string): Promise<{ folder: string; name: string }[]> {
  const lists = await Promise.all(['tasks', 'uploads'].map(async (folder) => (await readdir(join(blobs, folder)).catch(() => [] as string[])).map((name) => ({ folder, name }))));
  return lists.flat();
}

export async function settle(c: Client, load: Load, store: StoreView, blobs: string, check: () => void): Promise<Record<string, unknown>> {
  const ids = load.accepted;
  assert.equal(new Set(ids).size, ids.length, 'no task id was answered 202 twice');
  const started = Date.now();
  const final = await exportAll(c, ids, 120_000);
  const drainMs = Date.now() - started;
  for (const id of ids) assert.equal(final.get(id), 'completed', `task ${id} ends completed`);
  assert.deepEqual((await store.taskIds()).sort(), [...ids].sort(), 'the store holds exactly the tasks answered 202: none lost, none made twice');
  assert.deepEqual(await store.keyAnomalies(), { duplicated: 0, unkeyed: 0 }, 'one task per Idempotency-Key');
  const attempts: Record<string, number> = {};
  let leasesRecovered = 0;
  for (const id of ids) {
    const t = await adminTask(c, id);
    const path = t.events.map((e) => `${e.to_state}${e.client_action ? `(${e.client_action})` : ''}`).join(' → ');
    const exports = t.events.filter((e) => e.to_state === 'pending:start_client_action' && e.client_action === 'export').length;
    assert.equal(exports, 1, `task ${id} reached the export ${exports} times: ${path}`);
    assert.equal(t.events.filter((e) => e.to_state === 'completed').length, 1, `task ${id}: one final state: ${path}`);
    assert.ok(!t.events.some((e) => e.to_state === 'failed'), `task ${id} failed on the way: ${path}`);
    if (t.events.some((e) => e.reason?.startsWith('worker lease expired'))) leasesRecovered++;
    attempts[String(t.attempts)] = (attempts[String(t.attempts)] ?? 0) + 1;
  }
  const known = new Set(ids);
  const ofTasks = async () => (await files(blobs)).filter((f) => known.has(f.name));
  const purgeMs = await until('every task file purged', async () => (await ofTasks()).length === 0, 60_000, check).catch(async (err: Error) => {
    throw new Error(`${err.message}; left: ${(await ofTasks()).slice(0, 10).map((f) => `${f.folder}/${f.name}`).join(', ')}`);
  });
  const orphans = await files(blobs);
  assert.ok(orphans.every((f) => f.folder === 'uploads'), `only uploads of tasks never created may wait for the grace: ${orphans.map((f) => `${f.folder}/${f.name}`).join(', ')}`);
  const tmp = (await readdir(join(blobs, '.tmp')).catch(() => [])).length;
  return { tasks: ids.length, drain_and_export_ms: drainMs, purge_ms: purgeMs, attempts, tasks_requeued_after_a_lost_lease: leasesRecovered, orphan_uploads_awaiting_grace: orphans.length, tmp_files_awaiting_grace: tmp };
}
