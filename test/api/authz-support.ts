/**
 * @module A two-tenant docket for the authorization suites: the service wired as
 * `docket serve` wires it (the CLI's wire.ts, no workers, so tasks stay where a
 * test puts them), listening on a free port. Tenant A has an admin API client, an
 * admin user and a validator (user role); tenant B, created through the store's
 * repositories, has its own admin API client. Tasks are uploaded through the API
 * and moved to the state a cell needs through the task repository's
 * compare-and-set, as a worker or a client would move them.
 */
import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../../src/cli/config.ts';
import { openRuntime, startServices, createApi, stopServices, type Runtime, type Services } from '../../src/cli/wire.ts';
import { ensureBootstrap } from '../../src/cli/bootstrap.ts';
import { installDemo } from '../../src/cli/admin.ts';
import { newId, newSecret } from '../../src/core/ids.ts';
import { hashSecret } from '../../src/core/secrets.ts';
import type { ClientAction, TaskEvent, TaskPosition } from '../../src/core/task-states.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';
import { makePdf } from '../helpers/fixtures.ts';

export type CallerName = 'client' | 'admin' | 'validator' | 'other' | 'none';
export const CALLERS: readonly CallerName[] = ['client', 'admin', 'validator', 'other', 'none'];

/** How a caller authenticates: a bearer token, or a portal session cookie with its CSRF token. */
export interface Creds {
  token?: string;
  cookie?: string;
  csrf?: string;
}

export interface World {
  app: FastifyInstance;
  url: string;
  rt: Runtime;
  accountA: string;
  accountB: string;
  projectA: string;
  pdf: Buffer;
  creds: Record<CallerName, Creds>;
  /** The lease owner each tenant-A caller writes (`client:<id>`, `user:<id>`). */
  actor: Record<'client' | 'admin' | 'validator', string>;
  userIds: { admin: string; validator: string };
  validatorEmail: string;
  password: string;
  call(creds: Creds, method: string, path: string, init?: { json?: unknown; raw?: Buffer; contentType?: string; headers?: Record<string, string> }): Promise<Response>;
  token(clientId: string, secret: string): Promise<string>;
  login(email: string, password: string, headers?: Record<string, string>): Promise<Creds>;
  /** A new client of `account` with a live token. */
  newClient(account: string): Promise<{ clientId: string; secret: string; token: string }>;
  /** A new user of account A with a live session. */
  newUser(role: 'admin' | 'user'): Promise<{ id: string; email: string; creds: Creds }>;
  /** A task of account A at `state` for `action`, held by `owner` when the state is pending:complete_client_action. */
  taskAt(state: 'queued' | 'pending:start_client_action' | 'pending:complete_client_action', action?: ClientAction, owner?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startWorld(kind: StoreKind, env: Record<string, string> = {}): Promise<World> {
  const db: TestDatabase = await createTestDatabase(kind);
  const clientId = 'tenant-a-client';
  const clientSecret = 'tenant-a-secret-0123456789';
  const config = readConfig({
    DOCKET_DATA_DIR: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    DOCKET_BOOTSTRAP_CLIENT_ID: clientId, DOCKET_BOOTSTRAP_CLIENT_SECRET: clientSecret,
    PORT: '0', LOG_LEVEL: 'warn', DOCKET_WORKERS: '0', ...env,
  });
  const rt = await openRuntime(config);
  await ensureBootstrap(rt.store, config, rt.clock());
  const projectA = (await installDemo(rt.store, rt.clock())).id;
  const services: Services = await startServices(rt, false);
  const app = await createApi(rt, services.engines);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const store = rt.store;
  const accountA = (await store.accounts.firstAccountId()) as string;
  const accountB = newId();
  await store.accounts.createAccount(accountB, 'tenant B', rt.clock());
  const password = 'authz-password-0123';
  const hash = await hashSecret(password);

  const call: World['call'] = async (creds, method, path, init = {}) => {
    const headers = new Headers(init.headers);
    if (creds.token) headers.set('authorization', `Bearer ${creds.token}`);
    if (creds.cookie) headers.set('cookie', creds.cookie);
    if (creds.csrf) headers.set('x-csrf-token', creds.csrf);
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    } else if (init.raw) {
      headers.set('content-type', init.contentType ?? 'application/octet-stream');
      body = new Uint8Array(init.raw);
    }
    return fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
  };
  const token = async (id: string, secret: string) => {
    const res = await call({}, 'POST', '/oauth/token', { json: { client_id: id, client_secret: secret } });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const login = async (email: string, pw: string, headers: Record<string, string> = {}) => {
    const res = await call({}, 'POST', '/session', { json: { email, password: pw }, headers });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    return { cookie, csrf: ((await res.json()) as { csrf: string }).csrf };
  };
  const newClient = async (account: string) => {
    const id = `c-${newSecret().slice(0, 10)}`;
    const secret = newSecret();
    await store.accounts.createClient({ client_id: id, account_id: account, name: id, secret_hash: await hashSecret(secret), now: rt.clock() });
    return { clientId: id, secret, token: await token(id, secret) };
  };
  const newUser = async (role: 'admin' | 'user') => {
    const id = newId();
    const email = `${role}-${id.slice(0, 8).toLowerCase()}@a.test`;
    await store.accounts.createUser({ id, account_id: accountA, email, role, password_hash: hash, now: rt.clock() });
    return { id, email, creds: await login(email, password) };
  };

  const admin = await newUser('admin');
  const validator = await newUser('user');
  const other = await newClient(accountB);
  const creds: Record<CallerName, Creds> = {
    client: { token: await token(clientId, clientSecret) }, admin: admin.creds, validator: validator.creds, other: { token: other.token }, none: {},
  };
  const pdf = await makePdf(1);

  const taskAt: World['taskAt'] = async (state, action = 'validation', owner) => {
    const res = await call(creds.client, 'POST', `/tasks?project_id=${projectA}`, { raw: pdf, contentType: 'application/pdf' });
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const id = ((await res.json()) as { id: string }).id;
    const now = rt.clock();
    // Every move is an event checked by the state table, as a worker and a client would send it.
    const move = async (event: TaskEvent, expected: TaskPosition, set = {}) => {
      const done = await store.tasks.transition({ id, event, expected, now, actor: 'test', reason: 'test setup', set });
      if (!done.ok) throw new Error(`could not apply ${event.type} to ${id}: ${done.refusal}`);
    };
    if (state === 'queued') return id;
    await move({ type: 'claim' }, { state: 'queued', client_action: null }, { lease_owner: 'test', lease_expires_at: now + 3_600_000 });
    await move({ type: 'processed', action }, { state: 'running', client_action: null });
    if (state === 'pending:start_client_action') return id;
    await move({ type: 'start_action', action }, { state: 'pending:start_client_action', client_action: action }, { lease_owner: owner ?? `client:${clientId}`, lease_expires_at: now + 3_600_000 });
    return id;
  };

  return {
    app, url, rt, accountA, accountB, projectA, pdf, creds,
    actor: { client: `client:${clientId}`, admin: `user:${admin.id}`, validator: `user:${validator.id}` },
    userIds: { admin: admin.id, validator: validator.id },
    validatorEmail: validator.email,
    password,
    call, token, login, newClient, newUser, taskAt,
    async close() {
      await app.close();
      await stopServices(services);
      await rt.store.close();
      await db.drop();
      await rm(db.dataDir, { recursive: true, force: true });
    },
  };
}
