/**
 * @module Is a file still held open by a writer? Size-and-mtime stability (stability.ts)
 * misses a writer that pauses longer than the wait, e.g. a scanner between pages.
 * On Linux, `/proc/<pid>/fd` links name every open file and `/proc/<pid>/fdinfo`
 * gives its open flags (O_WRONLY = 1, O_RDWR = 2), so one pass over the processes we
 * may read answers for a batch of files. On Windows a writer normally denies sharing,
 * so opening the file for read-write fails with EBUSY. Elsewhere (macOS, and
 * other users' processes) only stability applies.
 */
import { open, readdir, readFile, readlink } from 'node:fs/promises';
import { resolve } from 'node:path';

const WRITE_FLAGS = 0o3;

async function linuxWriters(paths: ReadonlySet<string>): Promise<Set<string>> {
  const held = new Set<string>();
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return held;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = await readlink(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!paths.has(link)) continue;
      try {
        const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
        const flags = Number.parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
        if ((flags & WRITE_FLAGS) !== 0) held.add(link);
      } catch {
        // The descriptor closed between the two reads: no longer held.
      }
    }
  }
  return held;
}

async function windowsWriters(paths: ReadonlySet<string>): Promise<Set<string>> {
  const held = new Set<string>();
  for (const p of paths) {
    try {
      const h = await open(p, 'r+');
      await h.close();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // libuv maps ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION to EBUSY; EPERM would also catch read-only files.
      if (code === 'EBUSY') held.add(p);
    }
  }
  return held;
}

/** The subset of `paths` that some process has open for writing (absolute paths in, the same out). */
export async function heldForWriting(paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const wanted = new Map(paths.map((p) => [resolve(p), p]));
  const keys = new Set(wanted.keys());
  const held = process.platform === 'linux' ? await linuxWriters(keys) : process.platform === 'win32' ? await windowsWriters(keys) : new Set<string>();
  return new Set([...held].map((p) => wanted.get(p) as string));
}
