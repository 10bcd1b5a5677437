/**
 * @module Runs the README's curl walkthrough, as written, against a real `docket
 * serve` process: if the README drifts from the API, this fails.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { makePdf } from '../helpers/fixtures.ts';

const run = promisify(execFile);
let server: ServerHandle;
let dir: string;

before(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), 'docket-readme-'));
});
after(async () => {
  await server?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('the README walkthrough runs as written', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1];
  assert.ok(block, 'the README has a walkthrough block');
  const pdf = await makePdf(1);
  await writeFile(join(dir, '00001.pdf'), pdf);
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], {
    cwd: dir,
    env: { ...process.env, DOCKET_URL: server.url, CLIENT_ID: server.clientId, CLIENT_SECRET: server.clientSecret },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  const taskId = /^task (\S+) created$/.exec(lines[0] ?? '')?.[1];
  assert.ok(taskId, stdout);
  assert.equal(lines[1], 'export');
  assert.deepEqual(lines.slice(-2), ['completed', 'completed']);
  const exported = await readdir(join(dir, 'export'));
  assert.ok(exported.includes('00001.pdf'), exported.join(','));
  assert.ok(exported.some((f) => f.endsWith('.json')), exported.join(','));
  assert.deepEqual(await readFile(join(dir, 'export', '00001.pdf')), pdf);
  const blobs = await readdir(join(server.dataDir, 'blobs', 'tasks')).catch(() => [] as string[]);
  assert.equal(blobs.includes(taskId), false, 'the task\'s blob folder is gone');
  const uploads = await readdir(join(server.dataDir, 'blobs', 'uploads')).catch(() => [] as string[]);
  assert.equal(uploads.includes(taskId), false, 'the uploaded file is gone');
});
