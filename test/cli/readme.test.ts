/**
 * @module Runs the README's curl walkthrough, as written, against a real `docket
 * serve` process, from the repository's root as the README says: once as a newcomer
 * runs it (no FILE: it generates the sample invoice), once with FILE naming a file of
 * one's own whose name needs form encoding. Its outputs go to OUT (in the README,
 * the git-ignored `walkthrough/`). If the README drifts from the API, this fails.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { makePdf } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
let server: ServerHandle;
let dir: string;

before(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), 'docket-readme-'));
});
after(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function walkthrough(env: Record<string, string>): Promise<{ taskId: string; exported: string[]; stdout: string }> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1];
  assert.ok(block, 'the README has a walkthrough block');
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}` };
  delete base.FILE;
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], {
    cwd: ROOT,
    env: { ...base, DOCKET_URL: server.url, CLIENT_ID: server.clientId, CLIENT_SECRET: server.clientSecret, ...env },
    timeout: 120_000,
  });
  const lines = stdout.trim().split('\n');
  const taskId = /^task (\S+) created$/.exec(lines[0] ?? '')?.[1];
  assert.ok(taskId, stdout);
  assert.equal(lines[1], 'export');
  assert.deepEqual(lines.slice(-2), ['completed', 'completed']);
  const blobs = await readdir(join(server.dataDir, 'blobs', 'tasks')).catch(() => [] as string[]);
  assert.equal(blobs.includes(taskId), false, 'the task\'s blob folder is gone');
  const uploads = await readdir(join(server.dataDir, 'blobs', 'uploads')).catch(() => [] as string[]);
  assert.equal(uploads.includes(taskId), false, 'the uploaded file is gone');
  return { taskId, exported: await readdir(join(env.OUT!, 'export')), stdout };
}

test('the README walkthrough runs as written: no FILE, so it sends the sample invoice it generates', async () => {
  const out = join(dir, 'default');
  const { exported } = await walkthrough({ OUT: out });
  assert.ok(exported.includes('sample-invoice.pdf'), exported.join(','));
  assert.ok(exported.some((f) => f.endsWith('.json')), exported.join(','));
  const sample = await readFile(join(out, 'sample-invoice.pdf'));
  assert.match(sample.subarray(0, 5).toString(), /^%PDF-/);
  assert.deepEqual(await readFile(join(out, 'export', 'sample-invoice.pdf')), sample, 'the original comes back byte for byte');
  assert.ok((await readdir(out)).includes('spec.json'), 'the walkthrough writes under OUT');
});

test('the README walkthrough sends FILE when it is set, its name form-encoded in the tags', async () => {
  const out = join(dir, 'own');
  const pdf = await makePdf(1);
  const file = join(dir, 'scan 100% + more.pdf');
  await writeFile(file, pdf);
  const { taskId, exported } = await walkthrough({ OUT: out, FILE: file });
  assert.ok(taskId);
  assert.ok(exported.some((f) => f.endsWith('.json')), exported.join(','));
  const original = exported.find((f) => f.endsWith('.pdf'));
  assert.ok(original, exported.join(','));
  assert.deepEqual(await readFile(join(out, 'export', original)), pdf);
  assert.equal((await readdir(out)).includes('sample-invoice.pdf'), false, 'no sample made when FILE is set');
});
