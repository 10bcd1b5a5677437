/**
 * @module Entry of the `docket` command: on Linux, `serve` and `worker` first start
 * again with glibc's malloc arenas limited (arena.ts); the commands themselves are in
 * commands.ts, loaded after that, so nothing is loaded twice.
 */
import { limitMallocArenas } from './arena.ts';

limitMallocArenas(process.argv.slice(2));
await import('./commands.ts');
