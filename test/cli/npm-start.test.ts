/**
 * @module `npm start` run in the background and stopped through npm's pid. npm 11 forwards
 * SIGINT and SIGTERM only to its own child, the shell running the script (`sh -c …`,
 * @npmcli/run-script's signal-manager.js); dash neither passes the signal on nor replaces
 * itself with its last command, so a `node … serve` under it lived on, orphaned, holding
 * the port. The script therefore starts with `exec`: the shell becomes the server, which
 * gets npm's signal and shuts down. Asserted here with a real npm: after `kill <npm pid>`
 * npm exits, the server's process is gone and the port is free.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const npmMissing = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0 ? false : 'npm is not on PATH';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Whether something still listens on the port: binding it ourselves is the plain test. */
async function portInUse(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolvePromise) => {
    server.once('error', () => resolvePromise(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(false)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`killing a backgrounded npm start with ${signal} to npm's pid stops the server and frees the port`, { skip: npmMissing, timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docket-npm-start-'));
    const port = await freePort();
    const env = {
      ...process.env, PORT: String(port), DOCKET_DATA_DIR: join(dir, 'data'), DOCKET_WORKERS: '1', LOG_LEVEL: 'warn',
      // The bundled Node first, as `npm install` arranges for every npm script.
      PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
    };
    const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (c: Buffer) => void (out += c.toString()));
    npm.stderr.on('data', (c: Buffer) => void (out += c.toString()));
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    try {
      const listening = await new Promise<boolean>((r) => {
        const timer = setTimeout(() => r(false), 180_000);
        const check = () => /docket: listening on/.test(out) && (clearTimeout(timer), r(true));
        npm.stdout.on('data', check);
        npm.once('exit', () => (clearTimeout(timer), r(false)));
      });
      assert.ok(listening, out);
      // serve's pid: the process holding the port, which is not npm.
      const holder = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }).stdout;
      const serverPid = Number(/pid=(\d+)/.exec(holder)?.[1] ?? NaN);
      assert.ok(await portInUse(port));
      process.kill(npm.pid!, signal);
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
      assert.notEqual(code, 'timeout', `npm did not exit after ${signal}:\n${out}`);
      assert.match(out, new RegExp(`docket: ${signal}, shutting down`), 'the server got the signal');
      const until = Date.now() + 20_000;
      while (Date.now() < until && (await portInUse(port))) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await portInUse(port), false, `port ${port} is still taken after npm exited:\n${out}`);
      if (Number.isInteger(serverPid)) assert.equal(alive(serverPid), false, `the server (pid ${serverPid}) outlived npm`);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      const left = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }).stdout;
      for (const m of left.matchAll(/pid=(\d+)/g)) process.kill(Number(m[1]), 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
}
