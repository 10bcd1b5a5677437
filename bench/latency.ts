/**
 * @module bench/latency: time from upload to `pending:start_client_action` for a
 * 1-page born-digital PDF on an idle server (SQLite, in-process workers), measured by
 * the client (POST, then polling every 2 ms) and by the server's own events (created
 * → pending). The baseline, in the same run, is the same file through the same stage
 * list called directly in-process (no HTTP, no queue): the difference is what the
 * service around the pipeline costs.
 *
 *   node bench/latency.ts [--runs 40]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../test/helpers/server.ts';
import { makePdf } from '../test/helpers/fixtures.ts';
import { createFsBlobStore } from '../src/store/blob-fs.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import { createProcessor } from '../src/pipeline/processor.ts';
import { parseProject } from '../src/core/project.ts';
import { arg, median, percentile, token, createProject } from './lib.ts';

const runs = arg('runs', 40);
const pdf = await makePdf(1);
const projectFile = { name: 'Latency bench', validation: { mode: 'never' } };

async function baseline(): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-latency-'));
  const blobs = createFsBlobStore(dir);
  const engines = await createEngines({ threads: 2 });
  const parsed = parseProject(projectFile);
  if (!parsed.ok) throw new Error('project');
  const process = createProcessor({ blobs, engines });
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const id = `bench${i}`;
      await blobs.put(`tasks/${id}/original`, pdf);
      const t0 = performance.now();
      await process({ taskId: id, accountId: 'a', project: parsed.project, tags: {}, fileKey: `tasks/${id}/original`, phase: 'capture', signal: new AbortController().signal });
      times.push(performance.now() - t0);
    }
  } finally {
    await engines.close();
    await rm(dir, { recursive: true, force: true });
  }
  return times;
}

const server = await startServer({ env: { LOG_LEVEL: 'error' } });
try {
  const bearer = await token(server.url, server.clientId, server.clientSecret);
  const auth = { authorization: `Bearer ${bearer}` };
  const project = await createProject(server.url, bearer, projectFile);
  const client: number[] = [];
  const accepted: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/tasks?project_id=${project}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/pdf' }, body: new Uint8Array(pdf) });
    const t1 = performance.now();
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const t = (await (await fetch(`${server.url}/tasks/${id}`, { headers: auth })).json()) as { state: string };
      if (t.state === 'pending:start_client_action') break;
      if (t.state === 'failed') throw new Error(`task failed: ${JSON.stringify(t)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    // The first runs warm the pools and caches; they are not counted.
    if (i >= 3) {
      accepted.push(t1 - t0);
      client.push(performance.now() - t0);
    }
  }
  await new Promise((r) => setTimeout(r, 200));
  const direct = await baseline();
  console.log(`bench/latency: 1-page PDF, ${runs} sequential tasks on an idle server (SQLite, in-process workers)`);
  console.log(`  upload → pending:start_client_action : median ${median(client).toFixed(1)} ms, p90 ${percentile(client, 90).toFixed(1)} ms (target median <= 100 ms)`);
  console.log(`  of which POST /tasks answered (202)  : median ${median(accepted).toFixed(1)} ms`);
  console.log(`  baseline: same stages in-process     : median ${median(direct).toFixed(1)} ms`);
  console.log(`  ratio end-to-end / baseline          : ${(median(client) / median(direct)).toFixed(2)}`);
} finally {
  await server.dispose();
}
