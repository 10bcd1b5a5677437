/**
 * @module The administration commands: `migrate`, `demo`, `client create`,
 * `user create`, `account create`. Each reads the configuration, opens the store, does
 * one thing, prints the result (JSON with `--json`, credentials of a first start then go
 * to stderr) and closes, so they script well. The store is imported when a command
 * runs, so `--help` opens and creates nothing.
 */
import type { Repositories } from '../core/ports/repositories.ts';
import type { Role } from '../core/records.ts';
import { readConfig } from './config.ts';
import { command } from './usage.ts';

const JSON_OPTION = { type: 'boolean', help: 'print the result as one JSON document' } as const;

type Action = (repos: Repositories, now: number) => Promise<Record<string, unknown> | null>;

/** Opens the store, makes the first account if there is none (printing its credentials), runs `action`, prints its result. */
async function withStore(json: boolean, action: Action): Promise<number> {
  const config = readConfig();
  const { openRuntime } = await import('./wire.ts');
  const { ensureBootstrap, reportCredentials, securePermissions } = await import('./bootstrap.ts');
  await securePermissions(config.dataDir);
  const rt = await openRuntime(config);
  try {
    const creds = await ensureBootstrap(rt.store, rt.config, rt.clock());
    if (creds) await reportCredentials(creds, rt.config.dataDir, `http://localhost:${rt.config.port}`, json);
    const out = await action(rt.store, rt.clock());
    if (out) process.stdout.write(json ? `${JSON.stringify(out)}\n` : `${Object.entries(out).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
    return 0;
  } finally {
    await rt.store.close();
  }
}

export const migrateCommand = command({
  words: ['migrate'],
  summary: 'Create or upgrade the database schema (SQLite in DOCKET_DATA_DIR, or DATABASE_URL).',
  options: {},
  run: async () => {
    const config = readConfig();
    const { openRuntime } = await import('./wire.ts');
    const { securePermissions } = await import('./bootstrap.ts');
    await securePermissions(config.dataDir);
    const rt = await openRuntime(config);
    process.stdout.write(`docket: schema up to date (${rt.store.kind})\n`);
    await rt.store.close();
    return 0;
  },
});

export const demoCommand = command({
  words: ['demo'],
  summary: 'Install the demo project in the first account (once) and print its id.',
  options: { json: JSON_OPTION },
  run: (v) => withStore(v.json === true, async (repos, now) => {
    const { installDemo } = await import('./admin.ts');
    return { project_id: (await installDemo(repos, now)).id };
  }),
});

export const clientCreateCommand = command({
  words: ['client', 'create'],
  summary: 'Create an API client in the first account; prints its secret once.',
  options: {
    name: { type: 'string', value: 'NAME', help: 'a name to know it by (default: its id)' },
    id: { type: 'string', value: 'ID', help: 'its client_id (default: docket-<random>)' },
    secret: { type: 'string', value: 'SECRET', help: 'its secret, 12+ characters (default: generated)' },
    json: JSON_OPTION,
  },
  run: (v) => withStore(v.json === true, async (repos, now) => {
    const { createClient } = await import('./admin.ts');
    return createClient(repos, { ...(v.name !== undefined && { name: v.name }), ...(v.id !== undefined && { id: v.id }), ...(v.secret !== undefined && { secret: v.secret }) }, now);
  }),
});

export const userCreateCommand = command({
  words: ['user', 'create'],
  summary: 'Create a portal user in the first account; prints a generated password once.',
  options: {
    email: { type: 'string', value: 'EMAIL', help: 'their login, name@host', required: true },
    role: { type: 'string', choices: ['admin', 'user'], help: 'admin, or user (validation only; the default)' },
    password: { type: 'string', value: 'PASSWORD', help: '10+ characters (default: generated)' },
    json: JSON_OPTION,
  },
  run: (v) => withStore(v.json === true, async (repos, now) => {
    const { createUser } = await import('./admin.ts');
    return createUser(repos, { email: v.email ?? '', ...(v.role !== undefined && { role: v.role as Role }), ...(v.password !== undefined && { password: v.password }) }, now);
  }),
});

export const accountCreateCommand = command({
  words: ['account', 'create'],
  summary: 'Create an account (tenant) with its admin and an API client; prints their secrets once.',
  options: {
    name: { type: 'string', value: 'NAME', help: 'the account\'s name', required: true },
    'admin-email': { type: 'string', value: 'EMAIL', help: 'its admin\'s login', required: true },
    'admin-password': { type: 'string', value: 'PASSWORD', help: 'its admin\'s password (default: generated)' },
    json: JSON_OPTION,
  },
  run: (v) => withStore(v.json === true, async (repos, now) => {
    const { createAccount } = await import('./admin.ts');
    const made = await createAccount(repos, { name: v.name ?? '', adminEmail: v['admin-email'] ?? '', ...(v['admin-password'] !== undefined && { adminPassword: v['admin-password'] }) }, now);
    return { ...made };
  }),
});
