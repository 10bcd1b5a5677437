/**
 * @module bench/store: CPU time of an upload's three database calls (token lookup,
 * project lookup, task insert with its event) through docket's SQLite store, against
 * the same statements as raw `node:sqlite` prepared statements on a copy of the same
 * schema, measured in the same run. The ratio says what the store's layers (Kysely,
 * the adapter, row mapping) cost on the ingest hot path (bench/ingest).
 *
 *   node bench/store.ts [--rounds 5] [--count 2000]
 */
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/connect.ts';
import { newId } from '../src/core/ids.ts';
import { hashToken } from '../src/core/secrets.ts';
import { demoProject } from '../src/core/demo-project.ts';
import { parseProject } from '../src/core/project.ts';
import { arg, median } from './lib.ts';

const rounds = arg('rounds', 5);
const count = arg('count', 2000);
const TAGS = { task_name: 'AB3947853', file_name: '00001.pdf', file_path: 'C:\\inbox' };

async function cpuPerCall(one: () => unknown): Promise<number[]> {
  for (let i = 0; i < 300; i++) await one();
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < count; i++) await one();
    const u = process.cpuUsage(t0);
    out.push((u.user + u.system) / count);
  }
  return out;
}

const parsed = parseProject(demoProject());
if (!parsed.ok) throw new Error('the demo project does not parse');
const dir = await mkdtemp(join(tmpdir(), 'docket-bench-store-'));
const rawDir = await mkdtemp(join(tmpdir(), 'docket-bench-raw-'));
try {
  const store = await openStore({ dataDir: dir });
  const account = newId();
  const projectId = newId();
  const now = Date.now();
  await store.accounts.createAccount(account, 'bench', now);
  await store.accounts.saveToken({ token_hash: hashToken('bench-token'), principal: { account_id: account, kind: 'client', subject: 'c', role: 'admin' }, expires_at: now + 1e9, now });
  await store.projects.create({ id: projectId, account_id: account, project: parsed.project, now });

  const docket = await cpuPerCall(async () => {
    const principal = await store.accounts.findToken(hashToken('bench-token'), Date.now());
    const project = await store.projects.get(principal!.account_id, projectId);
    const id = newId();
    await store.tasks.create({ id, account_id: account, project: project!, name: 'AB3947853', tags: TAGS, file_key: `uploads/${id}`, file_size: 204800, file_sha256: 'ab'.repeat(32), idempotency_key: null, now: Date.now() });
  });
  await store.close();

  // The baseline: the same schema (made by the store's migrations), the same rows, plain prepared statements.
  const seeded = await openStore({ dataDir: rawDir });
  await seeded.accounts.createAccount(account, 'bench', now);
  await seeded.accounts.saveToken({ token_hash: hashToken('bench-token'), principal: { account_id: account, kind: 'client', subject: 'c', role: 'admin' }, expires_at: now + 1e9, now });
  await seeded.projects.create({ id: projectId, account_id: account, project: parsed.project, now });
  await seeded.close();
  const db = new DatabaseSync(join(rawDir, 'docket.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
  const token = db.prepare('select * from tokens where token_hash = ? and expires_at > ?');
  const project = db.prepare('select projects.*, project_versions.project_json from projects join project_versions on project_versions.project_id = projects.id and project_versions.version = projects.version where projects.deleted_at is null and projects.id = ? and projects.account_id = ?');
  const insert = db.prepare(`insert into tasks (id, account_id, project_id, project_version, project_name, name, tags_json, state, client_action, phase, file_key, file_size, file_sha256, documents_count, attempts, lease_owner, lease_expires_at, deadline_at, client_action_timeout_ms, error_code, error_message, created_at, updated_at, finished_at, purged_at) values (?, ?, ?, 1, 'demo', ?, ?, 'queued', null, 'capture', ?, 204800, ?, 0, 0, null, null, null, 3600000, null, null, ?, ?, null, null)`);
  const event = db.prepare(`insert into task_events (task_id, from_state, to_state, client_action, actor, reason, at) values (?, null, 'queued', null, 'api', 'created', ?)`);
  const raw = await cpuPerCall(() => {
    const t = token.get(hashToken('bench-token'), Date.now()) as { account_id: string };
    project.get(projectId, t.account_id);
    const id = newId();
    const at = Date.now();
    db.exec('BEGIN');
    insert.run(id, account, projectId, 'AB3947853', JSON.stringify(TAGS), `uploads/${id}`, 'ab'.repeat(32), at, at);
    event.run(id, at);
    db.exec('COMMIT');
  });
  db.close();

  const d = median(docket);
  const b = median(raw);
  console.log(`bench/store: an upload's database calls on SQLite, CPU µs per upload (median of ${rounds} × ${count})`);
  console.log(`  docket store (Kysely, prepared)  : ${d.toFixed(0)} µs   [${docket.map((x) => x.toFixed(0)).join(' ')}]`);
  console.log(`  raw node:sqlite statements       : ${b.toFixed(0)} µs   [${raw.map((x) => x.toFixed(0)).join(' ')}]`);
  console.log(`  ratio docket/raw                 : ${(d / b).toFixed(2)} (lower is better; the raw calls do not parse the project JSON)`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await rm(rawDir, { recursive: true, force: true });
}
