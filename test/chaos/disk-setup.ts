/**
 * @module The disk chaos suites' setting: a small tmpfs mounted for the suite (we run
 * as root here and in CI), a real `docket serve` child process whose data folder is on
 * it, and a filler file that takes the free space away and gives it back. A suite that
 * cannot mount skips with the reason, and fails instead when DOCKET_REQUIRE_CHAOS=1.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, rmdir, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
export const REQUIRE_CHAOS = process.env.DOCKET_REQUIRE_CHAOS === '1';
export const CLIENT_ID = 'disk-chaos-client';
export const CLIENT_SECRET = 'disk-chaos-secret-0123456789';
export type Json = Record<string, any>;

export interface Mount {
  dir: string;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `mb` MiB; the reason it could not, as a string, otherwise. */
export async function mountTmpfs(mb: number): Promise<Mount | string> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir]);
  } catch (err) {
    await rmdir(dir).catch(() => undefined);
    return `cannot mount a tmpfs (needs root and mount(8)): ${(err as Error).message.split('\n')[0]}`;
  }
  return {
    dir,
    async unmount() {
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rmdir(dir).catch(() => undefined);
    },
  };
}

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Grows `path` until the filesystem has at most `leaveBytes` free (0: until ENOSPC). */
export async function fill(path: string, leaveBytes: number): Promise<void> {
  const fh = await open(path, 'a');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) {
      const free = await freeBytes(join(path, '..'));
      if (free <= leaveBytes) return;
      const n = Math.min(chunk.length, free - leaveBytes);
      try {
        await fh.write(chunk, 0, Math.max(n, 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw err;
      }
    }
  } finally {
    await fh.close();
  }
}

export interface Server {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote on stdout and stderr. */
  output(): string;
  /** The exit code or signal once it has exited, else null. */
  exited(): string | null;
  stop(): Promise<void>;
}

/** Starts `docket serve` on `dataDir`; resolves when it listens, rejects with its output if it exits first. */
export function startServe(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: {
      ...process.env, LOG_LEVEL: 'warn', PORT: '0', DOCKET_DATA_DIR: dataDir,
      DOCKET_BOOTSTRAP_CLIENT_ID: CLIENT_ID, DOCKET_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exit: string | null = null;
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (out += d.toString()));
  const exitedP = new Promise<void>((r) => child.once('exit', (code, signal) => {
    exit = `${code ?? signal}`;
    r();
  }));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`docket serve did not start in 60 s\n${out}`)), 60_000);
    const onData = () => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolvePromise({
        url: `http://127.0.0.1:${m[1]}`,
        child,
        output: () => out,
        exited: () => exit,
        async stop() {
          if (exit !== null) return;
          const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.kill('SIGTERM');
          await exitedP;
          clearTimeout(killer);
        },
      });
    };
    child.stdout!.on('data', onData);
    void exitedP.then(() => {
      clearTimeout(timer);
      reject(new Error(`docket serve exited with ${exit}\n${out}`));
    });
  });
}

/** A small API client: a token once, then fetch with it. */
export function client(url: string) {
  let token: string | null = null;
  const api = async (path: string, init: RequestInit = {}): Promise<Response> => {
    if (!token) {
      const res = await tokenRequest(url);
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { access_token: string }).access_token;
    }
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(`${url}${path}`, { ...init, headers });
  };
  return {
    api,
    upload: (projectId: string, body: Uint8Array<ArrayBuffer>) => api(`/tasks?project_id=${projectId}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body }),
    async task(id: string): Promise<Json> {
      return (await (await api(`/tasks/${id}`)).json()) as Json;
    },
  };
}

export function tokenRequest(url: string): Promise<Response> {
  return fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }) });
}

/** Polls `check` until it returns a value other than undefined, or throws after `ms`. */
export async function waitFor<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function makeDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}

export { rm };
