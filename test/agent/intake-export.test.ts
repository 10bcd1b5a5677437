/**
 * @module End to end with the real server: 200 files dropped into a watched inbox —
 * PDFs, TIFFs, unsupported files and files still being written when first seen —
 * give exactly one task each, every export written whole, originals moved, and
 * failures in the error folder with their reasons.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/server.ts';
import { agentArgs, allTasks, createProject, dropAll, exited, expectedFolders, files, plan, startAgent, waitFor } from './support.ts';

test('200 files: one task each, every export written, originals moved, failures explained', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-agent-e2e-'));
  const server = await startServer();
  const lines: string[] = [];
  const projectId = await createProject(server, 'name: Intake\nvalidation: { mode: never }\n');
  const agent = startAgent(agentArgs(server, projectId, dir), (l) => lines.push(l));
  try {
    const drops = plan(200, 'scan');
    const bytes = await dropAll(join(dir, 'inbox'), drops, 1500);
    const want = expectedFolders(drops);
    await waitFor('every file handled and exported', async () =>
      (await files(join(dir, 'done'))).length === want.done.length &&
      (await files(join(dir, 'error'))).length === want.error.length &&
      (await files(join(dir, 'export'))).length === want.export.length, 150_000);
    assert.deepEqual(await files(join(dir, 'inbox')), []);
    assert.deepEqual(await files(join(dir, 'done')), want.done);
    assert.deepEqual(await files(join(dir, 'error')), want.error);
    assert.deepEqual(await files(join(dir, 'export')), want.export);
    const tasks = await allTasks(server, projectId);
    assert.equal(tasks.length, drops.length, 'exactly one task per file');
    assert.deepEqual(tasks.map((t) => t.tags.file_name).sort(), drops.map((d) => d.name).sort());
    for (const t of tasks) assert.equal(t.state, t.tags.file_name?.endsWith('.txt') ? 'failed' : 'completed', t.tags.file_name);
    const note = await readFile(join(dir, 'error', 'scan-009.txt.error.txt'), 'utf8');
    assert.match(note, /unsupported_file_type/);
    for (const d of drops.filter((x) => x.kind !== 'unsupported')) {
      assert.deepEqual(new Uint8Array(await readFile(join(dir, 'export', d.name))), new Uint8Array(bytes.get(d.name)!), d.name);
      const json = JSON.parse(await readFile(join(dir, 'export', d.name.replace(/\.(pdf|tif)$/, '.json')), 'utf8'));
      assert.equal(json.task.tags.file_name, d.name);
      assert.equal(json.task.tags.file_path, join(dir, 'inbox'));
    }
  } finally {
    agent.kill('SIGTERM');
    const code = await exited(agent);
    // Stop the server before asserting: a failed assertion must not leave a child process
    // that keeps this test file (and the whole run) from ending.
    await server.dispose();
    await rm(dir, { recursive: true, force: true });
    assert.equal(code, 0, `the agent exited with ${code}; its last lines:\n${lines.slice(-20).join('\n')}`);
  }
});
