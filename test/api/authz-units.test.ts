/**
 * @module The pieces under the authorization matrix, each on its own: a route
 * without an access rule (or one that claims to be public against the table)
 * cannot be registered; callers are classed by kind and role; and the migration
 * that makes emails unique per account keeps every user when SQLite rebuilds the
 * table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import Fastify from 'fastify';
import { callerOf, installAccessRules, registeredRoutes, ruleFor } from '../../src/api/access.ts';
import { openStore } from '../../src/store/connect.ts';
import { userEmailsPerAccount } from '../../src/store/migration-user-emails.ts';
import { createTestDatabase } from '../helpers/stores.ts';

describe('access rules', () => {
  test('a route without a rule stops the app from building', async () => {
    const app = Fastify();
    installAccessRules(app);
    assert.throws(() => app.get('/tasks/:id/secret', async () => 'open'), /no access rule for GET \/tasks\/:id\/secret/);
    await app.close();
  });

  test('a route that calls itself public against the table is refused', async () => {
    const app = Fastify();
    installAccessRules(app);
    assert.throws(() => app.get('/tasks', { config: { public: true } }, async () => []), /says it is public but ACCESS says admin/);
    await app.close();
  });

  test('every route gets its rule in its config; HEAD follows GET; static prefixes are public', async () => {
    const app = Fastify();
    installAccessRules(app);
    app.get('/admin/users', async (req) => req.routeOptions.config.access);
    app.get('/docs/anything', async () => 'docs');
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/admin/users' })).body, 'admin');
    assert.deepEqual(registeredRoutes(app).map((r) => `${r.method} ${r.url} ${r.access}`).sort(), [
      'GET /admin/users admin', 'GET /docs/anything public', 'HEAD /admin/users admin', 'HEAD /docs/anything public',
    ]);
    assert.equal(ruleFor('GET', '/documents'), null, 'a prefix is a path segment, not a string prefix');
    await app.close();
  });

  test('callers: API clients and admin users are admins, user-role logins validators', () => {
    assert.equal(callerOf({ account_id: 'a', kind: 'client', subject: 'c', role: 'admin' }), 'client');
    assert.equal(callerOf({ account_id: 'a', kind: 'user', subject: 'u', role: 'admin' }), 'admin');
    assert.equal(callerOf({ account_id: 'a', kind: 'user', subject: 'u', role: 'user' }), 'validator');
  });
});

describe('emails unique per account (SQLite table rebuild)', () => {
  test('the rebuild keeps every user; one email per account, any number of accounts', async () => {
    const db = await createTestDatabase('sqlite');
    const store = await openStore({ databaseUrl: undefined, dataDir: db.dataDir });
    try {
      for (const a of ['acct-1', 'acct-2']) await store.accounts.createAccount(a, a, 1);
      await store.accounts.createUser({ id: 'u1', account_id: 'acct-1', email: 'Same@X.test', role: 'admin', password_hash: 'h1', now: 1 });
      await store.accounts.createUser({ id: 'u2', account_id: 'acct-1', email: 'other@x.test', role: 'user', password_hash: 'h2', now: 2 });
      // Run the migration's rebuild again over a table with rows, as an upgrade of an existing database does.
      await userEmailsPerAccount('sqlite').up(store.db as never);
      assert.deepEqual((await store.accounts.listUsers('acct-1')).map((u) => [u.id, u.email, u.role, u.active, u.password_hash]), [
        ['u1', 'same@x.test', 'admin', true, 'h1'], ['u2', 'other@x.test', 'user', true, 'h2'],
      ]);
      await store.accounts.createUser({ id: 'u3', account_id: 'acct-2', email: 'same@x.test', role: 'user', password_hash: 'h3', now: 3 });
      await assert.rejects(store.accounts.createUser({ id: 'u4', account_id: 'acct-1', email: 'same@x.test', role: 'user', password_hash: 'h4', now: 4 }));
      assert.deepEqual((await store.accounts.findUsersByEmail('SAME@x.test', 8)).map((u) => u.id), ['u1', 'u3']);
      assert.equal((await store.accounts.findUserByEmail('acct-2', 'same@x.test'))?.id, 'u3');
    } finally {
      await store.close();
      await rm(db.dataDir, { recursive: true, force: true });
    }
  });
});
