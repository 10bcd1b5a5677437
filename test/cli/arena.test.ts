/**
 * @module `docket serve` and `docket worker` on Linux run with MALLOC_ARENA_MAX=2
 * (cli/arena.ts): the decision, and end to end the process that serves with the
 * variable set (the same process, started again), stopped by SIGTERM with exit code 0.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { needsArenaLimit } from '../../src/cli/arena.ts';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

describe('malloc arena limit', () => {
  it('applies to the long-running commands on Linux when the variable is unset', () => {
    assert.equal(needsArenaLimit(['serve'], {}, 'linux'), true);
    assert.equal(needsArenaLimit(['worker'], {}, 'linux'), true);
    assert.equal(needsArenaLimit(['serve'], { MALLOC_ARENA_MAX: '4' }, 'linux'), false);
    assert.equal(needsArenaLimit(['serve'], {}, 'darwin'), false);
    assert.equal(needsArenaLimit(['migrate'], {}, 'linux'), false);
    assert.equal(needsArenaLimit([], {}, 'linux'), false);
    assert.equal(needsArenaLimit(['serve', '--help'], {}, 'linux'), false, '--help only prints');
    assert.equal(needsArenaLimit(['worker', '-h'], {}, 'linux'), false);
  });

  it('serves with MALLOC_ARENA_MAX=2 in the process started, which stops cleanly on SIGTERM', { skip: process.platform !== 'linux' }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docket-arena-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKET_DATA_DIR: dir, PORT: '0' };
    delete env.MALLOC_ARENA_MAX;
    const server = spawn(process.execPath, [MAIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`not listening after 60 s: ${out}`)), 60_000);
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          if (out.includes('docket: listening')) {
            clearTimeout(timer);
            ok();
          }
        });
        server.on('exit', () => fail(new Error(`exited early: ${out}`)));
      });
      const environ = (await readFile(`/proc/${server.pid}/environ`, 'utf8')).split('\0');
      assert.ok(environ.includes('MALLOC_ARENA_MAX=2'), 'started again with two arenas');
      const children = await readFile(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8');
      assert.equal(children.trim(), '', 'no second process');
      const exited = new Promise<number | null>((ok) => server.on('exit', (code) => ok(code)));
      server.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      server.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
