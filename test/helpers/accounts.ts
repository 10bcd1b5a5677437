/**
 * @module A second (third, …) account in a test service, made the way `docket account
 * create` and `POST /operator/accounts` make one (core/tenants.ts), with its admin's
 * password and an API client whose token the helper fetches. For tests that need
 * two tenants side by side (isolation, route × role × tenant checks).
 */
import { randomBytes } from 'node:crypto';
import { checkTenant, createTenant, type TenantCredentials } from '../../src/core/tenants.ts';
import type { TestService } from './service.ts';

export interface TestAccount extends TenantCredentials {
  /** A bearer token of the account's API client. */
  token(): Promise<string>;
  /** fetch on the service as the account's API client. */
  api(path: string, init?: RequestInit): Promise<Response>;
}

export async function createTestAccount(s: TestService, options: { name?: string; admin_email?: string; admin_password?: string } = {}): Promise<TestAccount> {
  const suffix = randomBytes(4).toString('hex');
  const input = { name: options.name ?? `Tenant ${suffix}`, admin_email: options.admin_email ?? `admin-${suffix}@tenant.example`, ...(options.admin_password ? { admin_password: options.admin_password } : {}) };
  const problems = await checkTenant(s.rt.store.accounts, input);
  if (problems.length > 0) throw new Error(`createTestAccount: ${JSON.stringify(problems)}`);
  const created = await createTenant(s.rt.store.accounts, input, s.rt.clock());
  let cached: string | null = null;
  const account: TestAccount = {
    ...created,
    async token() {
      if (cached) return cached;
      const res = await fetch(`${s.url}/oauth/token`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: created.client_id, client_secret: created.client_secret }),
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      cached = ((await res.json()) as { access_token: string }).access_token;
      return cached;
    },
    async api(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await account.token()}`);
      return fetch(`${s.url}${path}`, { ...init, headers });
    },
  };
  return account;
}
