/**
 * @module The nodes of the multi-node test as real processes: `docket serve` API nodes
 * (DOCKET_WORKERS=0) and `docket worker` processes, each with its own data and
 * scratch folders, sharing only PostgreSQL and the S3 bucket through their
 * environment. A node can be killed with SIGKILL and started again (same port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ClusterNode {
  name: string;
  /** The API node's base URL; '' for a worker. */
  url: string;
  up: boolean;
  /** The running process's pid, for CPU accounting (bench/scale); null when stopped. */
  pid(): number | null;
  start(): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((r, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => r(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function clusterNode(name: string, kind: 'serve' | 'worker', env: Record<string, string>, root: string): Promise<ClusterNode> {
  const own = await mkdtemp(join(root, `${name}-`));
  const port = kind === 'serve' ? await freePort() : 0;
  let child: ChildProcess | null = null;
  const node: ClusterNode = {
    name,
    url: kind === 'serve' ? `http://127.0.0.1:${port}` : '',
    up: false,
    pid: () => (node.up ? child?.pid ?? null : null),
    async start() {
      const c = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), kind], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port),
          DOCKET_DATA_DIR: join(own, 'data'), DOCKET_SCRATCH_DIR: join(own, 'scratch'),
          DOCKET_WORKERS: env.DOCKET_WORKERS ?? (kind === 'serve' ? '0' : '1'),
        },
      });
      child = c;
      let out = '';
      c.stderr!.on('data', (b: Buffer) => void (out = (out + b.toString()).slice(-4000)));
      await new Promise<void>((ready, fail) => {
        // Generous: 8 engineers share 2 cores here, and a node loads its engines before it says it is up.
        const timer = setTimeout(() => {
          c.kill('SIGKILL');
          fail(new Error(`${name} did not start in 180 s: ${out}`));
        }, 180_000);
        c.stdout!.on('data', (b: Buffer) => {
          out += b.toString();
          if (/listening on|worker started/.test(out)) {
            clearTimeout(timer);
            ready();
          }
        });
        c.once('exit', (code) => {
          clearTimeout(timer);
          fail(new Error(`${name} exited with ${code}: ${out}`));
        });
      });
      c.stdout!.resume();
      node.up = true;
    },
    async kill9() {
      node.up = false;
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      node.up = false;
      if (!child) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
  return node;
}
