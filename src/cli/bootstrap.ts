/**
 * @module First start: on an empty database, creates the first account with an admin
 * user and an API client, prints their credentials and keeps a copy (mode 0600) in
 * the data folder, since the secrets are stored only hashed. With
 * DOCKET_BOOTSTRAP_CLIENT_ID/SECRET the client gets those fixed credentials, so
 * automation (CI, containers) knows them in advance.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newId, newSecret } from '../core/ids.ts';
import { hashSecret } from '../core/secrets.ts';
import type { Repositories } from '../core/repositories.ts';
import type { Config } from './config.ts';

export interface Credentials {
  account_id: string;
  client_id: string;
  client_secret: string | null;
  admin_email: string | null;
  admin_password: string | null;
}

export async function ensureBootstrap(repos: Repositories, config: Config, now: number): Promise<Credentials | null> {
  if ((await repos.accounts.countAccounts()) > 0) {
    if (!config.bootstrapClientId || !config.bootstrapClientSecret) return null;
    if (await repos.accounts.findClient(config.bootstrapClientId)) return null;
    const account = (await repos.accounts.firstAccountId()) as string;
    await repos.accounts.createClient({ client_id: config.bootstrapClientId, account_id: account, name: 'bootstrap', secret_hash: await hashSecret(config.bootstrapClientSecret), now });
    return { account_id: account, client_id: config.bootstrapClientId, client_secret: null, admin_email: null, admin_password: null };
  }
  const account = newId();
  await repos.accounts.createAccount(account, 'default', now);
  const clientId = config.bootstrapClientId ?? `docket-${newSecret().slice(0, 12)}`;
  const clientSecret = config.bootstrapClientSecret ?? newSecret();
  // A secret the operator chose is not echoed into logs; a generated one must be shown once.
  const shownSecret = config.bootstrapClientSecret ? null : clientSecret;
  await repos.accounts.createClient({ client_id: clientId, account_id: account, name: 'bootstrap', secret_hash: await hashSecret(clientSecret), now });
  const email = 'admin@docket.local';
  const password = newSecret().slice(0, 20);
  await repos.accounts.createUser({ id: newId(), account_id: account, email, role: 'admin', password_hash: await hashSecret(password), now });
  return { account_id: account, client_id: clientId, client_secret: shownSecret, admin_email: email, admin_password: password };
}

export async function reportCredentials(creds: Credentials, dataDir: string, url: string): Promise<void> {
  const lines = [
    'docket: first start — credentials (shown once; a copy is in the data folder):',
    `  API client_id:     ${creds.client_id}`,
    ...(creds.client_secret ? [`  API client_secret: ${creds.client_secret}`] : []),
    ...(creds.admin_email ? [`  portal login:      ${creds.admin_email} / ${creds.admin_password}  (${url}/app/)`] : []),
  ];
  if (creds.client_secret || creds.admin_password) await writeFile(join(dataDir, 'initial-credentials.txt'), `${lines.slice(1).join('\n')}\n`, { mode: 0o600 });
  process.stdout.write(`${lines.join('\n')}\n`);
}
