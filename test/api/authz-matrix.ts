/**
 * @module The authorization matrix, once per store: every route Fastify registered
 * (the API's, the portal's, the static ones) × every caller, each cell's status
 * asserted (authz-rows.ts). A route without a row, an OpenAPI operation that is
 * not a registered route, or a rule missing from docs/authorization.md fails here;
 * a route without a rule cannot even be registered (src/api/access.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ACCESS, registeredRoutes } from '../../src/api/access.ts';
import type { StoreKind } from '../helpers/stores.ts';
import { CALLERS, startWorld, type World } from './authz-support.ts';
import { ROWS } from './authz-rows.ts';

type Json = Record<string, any>;

const toFastify = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

export function authzMatrix(kind: StoreKind, skip: false | string): void {
  describe(`authorization matrix (${kind})`, { skip }, () => {
    let w: World;
    before(async () => {
      w = await startWorld(kind);
    });
    after(async () => w?.close());

    test('every registered route has a rule and a row; every OpenAPI operation is a registered route', async () => {
      const routes = registeredRoutes(w.app).filter((r) => r.method !== 'HEAD');
      const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
      const rows = new Set(ROWS.map((r) => r.route));
      assert.deepEqual([...registered].filter((r) => !rows.has(r)), [], 'routes without a row in test/api/authz-rows.ts');
      assert.deepEqual(ROWS.filter((r) => !r.optional && !registered.has(r.route)).map((r) => r.route), [], 'rows for routes that do not exist');
      for (const r of registeredRoutes(w.app).filter((x) => x.method === 'HEAD')) {
        assert.equal(r.access, routes.find((g) => g.method === 'GET' && g.url === r.url)?.access, `HEAD ${r.url} follows GET`);
      }
      const doc = (await (await w.call({}, 'GET', '/openapi.json')).json()) as Json;
      const operations = Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.keys(ops as Json).map((m) => `${m.toUpperCase()} ${toFastify(path)}`));
      assert.ok(operations.length >= 30, `${operations.length} operations`);
      assert.deepEqual(operations.filter((o) => !registered.has(o)), [], 'OpenAPI operations that are not registered routes');
    });

    test('every cell answers its status: no unexpected 2xx', async () => {
      const failures: string[] = [];
      let cells = 0;
      let unexpected2xx = 0;
      const registered = new Set(registeredRoutes(w.app).map((r) => `${r.method} ${r.url}`));
      const rows = ROWS.filter((r) => registered.has(r.route));
      for (const row of rows) {
        for (const caller of CALLERS) {
          const creds = row.ownSession && (caller === 'admin' || caller === 'validator') ? (await w.newUser(caller === 'admin' ? 'admin' : 'user')).creds : w.creds[caller];
          const req = await row.request(w, caller);
          const method = row.route.split(' ')[0] as string;
          const res = await w.call(creds, method, req.path, { ...(req.json !== undefined ? { json: req.json } : {}), ...(req.raw ? { raw: req.raw, contentType: req.contentType as string } : {}) });
          const body = await res.text();
          const want = [row.expect[caller]].flat();
          cells++;
          if (!want.includes(res.status)) {
            if (res.status >= 200 && res.status < 300) unexpected2xx++;
            failures.push(`${row.route}${row.variant ? ` [${row.variant}]` : ''} as ${caller}: ${res.status}, want ${want.join('|')}: ${body.slice(0, 160)}`);
          }
        }
      }
      const routes = new Set(rows.map((r) => r.route)).size;
      console.log(`authorization matrix (${kind}): ${routes} routes, ${rows.length} rows × ${CALLERS.length} callers = ${cells} cells; ${failures.length} wrong, ${unexpected2xx} unexpected 2xx`);
      assert.deepEqual(failures, []);
      assert.equal(unexpected2xx, 0);
    });

    test("tenant B's lists hold none of tenant A's data", async () => {
      const task = await w.taskAt('pending:start_client_action', 'validation');
      // Not the validator's email: the matrix had tenant B create its own user of that address.
      const secrets = [task, w.projectA, w.userIds.validator, w.userIds.admin, 'tenant-a-client'];
      for (const path of ['/tasks', '/projects', '/admin/users', '/admin/clients', '/portal/queue', '/admin/stats']) {
        const res = await w.call(w.creds.other, 'GET', path);
        assert.equal(res.status, 200, path);
        const text = await res.text();
        for (const s of secrets) assert.equal(text.includes(s), false, `${path} shows ${s}`);
      }
      const mine = await w.call(w.creds.client, 'GET', '/portal/queue');
      assert.ok((await mine.text()).includes(task), 'the same query in tenant A does list it');
    });

    test("tenant B's 404s on tenant A's client and user leave them working", async () => {
      const client = await w.newClient(w.accountA);
      const user = await w.newUser('user');
      assert.equal((await w.call(w.creds.other, 'DELETE', `/admin/clients/${client.clientId}`)).status, 404);
      assert.equal((await w.call(w.creds.other, 'PATCH', `/admin/users/${user.id}`, { json: { active: false } })).status, 404);
      assert.equal((await w.call(w.creds.other, 'PATCH', `/admin/users/${user.id}`, { json: { role: 'admin' } })).status, 404);
      assert.equal((await w.call({ token: client.token }, 'GET', '/tasks')).status, 200, "A's client token still works");
      const session = await w.call(user.creds, 'GET', '/session');
      assert.equal(session.status, 200, "A's user's session still works");
      assert.equal(((await session.json()) as Json).user.role, 'user', 'and the role is unchanged');
      const users = (await (await w.call(w.creds.client, 'GET', '/admin/users')).json()) as Json;
      assert.equal(users.users.find((u: Json) => u.id === user.id).active, true);
    });

    test('docs/authorization.md gives every route its rule from ACCESS, and nothing else', async () => {
      const doc = await readFile(new URL('../../docs/authorization.md', import.meta.url), 'utf8');
      const rows = [...doc.matchAll(/^\| `([A-Z]+ \/[^`]*)` \| `([a-z_]+)` \|/gm)].map((m) => [m[1], m[2]]);
      assert.deepEqual(Object.fromEntries(rows), { ...ACCESS });
    });
  });
}
