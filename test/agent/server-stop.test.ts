/**
 * @module The server stops for a while in the middle of a run: the agent reports it,
 * backs off instead of failing files, and finishes everything by itself once the
 * server is back, with one task per file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/server.ts';
import { agentArgs, allTasks, createProject, dropAll, exited, expectedFolders, files, plan, startAgent, waitFor } from './support.ts';

test('the agent backs off while the server is down and recovers by itself', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-agent-down-'));
  const server = await startServer();
  const projectId = await createProject(server, 'name: Down\nvalidation: { mode: never }\n');
  const lines: string[] = [];
  const agent = startAgent(agentArgs(server, projectId, dir), (l) => lines.push(l));
  try {
    const first = plan(20, 'early');
    await dropAll(join(dir, 'inbox'), first, 0);
    await waitFor('the first files to be exported', async () => (await files(join(dir, 'export'))).length >= 10, 60_000);
    await server.stop();
    const later = plan(20, 'late');
    await dropAll(join(dir, 'inbox'), later, 0);
    await waitFor('the agent to notice the server is down', async () => lines.some((l) => /server down|cannot reach/.test(l)), 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(agent.exitCode, null, 'the agent keeps running');
    assert.deepEqual((await files(join(dir, 'error'))).filter((n) => n.startsWith('late-')), [], 'nothing failed because the server was away');
    assert.ok((await files(join(dir, 'inbox'))).length > 0, 'files wait in the inbox meanwhile');
    await server.restart();
    const want = expectedFolders([...first, ...later]);
    await waitFor('everything to finish after the restart', async () =>
      (await files(join(dir, 'done'))).length === want.done.length &&
      (await files(join(dir, 'error'))).length === want.error.length &&
      (await files(join(dir, 'export'))).length === want.export.length, 60_000);
    assert.deepEqual(await files(join(dir, 'export')), want.export);
    assert.deepEqual(await files(join(dir, 'error')), want.error);
    assert.equal((await allTasks(server, projectId)).length, 40, 'one task per file');
    assert.ok(lines.some((l) => l.includes('server reachable')), 'recovery is reported');
  } finally {
    agent.kill('SIGTERM');
    await exited(agent);
    await server.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
