/**
 * @module Decides when a file in an inbox is finished: its size and mtime have not
 * changed for `stableMs`. Scanners and copy tools write in bursts with pauses, and a
 * network copy can keep the old mtime (`cp -p`, robocopy), so both are watched and a
 * file is never taken on its first sighting. Pure: the caller passes the clock.
 * Whether a writer still holds the file open is checked separately (writers.ts), once
 * a file is stable, because that check costs a scan of open handles.
 */

export type Stability = 'changed' | 'waiting' | 'stable';

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export class StabilityTracker {
  readonly stableMs: number;
  readonly #seen = new Map<string, Seen>();

  constructor(stableMs: number) {
    this.stableMs = stableMs;
  }

  /** Records one observation; `stable` once the same size and mtime have been seen for `stableMs`. */
  observe(path: string, size: number, mtimeMs: number, now: number): Stability {
    const seen = this.#seen.get(path);
    if (!seen || seen.size !== size || seen.mtimeMs !== mtimeMs) {
      this.#seen.set(path, { size, mtimeMs, since: now });
      return 'changed';
    }
    return now - seen.since >= this.stableMs ? 'stable' : 'waiting';
  }

  /** Starts the wait again, e.g. when a writer was found holding the file. */
  reset(path: string, now: number): void {
    const seen = this.#seen.get(path);
    if (seen) seen.since = now;
  }

  forget(path: string): void {
    this.#seen.delete(path);
  }

  get size(): number {
    return this.#seen.size;
  }
}
