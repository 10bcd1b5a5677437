/**
 * @module Entry of the `docket` command: on Linux, `serve` and `worker` first start
 * again with glibc's malloc arenas limited (arena.ts); the commands themselves are in
 * commands.ts, loaded after that, so nothing is loaded twice; the exit status is
 * the command's, 2 for wrong usage, 1 for a failure.
 */
import { limitMallocArenas } from './arena.ts';

limitMallocArenas(process.argv.slice(2));
const { dispatch, report } = await import('./commands.ts');
dispatch(process.argv.slice(2)).then(
  (code) => {
    // A command that finished exits now rather than wait for idle keep-alive sockets and timers (the agent's: up to 30 s).
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => process.exit(report(err)),
);
