/**
 * @module Builds the portal (`web/` → `web/dist`) with Vite, or does nothing when the
 * build is newer than every source file — so `npm start` (its `prestart`) and the
 * portal tests can call it on every run at no cost, and a fresh clone gets a portal.
 * `--force` always builds. Exits non-zero when the build fails.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const WEB = resolve(import.meta.dirname, '../web');
const DIST = join(WEB, 'dist');

async function newest(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of await readdir(path)) max = Math.max(max, await newest(join(path, e)));
  return max;
}

/** Builds when needed; returns whether it built. */
export async function buildWeb(force = false): Promise<boolean> {
  const sources = Math.max(await newest(join(WEB, 'src')), await newest(join(WEB, 'index.html')), await newest(join(WEB, 'vite.config.ts')));
  const built = await stat(join(DIST, 'index.html')).then((s) => s.mtimeMs, () => 0);
  if (!force && built > sources) return false;
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (import.meta.main) {
  const started = performance.now();
  const did = await buildWeb(process.argv.includes('--force'));
  process.stdout.write(did ? `build:web: built web/dist in ${Math.round(performance.now() - started)} ms\n` : 'build:web: web/dist is up to date\n');
}
