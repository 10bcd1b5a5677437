/**
 * @module The malloc settings `docket serve` and `docket worker` start with
 * (src/cli/arena.ts): two arenas and a 1 MB mmap threshold, the threshold for the
 * service's own process only. It made the Tesseract processes spend more CPU in the
 * kernel for nothing this process gains (docs/pages.md "Memory"), so the processes the
 * service starts must not inherit it; an operator's own threshold is left as it is.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { forgetOwnMalloc, mallocEnv, MMAP_THRESHOLD } from '../../src/cli/arena.ts';

const ARENA = JSON.stringify(new URL('../../src/cli/arena.ts', import.meta.url).href);

describe('malloc settings of the service', () => {
  it('sets two arenas and the mmap threshold, and takes the threshold out of what children get', () => {
    const env = mallocEnv({ PATH: '/bin' });
    assert.equal(env.MALLOC_ARENA_MAX, '2');
    assert.equal(env.MALLOC_MMAP_THRESHOLD_, String(MMAP_THRESHOLD));
    forgetOwnMalloc(env);
    assert.deepEqual(env, { PATH: '/bin', MALLOC_ARENA_MAX: '2' });
  });

  it("keeps an operator's own threshold, for children too", () => {
    const env = mallocEnv({ MALLOC_MMAP_THRESHOLD_: '65536' });
    forgetOwnMalloc(env);
    assert.deepEqual(env, { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '2' });
  });

  it('leaves an environment it did not set alone', () => {
    const env = { MALLOC_ARENA_MAX: '4', MALLOC_TRIM_THRESHOLD_: '0' };
    forgetOwnMalloc(env);
    assert.deepEqual(env, { MALLOC_ARENA_MAX: '4', MALLOC_TRIM_THRESHOLD_: '0' });
  });

  it('starts a process with the threshold that its own children do not see', { skip: process.platform !== 'linux' }, () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { spawnSync } from 'node:child_process';
      import { forgetOwnMalloc } from ${ARENA};
      forgetOwnMalloc();
      const own = readFileSync('/proc/self/environ', 'utf8').split('\\0').find((v) => v.startsWith('MALLOC_MMAP_THRESHOLD_='));
      const child = spawnSync('sh', ['-c', 'echo "\${MALLOC_MMAP_THRESHOLD_-unset} \${MALLOC_ARENA_MAX-unset}"'], { encoding: 'utf8' }).stdout.trim();
      console.log(JSON.stringify({ own, child }));`;
    const env = { ...process.env };
    delete env.MALLOC_MMAP_THRESHOLD_;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: mallocEnv(env) });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { own: `MALLOC_MMAP_THRESHOLD_=${MMAP_THRESHOLD}`, child: 'unset 2' });
  });
});
