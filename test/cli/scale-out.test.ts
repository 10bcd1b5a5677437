/**
 * @module Scale-out on PostgreSQL with real processes: an API-only `docket serve`
 * (DOCKET_WORKERS=0) and a separate `docket worker` share the database and the blob
 * folder. Tasks uploaded to the API are processed by the worker, woken through
 * LISTEN/NOTIFY; tasks queued while no worker runs are picked up when one starts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { createTestDatabase, skipPostgres, type TestDatabase } from '../helpers/stores.ts';
import { makePdf } from '../helpers/fixtures.ts';

const skip = await skipPostgres();
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
let db: TestDatabase;
let server: ServerHandle;
let worker: ChildProcess | null = null;

function startWorker(): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, 'worker'], {
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: db.databaseUrl, DOCKET_DATA_DIR: server.dataDir, DOCKET_WORKERS: '2', DOCKET_POLL_MS: '600000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('worker started')) resolvePromise(child);
    });
    child.stderr!.on('data', (d: Buffer) => void (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
  });
}

async function stopWorker(): Promise<void> {
  if (!worker) return;
  const w = worker;
  worker = null;
  const exited = new Promise((r) => w.once('exit', r));
  w.kill('SIGTERM');
  await exited;
}

before(async () => {
  if (skip) return;
  db = await createTestDatabase('postgres');
  server = await startServer({ env: { DATABASE_URL: db.databaseUrl as string, DOCKET_WORKERS: '0', DOCKET_POLL_MS: '600000' } });
});
after(async () => {
  await stopWorker();
  await server?.dispose();
  await db?.drop();
});

test('an API-only server and a separate worker process share the work', { skip }, async () => {
  const tokenRes = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: server.clientId, client_secret: server.clientSecret }) });
  const auth = { authorization: `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}` };
  const proj = await fetch(`${server.url}/projects`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Scale-out', validation: { mode: 'never' } }) });
  const projectId = ((await proj.json()) as { id: string }).id;
  const pdf = new Uint8Array(await makePdf(1));
  const upload = async () => ((await (await fetch(`${server.url}/tasks?project_id=${projectId}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/pdf' }, body: pdf })).json()) as { id: string }).id;
  const state = async (id: string) => ((await (await fetch(`${server.url}/tasks/${id}`, { headers: auth })).json()) as { state: string }).state;
  const waitFor = async (id: string, want: string) => {
    for (let i = 0; i < 600 && (await state(id)) !== want; i++) await new Promise((r) => setTimeout(r, 50));
    return state(id);
  };

  const early = await upload();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await state(early), 'queued', 'no worker runs yet, and the API process processes nothing');
  worker = await startWorker();
  assert.equal(await waitFor(early, 'pending:start_client_action'), 'pending:start_client_action');
  // The worker polls only every 10 minutes here: only LISTEN/NOTIFY can wake it this fast.
  const ids = await Promise.all([upload(), upload(), upload()]);
  for (const id of ids) assert.equal(await waitFor(id, 'pending:start_client_action'), 'pending:start_client_action');
});
