/**
 * @module Local scratch space: the only local disk a node of a scaled-out install uses.
 * Each process gets its own folder `<root>/docket-<pid>-<random>`, made on first use
 * and removed at close; a process killed with SIGKILL cannot clean up, so opening a
 * scratch folder also removes the folders of processes that are no longer running
 * (the pid in the name; a recycled pid only delays that until its process ends).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface Scratch {
  /** A fresh path in the folder (the file is not created). */
  path(): Promise<string>;
  close(): Promise<void>;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch folders under `root` left by processes that are gone; returns how many. */
export async function sweepDeadScratch(root: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const m = /^docket-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid || running(Number(m[1]))) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

export function createScratch(root: string): Scratch {
  let dir: Promise<string> | null = null;
  return {
    async path() {
      dir ??= (async () => {
        await mkdir(root, { recursive: true });
        await sweepDeadScratch(root);
        return mkdtemp(join(root, `docket-${process.pid}-`));
      })();
      return join(await dir, randomBytes(8).toString('hex'));
    },
    async close() {
      if (dir) await rm(await dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
