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
 */
import { open, readFile, rm } from 'node:fs/promises';
import type { LocalFile } from '../core/ports/blob-store.ts';

interface Copy {
  path: string;
  holders: number;
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
}

export function heldCopies(): HeldCopies {
  const held = new Map<string, Copy>();
  /** Copies being made, so that two takers of one key share one download. */
  const fetching = new Map<string, Promise<Copy>>();

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
      const copy = await copyOf(key, fetch);
      copy.holders++;
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
      held.delete(key);
      fetching.delete(key);
    },
    forgetPrefix(prefix) {
      for (const map of [held, fetching]) for (const key of map.keys()) if (key.startsWith(`${prefix}/`)) map.delete(key);
    },
  };
}
