/**
 * @module The File System Agent's run loop: one journal, one HTTP client, one shared
 * concurrency limit, the configured inboxes and export folders, and a tick every
 * 250 ms that drives them. Stopping (SIGINT/SIGTERM via the signal) stops taking new
 * files, lets uploads, moves and downloads in flight finish (bounded by
 * `drainMs`), then closes the journal; whatever is cut short is resumed from the
 * journal by the next start.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentConfig } from './config.ts';
import { ApiClient } from './api.ts';
import { Journal } from './journal.ts';
import { Limiter } from '../shared/limiter.ts';
import type { Reporter } from './output.ts';
import { IntakeFolder } from './intake.ts';
import { ExportFolder } from './export.ts';

const TICK_MS = 250;

export interface RunOptions {
  reporter: Reporter;
  signal: AbortSignal;
  /** How long a stop waits for work in flight. */
  drainMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runAgent(config: AgentConfig, options: RunOptions): Promise<void> {
  const { reporter, signal } = options;
  await mkdir(dirname(config.journal), { recursive: true });
  for (const folder of [...config.intake.flatMap((i) => [i.path, i.doneFolder, i.errorFolder]), ...config.export.map((e) => e.path)]) {
    if (folder !== null) await mkdir(folder, { recursive: true });
  }
  const journal = new Journal(config.journal);
  const network = new AbortController();
  const api = new ApiClient({
    server: config.server,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    signal: network.signal,
    onGate: (wait, reason) => reporter.server(wait === null ? null : `server down (${reason}); retrying in ${(wait / 1000).toFixed(1)} s`),
  });
  const limiter = new Limiter(config.concurrency);
  const intakes = config.intake.map((c, index) => new IntakeFolder({ config: c, index, api, journal, limiter, reporter }));
  const exports = config.export.map((c) => new ExportFolder({ config: c, api, journal, limiter, reporter, maxAttempts: config.maxExportAttempts }));
  reporter.log('info', 'started', { server: config.server, intake: config.intake.map((i) => i.folder), export: config.export.map((e) => e.folder), important: true });
  try {
    for (const e of exports) await e.resume();
    for (const i of intakes) await i.start();
    while (!signal.aborted) {
      const now = Date.now();
      for (const e of exports) e.tick(now);
      await Promise.all(intakes.map((i) => i.tick(now)));
      await sleep(TICK_MS);
    }
  } finally {
    reporter.log('info', 'stopping: finishing work in flight', { important: true });
    await Promise.all(intakes.map((i) => i.close()));
    const drained = await Promise.race([limiter.idle().then(() => true), sleep(options.drainMs ?? 30_000).then(() => false)]);
    network.abort();
    if (!drained) await Promise.race([limiter.idle(), sleep(2000)]);
    journal.close();
  }
}
