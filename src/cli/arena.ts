/**
 * @module Starts the long-running commands (`serve`, `worker`) with glibc's malloc
 * limited to two arenas. Every thread that allocates (page workers, libuv's pool
 * running sharp, libvips' threads) otherwise gets its own arena, and memory freed in
 * one stays there: reading a 100/300-page G4 TIFF peaked at 415/423 MB by default
 * and at 270/314 MB with `MALLOC_ARENA_MAX=2` (bench/memory.ts --arena,
 * docs/pages.md "Memory"). glibc reads the variable once, when the process starts,
 * so a process started without it replaces itself (`process.execve`, Node ≥ 22.15)
 * with the same command and the variable set, before loading anything else: same
 * PID, same standard streams, so signals and exit codes need no relaying and no
 * parent process stays behind. `--help`, an explicit `MALLOC_ARENA_MAX`, other
 * commands, other systems, and a Node without `execve` run as they are.
 *
 * The same start fixes glibc's mmap threshold at 1 MB (`MALLOC_MMAP_THRESHOLD_`): by
 * default glibc raises it to the size of each large block freed, so decoded page bitmaps
 * (8.7 MB of grey a 300 dpi A4 page) end up in the arenas and stay there, fragmented; with
 * it fixed they are mapped and unmapped. The 500-page G4 TIFF peaked 8–38 MB lower in
 * three pairs of runs (median 419 against 449 MB), the CPU within the runs' spread
 * (bench/memory.ts, docs/pages.md "Memory"). It is for this process only: the children
 * (Tesseract, the line model's) start without it, as with Tesseract inheriting it, which
 * otherwise reuses its page-sized buffers, the run took 15 % more CPU for no lower peak here.
 */

const LONG_RUNNING = new Set(['serve', 'worker']);

/** Whether a process started with `args` and `env` on `platform` should start again with two arenas. */
export function needsArenaLimit(args: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  // `--help` and `-h` only print (commands.ts): no reason to start again for them.
  return platform === 'linux' && env.MALLOC_ARENA_MAX === undefined && LONG_RUNNING.has(args[0] ?? '') && !args.some((a) => a === '--help' || a === '-h');
}

/** The mmap threshold set for this process (bytes); see the module's note. */
export const MMAP_THRESHOLD = 1_048_576;
/** Names the variables set for this process alone, which `forgetOwnMalloc` takes out of its environment. */
const OWN = 'DOCKET_MALLOC_OWN';

/** `env` with two arenas and, unless it sets one, the fixed mmap threshold, marked as this process's own. */
export function mallocEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.MALLOC_MMAP_THRESHOLD_ !== undefined) return { ...env, MALLOC_ARENA_MAX: '2' };
  return { ...env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD), [OWN]: 'MALLOC_MMAP_THRESHOLD_' };
}

/** Takes the variables `mallocEnv` set for this process alone out of `env` (glibc has read them at start), so that
 * the processes it starts run with glibc's defaults. */
export function forgetOwnMalloc(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of env[OWN]?.split(',') ?? []) delete env[name];
  delete env[OWN];
}

/** Replaces this process with itself started with `mallocEnv` when needed; returns only when it is not. */
export function limitMallocArenas(args: readonly string[]): void {
  if (!needsArenaLimit(args, process.env, process.platform) || !process.execve) {
    forgetOwnMalloc();
    return;
  }
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], mallocEnv(process.env));
}
