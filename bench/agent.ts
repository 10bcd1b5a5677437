/**
 * @module `node bench/agent.ts [--files 60] [--reps 3] [--concurrency 4]`: files per
 * second from the inbox to the export folder through `docket agent` and a real
 * `docket serve` on this machine, with an export-only project (validation `never`,
 * the default JSON + original outputs). Baseline, same run and same server: a plain
 * client doing the same API calls (upload, poll, start, download, complete) with the
 * same concurrency and no watching, stability wait, journal or atomic writes. The
 * ratio is the agent's throughput over the baseline's; medians over the repetitions.
 * The agent's stability wait is set to 200 ms so it measures the pipeline, not the wait.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { startServer } from '../test/helpers/server.ts';
import { arg, createProject, median, token } from './lib.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FILES = arg('files', 60);
const REPS = arg('reps', 3);
const CONCURRENCY = arg('concurrency', 4);

async function pdfs(n: number, tag: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const doc = await PDFDocument.create();
    doc.addPage([300, 400]).drawText(`${tag} ${i}`, { x: 20, y: 300, size: 14 });
    out.set(`${tag}-${String(i).padStart(4, '0')}.pdf`, await doc.save());
  }
  return out;
}

async function count(dir: string): Promise<number> {
  return (await readdir(dir).catch(() => [])).filter((n) => !n.startsWith('.')).length;
}

async function runAgent(url: string, id: string, secret: string, projectId: string, rep: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-bench-agent-'));
  const files = await pdfs(FILES, `agent${rep}`);
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'agent', '--json', '--server', url, '--client-id', id, '--client-secret', secret,
    '--inbox', join(dir, 'in'), '--project', projectId, '--done', join(dir, 'done'), '--error', join(dir, 'err'), '--export', join(dir, 'out'),
    '--journal', join(dir, 'j.sqlite'), '--stable-time', '200ms', '--poll-interval', '250ms', '--concurrency', String(CONCURRENCY)], { stdio: 'ignore' });
  try {
    await mkdir(join(dir, 'in'), { recursive: true });
    await new Promise((r) => setTimeout(r, 1500));
    const start = performance.now();
    await Promise.all([...files].map(([name, data]) => writeFile(join(dir, 'in', name), data)));
    while ((await count(join(dir, 'out'))) < FILES * 2) await new Promise((r) => setTimeout(r, 20));
    return FILES / ((performance.now() - start) / 1000);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

async function runDirect(url: string, bearer: string, projectId: string, rep: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-bench-direct-'));
  const files = [...(await pdfs(FILES, `direct${rep}`))];
  const auth = { authorization: `Bearer ${bearer}` };
  const start = performance.now();
  const one = async ([name, data]: [string, Uint8Array]) => {
    const task = (await (await fetch(`${url}/tasks?project_id=${projectId}`, { method: 'POST', headers: { ...auth, 'x-aluma-tags': `file_name=${name}` }, body: data as Uint8Array<ArrayBuffer> })).json()) as { id: string };
    for (;;) {
      const t = (await (await fetch(`${url}/tasks/${task.id}`, { headers: auth })).json()) as { state: string };
      if (t.state === 'pending:start_client_action') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const spec = (await (await fetch(`${url}/tasks/${task.id}/start_client_action?action=export`, { method: 'POST', headers: auth })).json()) as { files: { file_name: string; url: string }[] };
    for (const f of spec.files) await writeFile(join(dir, f.file_name), Buffer.from(await (await fetch(f.url, { headers: auth })).arrayBuffer()));
    await fetch(`${url}/tasks/${task.id}/complete_client_action?action=export`, { method: 'POST', headers: auth });
  };
  const queue = [...files];
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) await one(f);
  }));
  const rate = FILES / ((performance.now() - start) / 1000);
  await rm(dir, { recursive: true, force: true });
  return rate;
}

const server = await startServer();
try {
  const bearer = await token(server.url, server.clientId, server.clientSecret);
  const projectId = await createProject(server.url, bearer, { name: 'Bench agent', validation: { mode: 'never' } });
  const agent: number[] = [];
  const direct: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    direct.push(await runDirect(server.url, bearer, projectId, rep));
    agent.push(await runAgent(server.url, server.clientId, server.clientSecret, projectId, rep));
  }
  const a = median(agent);
  const d = median(direct);
  console.log(`agent: ${a.toFixed(1)} files/s inbox → export folder (median of ${REPS} × ${FILES} PDFs, concurrency ${CONCURRENCY}; runs ${agent.map((x) => x.toFixed(1)).join(', ')})`);
  console.log(`baseline, plain API client, same server and concurrency: ${d.toFixed(1)} files/s (runs ${direct.map((x) => x.toFixed(1)).join(', ')})`);
  console.log(`ratio agent / baseline: ${(a / d).toFixed(2)}`);
} finally {
  await server.dispose();
}
