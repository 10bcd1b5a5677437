/**
 * @module The real `docket serve` in a child process, for end-to-end tests that must
 * survive the server stopping or dying (the File System Agent's, the crash tests).
 * It listens on a free port (PORT=0; the port is read from its "listening on" line)
 * with a fresh SQLite data folder, and keeps both across `restart()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServerHandle {
  url: string;
  clientId: string;
  clientSecret: string;
  dataDir: string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
  /** Start again on the same port and data folder. */
  restart(): Promise<void>;
  /** stop() and remove the data folder. */
  dispose(): Promise<void>;
}

/** `root`: the checkout to run (a bench's same-run baseline of older code). */
function launch(env: Record<string, string>, root = ROOT): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'serve'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    // 120 s: on a loaded 2-core machine (load average 20) serve took 27 s to listen, most of it starting its engines.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`docket serve did not start in 120 s\n${out}\n${err}`));
    }, 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docket serve exited with ${code}\n${out}\n${err}`));
    });
  });
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    // A server that has not stopped 20 s after SIGTERM is killed: a test must never hang the run.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      r();
    });
  });
}

export async function startServer(options: { env?: Record<string, string>; root?: string } = {}): Promise<ServerHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), 'docket-server-'));
  const clientId = 'e2e-client';
  const clientSecret = 'e2e-secret-0123456789';
  const env = { DOCKET_DATA_DIR: dataDir, PORT: '0', DOCKET_BOOTSTRAP_CLIENT_ID: clientId, DOCKET_BOOTSTRAP_CLIENT_SECRET: clientSecret, ...options.env };
  let { child, port } = await launch(env, options.root);
  const handle: ServerHandle = {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await waitExit(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await waitExit(child);
    },
    async restart() {
      await handle.stop();
      ({ child } = await launch({ ...env, PORT: String(port) }, options.root));
    },
    async dispose() {
      await handle.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
