/**
 * @module A whole docket service in the test process, wired exactly as `docket serve`
 * wires it (the CLI's own `wire.ts`), listening on a free loopback port: real
 * store, real blob folder, real workers, real HTTP. Tests talk to it with fetch.
 */
import { readConfig } from '../../src/cli/config.ts';
import { openRuntime, startServices, createApi, stopServices, type Runtime, type Services } from '../../src/cli/wire.ts';
import { ensureBootstrap } from '../../src/cli/bootstrap.ts';
import { installDemo } from '../../src/cli/admin.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from './stores.ts';
import type { FastifyInstance } from 'fastify';

export interface TestService {
  url: string;
  rt: Runtime;
  db: TestDatabase;
  clientId: string;
  clientSecret: string;
  demoProjectId: string;
  /** The workers, sweeper and engines, for a test that stops the workers for a while. */
  services: Services;
  token(): Promise<string>;
  /** fetch with the bearer token and the base URL. */
  api(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestService(kind: StoreKind, env: Record<string, string> = {}): Promise<TestService> {
  const db = await createTestDatabase(kind);
  const clientId = 'test-client';
  const clientSecret = 'test-secret-0123456789';
  const config = readConfig({
    DOCKET_DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    DOCKET_BOOTSTRAP_CLIENT_ID: clientId,
    DOCKET_BOOTSTRAP_CLIENT_SECRET: clientSecret,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DOCKET_WORKERS: '2',
    ...env,
  });
  const rt = await openRuntime(config);
  await ensureBootstrap(rt.store, config, rt.clock());
  const demo = await installDemo(rt.store, rt.clock());
  const services: Services = await startServices(rt, true);
  const app: FastifyInstance = await createApi(rt, services.engines);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let cached: string | null = null;
  const service: TestService = {
    url: address,
    rt,
    db,
    clientId,
    clientSecret,
    demoProjectId: demo.id,
    services,
    async token() {
      if (cached) return cached;
      const res = await fetch(`${address}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: clientId, client_secret: clientSecret }),
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      cached = ((await res.json()) as { access_token: string }).access_token;
      return cached;
    },
    async api(path, init = {}) {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? await service.token() : init.token;
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${address}${path}`, { ...init, headers });
    },
    async close() {
      await app.close();
      await stopServices(services);
      await rt.store.close();
      await db.drop();
    },
  };
  return service;
}

/** Polls a task until `done(task)` or the deadline; returns the last task JSON. */
export async function waitForTask(s: TestService, id: string, done: (t: Record<string, any>) => boolean, timeoutMs = 30_000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await s.api(`/tasks/${id}`);
    const task = (await res.json()) as Record<string, any>;
    if (done(task) || Date.now() > until) return task;
    await new Promise((r) => setTimeout(r, 20));
  }
}
