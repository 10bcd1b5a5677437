/**
 * @module The `docket` commands (docs/architecture.md#processes): serve, worker, agent, migrate, demo,
 * client create, user create. Reads the configuration once, wires the parts, and
 * shuts down cleanly on SIGINT/SIGTERM (stop taking requests, let running tasks
 * finish or hand them back, close the database). A lost database connection never
 * ends `serve` or `worker`: the store reconnects on its own, and an error of that kind
 * that escapes a timer or an event emitter anyway is logged, not fatal.
 */
import { readConfig, ConfigError } from './config.ts';
import { openRuntime, startServices, createApi, stopServices } from './wire.ts';
import { ensureBootstrap, reportCredentials, securePermissions } from './bootstrap.ts';
import { createAccount, createClient, createUser, installDemo } from './admin.ts';
import { isDatabaseUnavailable } from '../core/ports/database-health.ts';

const USAGE = `usage: docket <command>
  serve [--demo]     API, portal, workers and sweeper (--demo installs the demo project)
  worker             workers and sweeper only (scale-out; needs DATABASE_URL)
  agent …            the File System Agent (docket agent --help)
  migrate            create or upgrade the database schema
  demo [--json]      install the demo project and print its id
  client create [--name N] [--id ID] [--secret S]
  user create --email E [--role admin|user] [--password P]
  account create --name N --admin-email E   a new account (tenant), its admin and an API client
Configuration comes from the environment: see README.md.`;

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

async function serve(args: string[], withApi: boolean): Promise<void> {
  const config = readConfig();
  surviveDatabaseLoss();
  if (!withApi && !config.databaseUrl) {
    throw new ConfigError(['docket worker needs DATABASE_URL=postgres://…: the embedded SQLite store serves one process, and `docket serve` already runs its workers']);
  }
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
  if (args.includes('--demo')) {
    const demo = await installDemo(rt.store, rt.clock());
    process.stdout.write(`docket: demo project ${demo.created ? 'installed' : 'present'}: ${demo.id}\n`);
  }
  process.stdout.write(`docket: listening on ${url} (store: ${rt.store.kind}, data: ${rt.config.dataDir}); API docs at ${url}/docs\n`);
  onSignals(async () => {
    await app.close();
    await stopServices(services);
    await rt.store.close();
  });
}

async function admin(command: string, args: string[]): Promise<void> {
  const config = readConfig();
  await securePermissions(config.dataDir);
  const rt = await openRuntime(config);
  try {
    const json = args.includes('--json');
    if (command === 'migrate') {
      process.stdout.write(`docket: schema up to date (${rt.store.kind})\n`);
      return;
    }
    const creds = await ensureBootstrap(rt.store, rt.config, rt.clock());
    if (creds) await reportCredentials(creds, rt.config.dataDir, `http://localhost:${rt.config.port}`, json);
    let out: Record<string, unknown>;
    if (command === 'demo') {
      const demo = await installDemo(rt.store, rt.clock());
      out = { project_id: demo.id };
    } else if (command === 'account') {
      if (args[0] !== 'create') throw new Error('usage: docket account create --name N --admin-email E');
      out = { ...(await createAccount(rt.store, args, rt.clock())) };
    } else if (command === 'client') {
      if (args[0] !== 'create') throw new Error('usage: docket client create [--name N]');
      out = await createClient(rt.store, args, rt.clock());
    } else {
      if (args[0] !== 'create') throw new Error('usage: docket user create --email E [--role admin|user]');
      out = await createUser(rt.store, args, rt.clock());
    }
    process.stdout.write(json ? `${JSON.stringify(out)}\n` : `${Object.entries(out).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
  } finally {
    await rt.store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return serve(args, true);
    case 'worker':
      return serve(args, false);
    case 'agent': {
      const { agentCommand } = await import('./agent.ts');
      // The agent has stopped gracefully (work finished, journal closed) when this returns; exit
      // now rather than wait for idle keep-alive sockets and timers to run out (up to 30 s).
      process.exit(await agentCommand(args));
    }
    case 'blobs':
      return (await import('./blobs.ts')).blobsCommand(args);
    case 'migrate':
    case 'demo':
    case 'client':
    case 'user':
    case 'account':
      return admin(command, args);
    default:
      if (command === undefined || command === 'help' || command === '--help') process.stdout.write(`${USAGE}\n`);
      else {
        process.stderr.write(`docket: unknown command ${command}\n${USAGE}\n`);
        process.exitCode = 2;
      }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`docket: ${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
