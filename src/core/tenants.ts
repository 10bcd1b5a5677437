/**
 * @module Creating an account (a tenant) with its first admin and API client, the
 * one way the first-start bootstrap, `docket account create` and the operator API
 * all do it. The input is checked whole before anything is written, so a refused
 * request leaves no half-made account; the secrets come back once, in clear, since
 * only their scrypt hashes are stored.
 */
import { newId, newSecret } from './ids.ts';
import { hashSecret } from './secrets.ts';
import type { AccountRepository } from './ports/account-repository.ts';

export interface TenantInput {
  name: string;
  admin_email: string;
  /** Generated (20 characters) when absent. */
  admin_password?: string;
  /** A fixed client id and secret (automation); generated when absent. */
  client_id?: string;
  client_secret?: string;
}

export interface TenantCredentials {
  account_id: string;
  name: string;
  admin_email: string;
  admin_password: string;
  client_id: string;
  client_secret: string;
}

export interface TenantProblem {
  path: string;
  message: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * Every problem with the input, without touching the store beyond one look-up. The admin's
 * e-mail is not looked up: e-mails are unique per account (docs/authorization.md), and a
 * new account has no users yet.
 */
export async function checkTenant(accounts: AccountRepository, input: TenantInput): Promise<TenantProblem[]> {
  const problems: TenantProblem[] = [];
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) problems.push({ path: 'name', message: 'required: 1 to 200 characters' });
  if (typeof input.admin_email !== 'string' || !EMAIL.test(input.admin_email) || input.admin_email.length > 320) {
    problems.push({ path: 'admin_email', message: 'required: an email address (name@host)' });
  }
  if (input.admin_password !== undefined && (typeof input.admin_password !== 'string' || input.admin_password.length < 10)) {
    problems.push({ path: 'admin_password', message: 'must be at least 10 characters' });
  }
  if (input.client_secret !== undefined && input.client_secret.length < 12) problems.push({ path: 'client_secret', message: 'must be at least 12 characters' });
  if (input.client_id !== undefined && (await accounts.findClient(input.client_id))) problems.push({ path: 'client_id', message: `client ${input.client_id} exists already` });
  return problems;
}

/** Creates the account, its admin user and its API client; call `checkTenant` first. */
export async function createTenant(accounts: AccountRepository, input: TenantInput, now: number): Promise<TenantCredentials> {
  const account = newId();
  const clientId = input.client_id ?? `docket-${newSecret().slice(0, 12)}`;
  const clientSecret = input.client_secret ?? newSecret();
  const password = input.admin_password ?? newSecret().slice(0, 20);
  const [secretHash, passwordHash] = await Promise.all([hashSecret(clientSecret), hashSecret(password)]);
  await accounts.createAccount(account, input.name.trim(), now);
  await accounts.createUser({ id: newId(), account_id: account, email: input.admin_email, role: 'admin', password_hash: passwordHash, now });
  await accounts.createClient({ client_id: clientId, account_id: account, name: 'bootstrap', secret_hash: secretHash, now });
  return { account_id: account, name: input.name.trim(), admin_email: input.admin_email.toLowerCase(), admin_password: password, client_id: clientId, client_secret: clientSecret };
}
