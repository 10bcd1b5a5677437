/**
 * @module The administration commands as a user runs them: the first run creates an
 * account and prints credentials (kept in the data folder, mode 0600), `demo --json`
 * installs the demo project once, `client create` and `user create` print what was
 * made, and bad configuration is reported whole.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
let dir: string;

function docket(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [MAIN, ...args], { env: { ...process.env, DOCKET_DATA_DIR: dir, LOG_LEVEL: 'warn', ...env } });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docket-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

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
  await assert.rejects(docket(['user', 'create', '--email', 'x@y.z', '--role', 'root']), /--role must be admin or user/);
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
