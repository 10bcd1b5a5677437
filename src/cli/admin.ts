/**
 * @module What the administration commands do to the repositories: install the demo
 * project, create an API client, a portal user, or an account (a tenant with its admin
 * and API client, secrets returned once). The commands themselves, with their options,
 * are in admin-commands.ts; a refusal here is a CommandError (exit 1, no stack trace).
 */
import { newId, newSecret } from '../core/ids.ts';
import { hashSecret } from '../core/secrets.ts';
import { parseProject } from '../core/project.ts';
import { demoProject } from '../core/demo-project.ts';
import type { Repositories } from '../core/ports/repositories.ts';
import type { Role } from '../core/records.ts';
import { checkTenant, createTenant } from '../core/tenants.ts';
import { CommandError } from './usage.ts';

async function firstAccount(repos: Repositories): Promise<string> {
  const id = await repos.accounts.firstAccountId();
  if (!id) throw new CommandError('no account yet: run `docket serve` once (or `docket demo`) to create the first one');
  return id;
}

/** Installs the demo project into the first account unless a project of that name exists; returns its id. */
export async function installDemo(repos: Repositories, now: number): Promise<{ id: string; created: boolean }> {
  const account = await firstAccount(repos);
  const parsed = parseProject(demoProject());
  if (!parsed.ok) throw new Error(`the demo project is invalid: ${JSON.stringify(parsed.problems)}`);
  const existing = await repos.projects.findByName(account, parsed.project.name);
  if (existing) return { id: existing.id, created: false };
  const record = await repos.projects.create({ id: newId(), account_id: account, project: parsed.project, now });
  return { id: record.id, created: true };
}

export async function createClient(repos: Repositories, opts: { name?: string; id?: string; secret?: string }, now: number) {
  const account = await firstAccount(repos);
  const clientId = opts.id ?? `docket-${newSecret().slice(0, 12)}`;
  const secret = opts.secret ?? newSecret();
  if (secret.length < 12) throw new CommandError('--secret must be at least 12 characters');
  if (await repos.accounts.findClient(clientId)) throw new CommandError(`client ${clientId} exists already`);
  await repos.accounts.createClient({ client_id: clientId, account_id: account, name: opts.name ?? clientId, secret_hash: await hashSecret(secret), now });
  return { client_id: clientId, client_secret: secret };
}

export async function createUser(repos: Repositories, opts: { email: string; role?: Role; password?: string }, now: number) {
  const account = await firstAccount(repos);
  const { email } = opts;
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new CommandError('--email must be an address (name@host)');
  const role = opts.role ?? 'user';
  const generated = opts.password === undefined;
  const password = opts.password ?? newSecret().slice(0, 20);
  if (password.length < 10) throw new CommandError('--password must be at least 10 characters');
  if (await repos.accounts.findUserByEmail(account, email)) throw new CommandError(`a user ${email} exists already`);
  await repos.accounts.createUser({ id: newId(), account_id: account, email, role, password_hash: await hashSecret(password), now });
  return { email: email.toLowerCase(), role, ...(generated ? { password } : {}) };
}

export async function createAccount(repos: Repositories, opts: { name: string; adminEmail: string; adminPassword?: string }, now: number) {
  const input = { name: opts.name, admin_email: opts.adminEmail, ...(opts.adminPassword !== undefined ? { admin_password: opts.adminPassword } : {}) };
  const problems = await checkTenant(repos.accounts, input);
  if (problems.length > 0) throw new CommandError(problems.map((p) => `--${p.path.replace('_', '-')}: ${p.message}`).join('\n'));
  return createTenant(repos.accounts, input, now);
}
