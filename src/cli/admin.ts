/**
 * @module Administration commands: `migrate`, `demo`, `client create`, `user create`,
 * `account create` (a tenant with its admin and API client, secrets printed once).
 * Each opens the store, does one thing, prints the result (JSON with `--json`) and
 * closes, so they script well.
 */
import { newId, newSecret } from '../core/ids.ts';
import { hashSecret } from '../core/secrets.ts';
import { parseProject } from '../core/project.ts';
import { demoProject } from '../core/demo-project.ts';
import type { Repositories } from '../core/ports/repositories.ts';
import type { Role } from '../core/records.ts';
import { checkTenant, createTenant } from '../core/tenants.ts';

export function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function firstAccount(repos: Repositories): Promise<string> {
  const id = await repos.accounts.firstAccountId();
  if (!id) throw new Error('no account yet: run `docket serve` once (or `docket demo`) to create the first one');
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

export async function createClient(repos: Repositories, args: string[], now: number) {
  const account = await firstAccount(repos);
  const clientId = flag(args, 'id') ?? `docket-${newSecret().slice(0, 12)}`;
  const secret = flag(args, 'secret') ?? newSecret();
  if (secret.length < 12) throw new Error('--secret must be at least 12 characters');
  if (await repos.accounts.findClient(clientId)) throw new Error(`client ${clientId} exists already`);
  await repos.accounts.createClient({ client_id: clientId, account_id: account, name: flag(args, 'name') ?? clientId, secret_hash: await hashSecret(secret), now });
  return { client_id: clientId, client_secret: secret };
}

export async function createUser(repos: Repositories, args: string[], now: number) {
  const account = await firstAccount(repos);
  const email = flag(args, 'email');
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error('--email is required (name@host)');
  const role = (flag(args, 'role') ?? 'user') as Role;
  if (role !== 'admin' && role !== 'user') throw new Error('--role must be admin or user');
  const generated = flag(args, 'password') === undefined;
  const password = flag(args, 'password') ?? newSecret().slice(0, 20);
  if (password.length < 10) throw new Error('--password must be at least 10 characters');
  if (await repos.accounts.findUserByEmail(account, email)) throw new Error(`a user ${email} exists already`);
  await repos.accounts.createUser({ id: newId(), account_id: account, email, role, password_hash: await hashSecret(password), now });
  return { email: email.toLowerCase(), role, ...(generated ? { password } : {}) };
}

export async function createAccount(repos: Repositories, args: string[], now: number) {
  const name = flag(args, 'name');
  const email = flag(args, 'admin-email');
  const password = flag(args, 'admin-password');
  const input = { name: name ?? '', admin_email: email ?? '', ...(password !== undefined ? { admin_password: password } : {}) };
  const problems = await checkTenant(repos.accounts, input);
  if (problems.length > 0) throw new Error(problems.map((p) => `--${p.path.replace('_', '-')}: ${p.message}`).join('\n'));
  return createTenant(repos.accounts, input, now);
}
