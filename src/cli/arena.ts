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
 */

const LONG_RUNNING = new Set(['serve', 'worker']);

/** Whether a process started with `args` and `env` on `platform` should start again with two arenas. */
export function needsArenaLimit(args: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  // `--help` and `-h` only print (commands.ts): no reason to start again for them.
  return platform === 'linux' && env.MALLOC_ARENA_MAX === undefined && LONG_RUNNING.has(args[0] ?? '') && !args.some((a) => a === '--help' || a === '-h');
}

/** Replaces this process with itself started with `MALLOC_ARENA_MAX=2` when needed; returns only when it is not. */
export function limitMallocArenas(args: readonly string[]): void {
  if (!needsArenaLimit(args, process.env, process.platform) || !process.execve) return;
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, MALLOC_ARENA_MAX: '2' });
}
