/**
 * @module `docket serve` and `docket worker` (docs/architecture.md#processes): read the
 * configuration once, wire the parts, and shut down cleanly on SIGINT/SIGTERM (stop
 * taking requests, let running tasks finish or hand them back, close the database). A
 * lost database connection never ends them: the store reconnects on its own, and an
 * error of that kind that escapes a timer or an event emitter anyway is logged, not
 * fatal. The wiring is imported when a command runs, so `--help` loads none of it.
 */
import { isDatabaseUnavailable } from '../core/ports/database-health.ts';
import { readConfig, ConfigError } from './config.ts';
import { command } from './usage.ts';

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`docket: ${signal}, shutting down\n`);
    stop().then(() => process.exit(0), (err) => {
      process.stderr.write(`docket: shutdown failed: ${(err as Error).message}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

/**
 * The last line of defence for long-running commands. Node ends the process on an
 * uncaught exception or an unhandled rejection; that stays so for everything but a lost
 * database connection, which says nothing about the process's own state.
 */
function surviveDatabaseLoss(): void {
  const handle = (kind: string) => (err: unknown) => {
    if (isDatabaseUnavailable(err)) {
      const e = err as { code?: string; message?: string };
      process.stderr.write(`docket: database connection lost (${kind}${e.code ? `, ${e.code}` : ''}: ${e.message ?? String(err)}); reconnecting\n`);
      return;
    }
    process.stderr.write(`docket: ${kind}: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', handle('uncaught exception'));
  process.on('unhandledRejection', handle('unhandled rejection'));
}

async function start(withApi: boolean, demo: boolean): Promise<void> {
  const config = readConfig();
  surviveDatabaseLoss();
  if (!withApi && !config.databaseUrl) {
    throw new ConfigError(['docket worker needs DATABASE_URL=postgres://…: the embedded SQLite store serves one process, and `docket serve` already runs its workers']);
  }
  const { openRuntime, startServices, createApi, stopServices } = await import('./wire.ts');
  const { ensureBootstrap, reportCredentials, securePermissions } = await import('./bootstrap.ts');
  await securePermissions(config.dataDir);
  const rt = await openRuntime(config);
  const creds = await ensureBootstrap(rt.store, rt.config, rt.clock());
  const services = await startServices(rt, true);
  if (!withApi) {
    if (creds) await reportCredentials(creds, rt.config.dataDir, `http://localhost:${rt.config.port}`);
    process.stdout.write(`docket: worker started (${rt.config.workers} slots, store: ${rt.store.kind})\n`);
    onSignals(async () => {
      await stopServices(services);
      await rt.store.close();
    });
    return;
  }
  const app = await createApi(rt, services.engines);
  const address = await app.listen({ port: rt.config.port, host: rt.config.host });
  const url = address.replace('://127.0.0.1', '://localhost');
  if (creds) await reportCredentials(creds, rt.config.dataDir, url);
  if (demo) {
    const { installDemo } = await import('./admin.ts');
    const installed = await installDemo(rt.store, rt.clock());
    process.stdout.write(`docket: demo project ${installed.created ? 'installed' : 'present'}: ${installed.id}\n`);
  }
  process.stdout.write(`docket: listening on ${url} (store: ${rt.store.kind}, data: ${rt.config.dataDir}); API docs at ${url}/docs\n`);
  onSignals(async () => {
    await app.close();
    await stopServices(services);
    await rt.store.close();
  });
}

export const serveCommand = command({
  words: ['serve'],
  summary: 'Run the API, the portal at /app/, workers and the sweeper until SIGINT/SIGTERM.',
  options: {
    demo: { type: 'boolean', help: 'install the demo project (as `npm start` does)' },
  },
  notes: 'Configuration comes from the environment (PORT, HOST, DOCKET_DATA_DIR, DATABASE_URL, …): see README.md.',
  run: (values) => start(true, values.demo === true),
});

export const workerCommand = command({
  words: ['worker'],
  summary: 'Run workers and the sweeper only, for scale-out on PostgreSQL (needs DATABASE_URL).',
  options: {},
  notes: 'Configuration comes from the environment (DATABASE_URL, DOCKET_WORKERS, …): see README.md.',
  run: () => start(false, false),
});
