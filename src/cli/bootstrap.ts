/**
 * @module First start: on an empty database, creates the first account with an admin
 * user and an API client; whichever command did it (`serve`, `worker`, `demo`, …)
 * prints their credentials — to stderr when stdout carries JSON — and keeps a copy in
 * `initial-credentials.txt` in the data folder, since the secrets are stored only
 * hashed. With DOCKET_BOOTSTRAP_CLIENT_ID/SECRET the client gets those fixed
 * credentials, so automation (CI, containers) knows them in advance.
 *
 * Everything docket writes is for its own user only: the long-running and admin
 * commands run with umask 077 (files 0600, folders 0700), the data folder and the
 * blob folder are made 0700 and the SQLite files 0600 at every start, which also
 * fixes a folder made by an older version. Inner blob files need no walk: without
 * search permission on the folders above them, nobody else can reach them.
 */
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTenant } from '../core/tenants.ts';
import type { Repositories } from '../core/ports/repositories.ts';
import { hashSecret } from '../core/secrets.ts';
import type { Config } from './config.ts';

export interface Credentials {
  account_id: string;
  client_id: string;
  client_secret: string | null;
  admin_email: string | null;
  admin_password: string | null;
}

export const CREDENTIALS_FILE = 'initial-credentials.txt';

export async function ensureBootstrap(repos: Repositories, config: Config, now: number): Promise<Credentials | null> {
  if ((await repos.accounts.countAccounts()) > 0) {
    if (!config.bootstrapClientId || !config.bootstrapClientSecret) return null;
    if (await repos.accounts.findClient(config.bootstrapClientId)) return null;
    const account = (await repos.accounts.firstAccountId()) as string;
    await repos.accounts.createClient({ client_id: config.bootstrapClientId, account_id: account, name: 'bootstrap', secret_hash: await hashSecret(config.bootstrapClientSecret), now });
    return { account_id: account, client_id: config.bootstrapClientId, client_secret: null, admin_email: null, admin_password: null };
  }
  const created = await createTenant(repos.accounts, {
    name: 'default', admin_email: 'admin@docket.local',
    ...(config.bootstrapClientId && config.bootstrapClientSecret ? { client_id: config.bootstrapClientId, client_secret: config.bootstrapClientSecret } : {}),
  }, now);
  // A secret the operator chose is not echoed into logs; a generated one must be shown once.
  const shownSecret = config.bootstrapClientSecret ? null : created.client_secret;
  return { account_id: created.account_id, client_id: created.client_id, client_secret: shownSecret, admin_email: created.admin_email, admin_password: created.admin_password };
}

/** Writes `text` as a new 0600 file and renames it over `path`, so an older 0644 copy never keeps its mode. */
export async function writePrivate(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Prints the credentials (to stderr when `json`, so stdout stays one JSON document)
 * and saves them beside the database.
 */
export async function reportCredentials(creds: Credentials, dataDir: string, url: string, json = false): Promise<void> {
  const lines = [
    `docket: first start — credentials (shown once; a copy is in ${join(dataDir, CREDENTIALS_FILE)}):`,
    `  API client_id:     ${creds.client_id}`,
    ...(creds.client_secret ? [`  API client_secret: ${creds.client_secret}`] : []),
    ...(creds.admin_email ? [`  portal login:      ${creds.admin_email} / ${creds.admin_password}  (${url}/app/)`] : []),
  ];
  if (creds.client_secret || creds.admin_password) await writePrivate(join(dataDir, CREDENTIALS_FILE), `${lines.slice(1).join('\n')}\n`);
  (json ? process.stderr : process.stdout).write(`${lines.join('\n')}\n`);
}

/** umask 077, and the data folder (with its blob folder and SQLite files) private to this user. */
export async function securePermissions(dataDir: string): Promise<void> {
  process.umask(0o077);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const targets: [string, number][] = [[dataDir, 0o700], [join(dataDir, 'blobs'), 0o700]];
  for (const name of ['docket.db', 'docket.db-wal', 'docket.db-shm', CREDENTIALS_FILE]) targets.push([join(dataDir, name), 0o600]);
  for (const [path, mode] of targets) {
    try {
      await chmod(path, mode);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      // A folder another user owns (a mounted volume) cannot be changed by us; docket still runs.
      if (code === 'EPERM') process.stderr.write(`docket: warning: cannot make ${path} private (${code}); it is not owned by this user\n`);
      else throw err;
    }
  }
}
