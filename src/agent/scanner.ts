/**
 * @module Finds candidate files in an inbox: filesystem events through chokidar in
 * `watch` mode, and a full listing every poll interval in `poll` mode (network shares
 * often deliver no events) — plus a full listing at start and every 30 s in watch
 * mode, so a missed event delays a file but never loses it. Output is only "look at
 * this path"; deciding when a file is ready is the stability tracker's job.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { IntakeConfig } from './config.ts';
import { pathFilter, type PathFilter } from './globs.ts';
import { TEMP_PREFIX } from './files.ts';

const WATCH_RESCAN_MS = 30_000;

export class Scanner {
  readonly #config: IntakeConfig;
  readonly #filter: PathFilter;
  readonly #onPath: (path: string) => void;
  readonly #skipDirs: string[];
  #watcher: FSWatcher | null = null;
  #lastScan = 0;

  constructor(config: IntakeConfig, onPath: (path: string) => void) {
    this.#config = config;
    this.#filter = pathFilter(config.include, config.exclude);
    this.#onPath = onPath;
    this.#skipDirs = [config.doneFolder, config.errorFolder].filter((d): d is string => d !== null);
  }

  /** The path below the inbox with `/` separators, or null when it lies outside or is skipped. */
  relativePath(path: string): string | null {
    const rel = relative(this.#config.path, path);
    if (rel === '' || rel.startsWith('..')) return null;
    if (this.#skipDirs.some((d) => path === d || path.startsWith(d + sep))) return null;
    const parts = rel.split(sep);
    if (!this.#config.recursive && parts.length > 1) return null;
    if ((parts.at(-1) ?? '').startsWith(TEMP_PREFIX)) return null;
    const posix = parts.join('/');
    return this.#filter(posix) ? posix : null;
  }

  #offer(path: string): void {
    if (this.relativePath(path) !== null) this.#onPath(path);
  }

  start(): void {
    if (this.#config.mode !== 'watch') return;
    this.#watcher = watch(this.#config.path, {
      ignoreInitial: true,
      depth: this.#config.recursive ? 64 : 0,
      ignored: (path: string) => this.#skipDirs.some((d) => path === d || path.startsWith(d + sep)),
    });
    this.#watcher.on('add', (p) => this.#offer(p));
    this.#watcher.on('change', (p) => this.#offer(p));
    this.#watcher.on('error', () => { this.#lastScan = 0; });
  }

  /** Lists the folder when a listing is due; cheap to call on every tick. */
  async maybeScan(now: number): Promise<void> {
    const every = this.#config.mode === 'poll' ? this.#config.pollIntervalMs : WATCH_RESCAN_MS;
    if (now - this.#lastScan < every) return;
    this.#lastScan = now;
    let entries;
    try {
      entries = await readdir(this.#config.path, { recursive: this.#config.recursive, withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isFile()) this.#offer(join(e.parentPath, e.name));
  }

  async close(): Promise<void> {
    await this.#watcher?.close();
  }
}
