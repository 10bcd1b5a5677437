/**
 * @module Shared pieces of the agent's end-to-end tests: a real server (test/helpers),
 * a project, generated inbox files (PDF with pdf-lib, TIFF with sharp, unsupported
 * bytes, files still being written), the agent as a child process, and waiting on
 * folders. Nothing here stands in for a part of docket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { ServerHandle } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export async function token(server: ServerHandle): Promise<string> {
  const res = await fetch(`${server.url}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: server.clientId, client_secret: server.clientSecret }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function createProject(server: ServerHandle, yaml: string): Promise<string> {
  const res = await fetch(`${server.url}/projects`, {
    method: 'POST', headers: { authorization: `Bearer ${await token(server)}`, 'content-type': 'application/yaml' }, body: yaml,
  });
  if (res.status !== 201) throw new Error(`project: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export interface TaskSummary { id: string; state: string; tags: Record<string, string>; error?: { code: string } | null }

export async function allTasks(server: ServerHandle, projectId: string): Promise<TaskSummary[]> {
  const auth = { authorization: `Bearer ${await token(server)}` };
  const tasks: TaskSummary[] = [];
  let after: string | null = null;
  do {
    const url = new URL(`${server.url}/tasks`);
    url.searchParams.set('project_id', projectId);
    url.searchParams.set('limit', '100');
    if (after) url.searchParams.set('after', after);
    const page = (await (await fetch(url, { headers: auth })).json()) as { tasks: TaskSummary[]; next: string | null };
    tasks.push(...page.tasks);
    after = page.next;
  } while (after);
  return tasks;
}

let pdfTemplate: Uint8Array | null = null;
let tiffTemplate: Buffer | null = null;

/** A small distinct PDF: the shared page plus the file's own name in the metadata. */
export async function pdfBytes(label: string): Promise<Uint8Array> {
  if (!pdfTemplate) {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]).drawText('docket agent test', { x: 10, y: 100, size: 12 });
    pdfTemplate = await doc.save();
  }
  const doc = await PDFDocument.load(pdfTemplate);
  doc.setTitle(label);
  return doc.save();
}

export async function tiffBytes(label: string): Promise<Buffer> {
  tiffTemplate ??= await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).tiff({ compression: 'lzw' }).toBuffer();
  // A TIFF reader ignores bytes after the last IFD's data, so a label makes each file distinct.
  return Buffer.concat([tiffTemplate, Buffer.from(label)]);
}

export interface Drop { name: string; kind: 'pdf' | 'tiff' | 'unsupported'; slow: boolean }

/** The plan of files for a run: every 10th unsupported, every 7th written slowly. */
export function plan(count: number, prefix: string): Drop[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(3, '0');
    const kind = i % 10 === 9 ? 'unsupported' : i % 3 === 2 ? 'tiff' : 'pdf';
    const ext = kind === 'unsupported' ? 'txt' : kind === 'tiff' ? 'tif' : 'pdf';
    return { name: `${prefix}-${n}.${ext}`, kind, slow: i % 7 === 3 };
  });
}

export async function contentOf(d: Drop): Promise<Uint8Array> {
  if (d.kind === 'pdf') return pdfBytes(d.name);
  if (d.kind === 'tiff') return tiffBytes(d.name);
  return Buffer.from(`not a document: ${d.name}\n`.repeat(20));
}

/** Writes a file in two halves with the handle held open `pauseMs` between them. */
export async function writeSlowly(path: string, data: Uint8Array, pauseMs: number): Promise<void> {
  const h = await open(path, 'w');
  try {
    const half = Math.floor(data.length / 2);
    await h.write(data.subarray(0, half));
    await new Promise((r) => setTimeout(r, pauseMs));
    await h.write(data.subarray(half));
  } finally {
    await h.close();
  }
}

/** Writes every planned file (the slow ones in two halves) and returns each file's bytes by name. */
export async function dropAll(inbox: string, drops: Drop[], pauseMs: number): Promise<Map<string, Uint8Array>> {
  await mkdir(inbox, { recursive: true });
  const written = new Map<string, Uint8Array>();
  await Promise.all(drops.map(async (d) => {
    const data = await contentOf(d);
    written.set(d.name, data);
    if (d.slow) await writeSlowly(join(inbox, d.name), data, pauseMs);
    else await writeFile(join(inbox, d.name), data);
  }));
  return written;
}

export function startAgent(args: string[], onLine?: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'agent', '--json', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  const feed = (chunk: Buffer) => {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine?.(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  };
  child.stdout!.on('data', feed);
  child.stderr!.on('data', feed);
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => {
    // A child that ignores SIGTERM for 15 s is killed, so a broken shutdown fails the test instead of hanging the run.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      r(code);
    });
  });
}

export async function files(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function agentArgs(server: ServerHandle, projectId: string, dir: string, extra: string[] = []): string[] {
  return [
    '--server', server.url, '--client-id', server.clientId, '--client-secret', server.clientSecret,
    '--inbox', join(dir, 'inbox'), '--project', projectId, '--done', join(dir, 'done'), '--error', join(dir, 'error'),
    '--export', join(dir, 'export'), '--journal', join(dir, 'journal.sqlite'),
    '--stable-time', '400ms', '--poll-interval', '300ms', ...extra,
  ];
}

/** What an undisturbed run leaves: every supported file done and exported as data + original, the rest in error with a note. */
export function expectedFolders(drops: Drop[]): { done: string[]; error: string[]; export: string[] } {
  const ok = drops.filter((d) => d.kind !== 'unsupported');
  const bad = drops.filter((d) => d.kind === 'unsupported');
  return {
    done: ok.map((d) => d.name).sort(),
    error: bad.flatMap((d) => [d.name, `${d.name}.error.txt`]).sort(),
    export: ok.flatMap((d) => [d.name, `${d.name.replace(/\.(pdf|tif)$/, '')}.json`]).sort(),
  };
}
