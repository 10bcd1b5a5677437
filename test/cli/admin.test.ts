/**
 * @module The administration commands as a user runs them: the first run creates an
 * account and prints credentials (kept in the data folder, mode 0600), `demo --json`
 * installs the demo project once, `client create` and `user create` print what was
 * made, and bad configuration is reported whole.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, readFile, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL, skipPostgres } from '../helpers/stores.ts';

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
let dir: string;

function docket(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [MAIN, ...args], { env: { ...process.env, DOCKET_DATA_DIR: dir, LOG_LEVEL: 'warn', ...env } });
}

async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'docket-cli-'));
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docket-cli-'));
});
after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

test('the first run prints credentials once and keeps a private copy', async () => {
  const first = await docket(['migrate']);
  assert.match(first.stdout, /schema up to date \(sqlite\)/);
  const demo = await docket(['demo']);
  assert.match(demo.stdout, /API client_id: +docket-/);
  assert.match(demo.stdout, /API client_secret: +\S{20,}/);
  assert.match(demo.stdout, /portal login: +admin@docket\.local \/ \S+/);
  const copy = await stat(join(dir, 'initial-credentials.txt'));
  assert.equal(copy.mode & 0o777, 0o600);
  assert.match(await readFile(join(dir, 'initial-credentials.txt'), 'utf8'), /client_secret/);
  const again = await docket(['demo', '--json']);
  assert.doesNotMatch(again.stdout, /client_secret/);
  const { project_id } = JSON.parse(again.stdout) as { project_id: string };
  assert.match(project_id, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(JSON.parse((await docket(['demo', '--json'])).stdout).project_id, project_id, 'installed once');
});

test('client create and user create print what they made; bad input is refused', async () => {
  const client = JSON.parse((await docket(['client', 'create', '--name', 'erp', '--json'])).stdout) as Record<string, string>;
  assert.match(client.client_id!, /^docket-/);
  assert.ok(client.client_secret!.length >= 32);
  const user = JSON.parse((await docket(['user', 'create', '--email', 'Val@Example.com', '--role', 'user', '--json'])).stdout) as Record<string, string>;
  assert.equal(user.email, 'val@example.com');
  assert.equal(user.role, 'user');
  assert.ok(user.password!.length >= 10);
  await assert.rejects(docket(['user', 'create', '--email', 'val@example.com']), /exists already/);
  await assert.rejects(docket(['user', 'create', '--email', 'x@y.z', '--role', 'root']), /--role: must be one of admin, user/);
});

test('configuration problems are reported together', async () => {
  await assert.rejects(docket(['migrate'], { PORT: 'abc', DATABASE_URL: 'mysql://x', DOCKET_BOOTSTRAP_CLIENT_ID: 'only-id' }), (err: Error & { stderr: string }) => {
    assert.match(err.stderr, /PORT=abc/);
    assert.match(err.stderr, /DATABASE_URL/);
    assert.match(err.stderr, /DOCKET_BOOTSTRAP_CLIENT_ID and DOCKET_BOOTSTRAP_CLIENT_SECRET/);
    return true;
  });
  await assert.rejects(docket(['frobnicate']), /usage: docket/);
});

test('demo --json on an empty data folder: JSON on stdout, credentials on stderr and in a 0600 file', async () => {
  const data = await freshDir();
  try {
    const out = await docket(['demo', '--json'], { DOCKET_DATA_DIR: data });
    assert.match(JSON.parse(out.stdout).project_id, /^[A-Za-z0-9_-]{22}$/, 'stdout is one JSON document');
    assert.match(out.stderr, /API client_secret: +\S{20,}/);
    assert.match(out.stderr, /portal login: +admin@docket\.local \/ \S+/);
    const saved = await readFile(join(data, 'initial-credentials.txt'), 'utf8');
    assert.match(saved, /client_secret/);
    assert.equal(await mode(join(data, 'initial-credentials.txt')), 0o600);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});

test('the data folder is 0700 and its files 0600, an older 0755/0644 one is fixed, and a 0644 credentials file becomes 0600', async () => {
  const data = await freshDir();
  try {
    await chmod(data, 0o755);
    await writeFile(join(data, 'initial-credentials.txt'), 'old\n', { mode: 0o644 });
    await chmod(join(data, 'initial-credentials.txt'), 0o644);
    await docket(['demo'], { DOCKET_DATA_DIR: data });
    assert.equal(await mode(data), 0o700);
    assert.equal(await mode(join(data, 'initial-credentials.txt')), 0o600);
    assert.match(await readFile(join(data, 'initial-credentials.txt'), 'utf8'), /client_secret/);
    assert.equal(await mode(join(data, 'docket.db')), 0o600);
    // An existing folder and database from before, opened to everyone, are closed at the next start.
    await chmod(data, 0o755);
    await chmod(join(data, 'docket.db'), 0o644);
    await mkdir(join(data, 'blobs'), { recursive: true });
    await chmod(join(data, 'blobs'), 0o755);
    await docket(['migrate'], { DOCKET_DATA_DIR: data });
    assert.equal(await mode(data), 0o700);
    assert.equal(await mode(join(data, 'docket.db')), 0o600);
    assert.equal(await mode(join(data, 'blobs')), 0o700);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});

test('account create makes a second tenant and prints its secrets once; bad input is refused', async () => {
  const made = JSON.parse((await docket(['account', 'create', '--name', 'Second Co', '--admin-email', 'Boss@Second.example', '--json'])).stdout) as Record<string, string>;
  assert.equal(made.name, 'Second Co');
  assert.equal(made.admin_email, 'boss@second.example');
  assert.ok(made.admin_password!.length >= 10);
  assert.match(made.client_id!, /^docket-/);
  assert.ok(made.client_secret!.length >= 32);
  assert.match(made.account_id!, /^[A-Za-z0-9_-]{22}$/);
  const text = (await docket(['account', 'create', '--name', 'Third', '--admin-email', 'third@example.com'])).stdout;
  assert.match(text, /admin_password: \S{10,}/);
  // E-mails are unique per account, not across them (docs/authorization.md): the same admin address makes another account.
  const again = JSON.parse((await docket(['account', 'create', '--name', 'Again', '--admin-email', 'boss@second.example', '--json'])).stdout) as Record<string, string>;
  assert.notEqual(again.account_id, made.account_id);
  // A missing option is wrong usage (exit 2); a value the account refuses is reported whole (exit 1), without a stack trace.
  await assert.rejects(docket(['account', 'create', '--admin-email', 'nobody']), (err: Error & { stderr: string; code: number }) => {
    assert.equal(err.code, 2);
    assert.match(err.stderr, /--name: required/);
    return true;
  });
  await assert.rejects(docket(['account', 'create', '--name', ' ', '--admin-email', 'nobody']), (err: Error & { stderr: string; code: number }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /--name: required/);
    assert.match(err.stderr, /--admin-email: required: an email address/);
    assert.doesNotMatch(err.stderr, /\n\s+at /);
    return true;
  });
});

test('docket worker started first on an empty PostgreSQL prints and saves the credentials', { skip: await skipPostgres() }, async () => {
  // A database of its own rather than a schema: Kysely's migrator looks for its tables in
  // every schema of the database, so another suite's schema would hide a missing one here.
  const name = `docket_first_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const db = { dataDir: await freshDir(), databaseUrl: url.toString() };
  try {
    const child = spawn(process.execPath, [MAIN, 'worker'], {
      env: { ...process.env, DOCKET_DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl!, LOG_LEVEL: 'warn', DOCKET_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => void (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => void (out += c.toString()));
    const started = await new Promise<boolean>((resolvePromise) => {
      const timer = setTimeout(() => resolvePromise(false), 60_000);
      child.stdout!.on('data', () => {
        if (/worker started/.test(out)) {
          clearTimeout(timer);
          resolvePromise(true);
        }
      });
      child.once('exit', () => resolvePromise(false));
    });
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    assert.ok(started, out);
    assert.match(out, /API client_secret: +\S{20,}/);
    assert.match(out, /portal login: +admin@docket\.local/);
    assert.equal(await mode(join(db.dataDir, 'initial-credentials.txt')), 0o600);
    assert.equal(await mode(db.dataDir), 0o700);
  } finally {
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
    await rm(db.dataDir, { recursive: true, force: true });
  }
});
