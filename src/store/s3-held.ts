/**
 * @module The scratch copies the S3 blob store has handed out with `localFile`, kept
 * by key while someone holds them, so that reads of the same blob during a run are
 * answered from local disk instead of S3. A worker copies a task's upload to
 * scratch for the engines, and the run then asks for the same blob again (the
 * outputs stage's `original`: a HEAD and a GET of the whole file; a second
 * `localFile` for the portal's page images): each was a round trip to the store,
 * 2 of the 8 requests of a 1-page task's processing (bench/scale, RGW access log).
 *
 * A copy is the blob as it was when copied. docket writes an upload once (`create`)
 * and never changes it; a `put`, `delete` or `deletePrefix` through this store
 * forgets the copy at once, so this process never reads its own overwritten or
 * deleted data. A delete by another node is not seen while the copy is held: a
 * worker still running a task that an API node just cancelled and purged can read
 * its upload locally where S3 would answer 404; the run's results are dropped
 * anyway, since the task is final (worker/loop.ts).
 *
 * A process that runs workers beside its API (`docket serve`) also keeps the bytes of
 * an upload it has just created (`stage`, then `commit` once S3 has them): its worker
 * would otherwise download what the same process received a moment before (1 of a
 * 1-page task's 6 processing requests). The first taker inherits that hold, so the
 * copy goes when the run releases it; one nobody takes goes after `keepMs`, and the
 * oldest go first past `keepBytes` (tasks picked up by another node, a long queue).
 */
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import type { LocalFile } from '../core/ports/blob-store.ts';

interface Copy {
  path: string;
  holders: number;
  /** Set while the copy is kept for a taker that has not come yet: the keeper's hold, dropped by `drop`. */
  kept?: { timer: NodeJS.Timeout; bytes: number };
}

export interface KeepOptions {
  /** A fresh scratch path (scratch.ts). */
  path(): Promise<string>;
  keepMs: number;
  keepBytes: number;
}

/** A created blob's bytes being written to scratch while S3 stores them. */
export interface Staged {
  /** S3 has the blob: hold the copy for the next taker (nothing if the write failed or the key changed meanwhile). */
  commit(): Promise<void>;
  /** S3 refused it: the file goes. */
  discard(): Promise<void>;
}

export interface HeldCopies {
  /** A copy of `key`: the one already held, or the one `fetch` makes (then held until its last release). */
  take(key: string, fetch: () => Promise<string>): Promise<LocalFile>;
  has(key: string): boolean;
  read(key: string): Promise<Buffer | null>;
  readRange(key: string, offset: number, length: number): Promise<Buffer | null>;
  /** The blob changed or went: reads go to S3 again (the file stays until its holders release it). */
  forget(key: string): void;
  forgetPrefix(prefix: string): void;
  /** Starts keeping `body`, just created at `key`; null when this process keeps nothing. */
  stage(key: string, body: Uint8Array): Staged | null;
  /** The store closes: copies kept for a taker go (their files go with the scratch folder). */
  close(): void;
}

export function heldCopies(keep?: KeepOptions): HeldCopies {
  const held = new Map<string, Copy>();
  /** Copies being made, so that two takers of one key share one download. */
  const fetching = new Map<string, Promise<Copy>>();
  /** Keys being staged; `forget` removes them, so a copy staged before a change is never committed. */
  const staging = new Set<string>();
  /** Copies kept for a taker, oldest first, and their bytes. */
  const kept = new Map<string, Copy>();
  let keptBytes = 0;

  /** The keeper lets go: by a taker (who inherits the hold) or by `drop` (the file goes unless someone holds it). */
  function unkeep(key: string, copy: Copy): void {
    if (!copy.kept) return;
    clearTimeout(copy.kept.timer);
    keptBytes -= copy.kept.bytes;
    copy.kept = undefined;
    if (kept.get(key) === copy) kept.delete(key);
  }

  async function drop(key: string, copy: Copy): Promise<void> {
    if (!copy.kept) return;
    unkeep(key, copy);
    if (--copy.holders > 0) return;
    if (held.get(key) === copy) held.delete(key);
    await rm(copy.path, { force: true });
  }

  async function copyOf(key: string, fetch: () => Promise<string>): Promise<Copy> {
    const ready = held.get(key);
    if (ready) return ready;
    let pending = fetching.get(key);
    if (!pending) {
      const made: Promise<Copy> = fetch().then((path) => {
        const copy = { path, holders: 0 };
        // Forgotten while it was being made: handed to its takers, never to readers.
        if (fetching.get(key) === made) held.set(key, copy);
        return copy;
      }).finally(() => {
        if (fetching.get(key) === made) fetching.delete(key);
      });
      fetching.set(key, made);
      pending = made;
    }
    return pending;
  }

  return {
    async take(key, fetch) {
      // A held copy is taken in this tick: no `drop` can come between finding a kept copy and inheriting its hold.
      const copy = held.get(key) ?? (await copyOf(key, fetch));
      if (copy.kept) unkeep(key, copy);
      else copy.holders++;
      let released = false;
      return {
        path: copy.path,
        async release() {
          if (released) return;
          released = true;
          if (--copy.holders > 0) return;
          if (held.get(key) === copy) held.delete(key);
          await rm(copy.path, { force: true });
        },
      };
    },
    has: (key) => held.has(key),
    // A copy released by its last holder during the read is gone: null, and the caller asks S3.
    async read(key) {
      const copy = held.get(key);
      return copy ? readFile(copy.path).catch(() => null) : null;
    },
    async readRange(key, offset, length) {
      const copy = held.get(key);
      if (!copy) return null;
      const file = await open(copy.path, 'r').catch(() => null);
      if (!file) return null;
      try {
        const out = Buffer.alloc(length);
        let got = 0;
        for (let n = -1; got < length && n !== 0; got += n) n = (await file.read(out, got, length - got, offset + got)).bytesRead;
        return out.subarray(0, got);
      } finally {
        await file.close();
      }
    },
    forget(key) {
      const copy = held.get(key);
      if (copy) void drop(key, copy);
      held.delete(key);
      fetching.delete(key);
      staging.delete(key);
    },
    forgetPrefix(prefix) {
      for (const [key, copy] of held) if (key.startsWith(`${prefix}/`)) void drop(key, copy);
      for (const map of [held, fetching]) for (const key of map.keys()) if (key.startsWith(`${prefix}/`)) map.delete(key);
      for (const key of staging) if (key.startsWith(`${prefix}/`)) staging.delete(key);
    },
    close() {
      for (const [key, copy] of kept) void drop(key, copy);
    },
    stage(key, body) {
      if (!keep || body.byteLength > keep.keepBytes) return null;
      staging.add(key);
      // Written while S3 stores the same bytes; a failed write only means the taker downloads.
      const written = keep.path().then(async (path) => {
        await writeFile(path, body, { flag: 'wx' }).catch(async () => {
          await rm(path, { force: true });
          throw new Error('not kept');
        });
        return path;
      }).catch(() => null);
      return {
        async commit() {
          const path = await written;
          if (!path) return;
          if (!staging.delete(key) || held.has(key) || fetching.has(key)) {
            await rm(path, { force: true });
            return;
          }
          const copy: Copy = { path, holders: 1, kept: { timer: setTimeout(() => void drop(key, copy), keep.keepMs).unref(), bytes: body.byteLength } };
          held.set(key, copy);
          kept.set(key, copy);
          keptBytes += body.byteLength;
          const evicted: Promise<void>[] = [];
          for (const [old, c] of kept) {
            if (keptBytes <= keep.keepBytes) break;
            evicted.push(drop(old, c));
          }
          await Promise.all(evicted);
        },
        async discard() {
          staging.delete(key);
          const path = await written;
          if (path) await rm(path, { force: true });
        },
      };
    },
  };
}
