/**
 * @module Frees decoded page bitmaps promptly in the page worker threads. sharp
 * hands each decoded page over as memory outside the V8 heap (a 300 dpi A4 page is
 * 8.7 MB of grey); V8 frees such memory only when it collects the objects holding
 * it, and lets tens of MB of it pile up per thread first. With one thread per core
 * that swung the process's peak by up to 100 MB (bench/memory.ts, 300-page G4 TIFF:
 * peak 388–493 MB against 327–368 MB resident after). A collection every 16 MB of
 * bitmaps (every second A4 page, every tenth receipt) bounds the pile-up: peaks of
 * 334–400 MB for 100 to 500 pages. A full collection of a page worker's small heap
 * takes ~16 ms.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const BUDGET_BYTES = 16 * 1024 * 1024;

let pending = 0;
let collect: (() => void) | null = null;

function collector(): () => void {
  if (!collect) {
    // V8's collector, reachable without starting the process with --expose-gc: the flag exposes `gc` to new contexts.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/** Counts bitmaps the worker has finished with; past the budget, collects them now. */
export function released(bytes: number): void {
  pending += bytes;
  if (pending < BUDGET_BYTES) return;
  pending = 0;
  collector()();
}
