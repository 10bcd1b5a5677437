/**
 * @module Local file moves and writes that never show a partial file: a new file is
 * written to a hidden temp name in the destination folder, fsynced, then renamed
 * (rename within one filesystem is atomic on POSIX and on NTFS via MoveFileEx). A move
 * across filesystems (a network share to a local disk) is done the same way, and the
 * source is removed only once the copy is in place.
 */
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sanitizeFileName, uniqueFileName } from '../shared/file-names.ts';

/** Temp files start with this, so a scanner or a person knows them for unfinished. */
export const TEMP_PREFIX = '.docket-part-';

function tempPath(dir: string): string {
  return join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
}

async function fsyncFile(path: string): Promise<void> {
  const h = await open(path, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Streams `data` to `target` through a temp file; the target appears whole or not at all. */
export async function writeAtomic(target: string, data: Readable | string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPath(dirname(target));
  try {
    if (typeof data === 'string') {
      const h = await open(tmp, 'w');
      try {
        await h.writeFile(data);
        await h.sync();
      } finally {
        await h.close();
      }
    } else {
      await pipeline(data, createWriteStream(tmp));
      await fsyncFile(tmp);
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Moves a file; across filesystems it copies to a temp name, renames, then removes the source. */
export async function moveFile(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  try {
    await rename(source, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const tmp = tempPath(dirname(target));
    try {
      await copyFile(source, tmp);
      await fsyncFile(tmp);
      await rename(tmp, target);
    } catch (copyErr) {
      await rm(tmp, { force: true });
      throw copyErr;
    }
    await unlink(source);
  }
}

/** Removes temp files a killed run left in `dir`; they never became visible names, so nothing is lost. */
export async function removeTempFiles(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await namesIn(dir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/** Lower-cased names in a folder (none if it does not exist yet). */
export async function namesIn(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(dir)).map((n) => n.toLowerCase()));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
}

/** A free path for `name` in `dir`: sanitised for Windows and POSIX, ` (2)` on a collision. */
export async function freeTarget(dir: string, name: string, alsoTaken: ReadonlySet<string> = new Set()): Promise<string> {
  const taken = await namesIn(dir);
  for (const n of alsoTaken) taken.add(n);
  return join(dir, uniqueFileName(sanitizeFileName(name), taken));
}

/** Names the error note of a moved file: `scan.pdf` → `scan.pdf.error.txt`. */
export function errorNotePath(movedFile: string): string {
  return join(dirname(movedFile), `${basename(movedFile)}.error.txt`);
}
