/**
 * @module Crash safety with the real server: the agent is killed with SIGKILL at random
 * moments (12 times, each restart seen to come up) while it takes in and exports 60
 * files. The final folders and the server's tasks must equal an undisturbed run's: one
 * task per file, nothing lost, no duplicate, no partial or temp file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/server.ts';
import { agentArgs, allTasks, createProject, dropAll, exited, expectedFolders, files, plan, startAgent, waitFor } from './support.ts';

/** A seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('SIGKILL at random moments loses and duplicates nothing', { timeout: 180_000 }, async (t) => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`seed ${seed}`);
  const rand = random(seed);
  const dir = await mkdtemp(join(tmpdir(), 'docket-agent-crash-'));
  const server = await startServer();
  const projectId = await createProject(server, 'name: Crash\nvalidation: { mode: never }\n');
  const drops = plan(60, 'doc');
  const want = expectedFolders(drops);
  const args = agentArgs(server, projectId, dir);
  try {
    const dropping = dropAll(join(dir, 'inbox'), drops, 800);
    for (let kill = 0; kill < 12; kill++) {
      let up = false;
      const agent = startAgent(args, (line) => { if (line.includes('"started"')) up = true; });
      await waitFor(`restart ${kill} to come up`, async () => up, 20_000);
      await new Promise((r) => setTimeout(r, 150 + rand() * 1200));
      agent.kill('SIGKILL');
      await exited(agent);
    }
    const bytes = await dropping;
    const lines: string[] = [];
    const agent = startAgent(args, (l) => lines.push(l));
    try {
      await waitFor('the final run to finish', async () =>
        (await files(join(dir, 'done'))).length === want.done.length &&
        (await files(join(dir, 'error'))).length === want.error.length &&
        (await files(join(dir, 'export'))).length === want.export.length, 120_000);
      // Anything still in flight would show up as extra files or tasks; give it a moment.
      await new Promise((r) => setTimeout(r, 1500));
    } catch (err) {
      const counts = await Promise.all(['inbox', 'done', 'error', 'export'].map(async (f) => `${f}: ${(await files(join(dir, f))).join(', ')}`));
      throw new Error(`${(err as Error).message} (seed ${seed})\n${counts.join('\n')}\n${lines.slice(-30).join('\n')}`);
    } finally {
      agent.kill('SIGTERM');
      await exited(agent);
    }
    assert.deepEqual(await files(join(dir, 'inbox')), []);
    assert.deepEqual(await files(join(dir, 'done')), want.done);
    assert.deepEqual(await files(join(dir, 'error')), want.error);
    assert.deepEqual(await readdir(join(dir, 'export')).then((n) => n.sort()), want.export, 'no temp or duplicate file in the export folder');
    const tasks = await allTasks(server, projectId);
    assert.equal(tasks.length, drops.length, `exactly one task per file (seed ${seed})`);
    assert.equal(new Set(tasks.map((x) => x.tags.file_name)).size, drops.length);
    for (const d of drops.filter((x) => x.kind !== 'unsupported')) {
      assert.deepEqual(new Uint8Array(await readFile(join(dir, 'export', d.name))), new Uint8Array(bytes.get(d.name)!), d.name);
      assert.deepEqual(new Uint8Array(await readFile(join(dir, 'done', d.name))), new Uint8Array(bytes.get(d.name)!), d.name);
      JSON.parse(await readFile(join(dir, 'export', d.name.replace(/\.(pdf|tif)$/, '.json')), 'utf8'));
    }
  } finally {
    await server.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
