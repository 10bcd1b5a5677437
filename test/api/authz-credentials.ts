/**
 * @module Credentials end when they are revoked, even those issued while the
 * revocation raced them; emails are per account and reveal nothing across
 * accounts; login throttling counts parallel tries and ignores a forged
 * X-Forwarded-For. Once per store, over real HTTP (authz-support.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { newId } from '../../src/core/ids.ts';
import { hashSecret, hashToken } from '../../src/core/secrets.ts';
import type { StoreKind } from '../helpers/stores.ts';
import { startWorld, type World } from './authz-support.ts';

type Json = Record<string, any>;

const ROUNDS = 4;
const PARALLEL = 30;

async function countTokens(w: World, subject: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from tokens where subject = ${subject}`.execute(w.rt.store.db);
  return Number(r.rows[0]?.n ?? 0);
}

export function authzCredentials(kind: StoreKind, skip: false | string): void {
  describe(`credentials and revocation (${kind})`, { skip }, () => {
    let w: World;
    before(async () => {
      w = await startWorld(kind);
    });
    after(async () => w?.close());

    test('tokens requested while their client is revoked fail from their first use', async () => {
      let requested = 0;
      let issued = 0;
      let storedAfterRevocation = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const victim = await w.newClient(w.accountA);
        const body = { client_id: victim.clientId, client_secret: victim.secret };
        const requests = Array.from({ length: PARALLEL }, () => w.call({}, 'POST', '/oauth/token', { json: body }));
        // The revocation lands while the token requests are between their client lookup and their token write.
        await new Promise((r) => setTimeout(r, 5));
        const revoked = await w.call(w.creds.client, 'DELETE', `/admin/clients/${victim.clientId}`);
        assert.equal(revoked.status, 204);
        const answers = await Promise.all(requests);
        requested += answers.length;
        const tokens: string[] = [victim.token];
        for (const res of answers) {
          if (res.status === 200) tokens.push(((await res.json()) as Json).access_token);
          else assert.equal(res.status, 401, await res.text());
        }
        issued += tokens.length - 1;
        storedAfterRevocation += await countTokens(w, victim.clientId);
        for (const token of tokens) assert.equal((await w.call({ token }, 'GET', '/tasks')).status, 401, 'a revoked client\'s token works');
      }
      console.log(`revocation race (${kind}): ${requested} token requests in ${ROUNDS} bursts of ${PARALLEL}, revoked 5 ms in; ${issued} tokens issued, ${storedAfterRevocation} written after the revocation deleted the others; 0 of ${issued + ROUNDS} accepted afterwards`);
      assert.ok(issued > 0, 'the race was exercised: some token requests got a token');
    });

    test('a deactivated user\'s sessions and tokens fail at once, those created during the race too', async () => {
      const user = await w.newUser('user');
      const logins = Array.from({ length: 10 }, () => w.call({}, 'POST', '/session', { json: { email: user.email, password: w.password } }));
      await new Promise((r) => setTimeout(r, 5));
      assert.equal((await w.call(w.creds.client, 'PATCH', `/admin/users/${user.id}`, { json: { active: false } })).status, 200);
      const cookies = [user.creds.cookie as string];
      for (const res of await Promise.all(logins)) {
        if (res.status === 200) cookies.push((res.headers.get('set-cookie') ?? '').split(';')[0] as string);
        else assert.equal(res.status, 401, await res.text());
      }
      for (const cookie of cookies) assert.equal((await w.call({ cookie }, 'GET', '/session')).status, 401);
      // A user's bearer token written after the deactivation (as a racing issue would) does not resolve.
      const principal = { account_id: w.accountA, kind: 'user' as const, subject: user.id, role: 'user' as const };
      await w.rt.store.accounts.saveToken({ token_hash: hashToken('late-user-token'), principal, expires_at: Date.now() + 60_000, now: Date.now() });
      assert.equal((await w.call({ token: 'late-user-token' }, 'GET', '/portal/queue')).status, 401);
      assert.equal((await w.call(w.creds.client, 'PATCH', `/admin/users/${user.id}`, { json: { active: true } })).status, 200);
      assert.equal((await w.call({ token: 'late-user-token' }, 'GET', '/portal/queue')).status, 401, 'reactivating deleted the tokens');
    });

    test('a user token carries the user\'s current role, not the one it was issued with', async () => {
      const user = await w.newUser('admin');
      const principal = { account_id: w.accountA, kind: 'user' as const, subject: user.id, role: 'admin' as const };
      await w.rt.store.accounts.saveToken({ token_hash: hashToken('role-token'), principal, expires_at: Date.now() + 60_000, now: Date.now() });
      assert.equal((await w.call({ token: 'role-token' }, 'GET', '/admin/users')).status, 200);
      await w.rt.store.db.updateTable('users').set({ role: 'user' }).where('id', '=', user.id).execute();
      assert.equal((await w.call({ token: 'role-token' }, 'GET', '/admin/users')).status, 403);
    });

    test('emails are per account: another account\'s address is created, not revealed, and login opens the account whose password matches', async () => {
      const email = `shared-${newId().slice(0, 6).toLowerCase()}@x.test`;
      const mk = (creds: World['creds']['client'], password: string) => w.call(creds, 'POST', '/admin/users', { json: { email, password } });
      assert.equal((await mk(w.creds.client, 'password-of-a-0001')).status, 201);
      const inB = await mk(w.creds.other, 'password-of-b-0002');
      assert.equal(inB.status, 201, 'B is not told the address exists in A');
      assert.equal((await mk(w.creds.other, 'password-of-b-0002')).status, 409, 'a second one in B is a conflict');
      const a = (await w.call({}, 'POST', '/session', { json: { email, password: 'password-of-a-0001' } }));
      assert.equal(a.status, 200);
      const b = (await w.call({}, 'POST', '/session', { json: { email: email.toUpperCase(), password: 'password-of-b-0002' } }));
      assert.equal(b.status, 200);
      const userA = ((await a.json()) as Json).user.id;
      const userB = ((await b.json()) as Json).user.id;
      assert.notEqual(userA, userB);
      assert.equal((await w.rt.store.accounts.getUser(w.accountA, userA))?.email, email);
      assert.equal((await w.rt.store.accounts.getUser(w.accountB, userB))?.email, email);
      assert.equal((await w.call({}, 'POST', '/session', { json: { email, password: 'password-of-c-0003' } })).status, 401);
    });

    test('one password opening several accounts asks which (409 choose_account), and account_id picks it', async () => {
      const email = `twice-${newId().slice(0, 6).toLowerCase()}@x.test`;
      const hash = await hashSecret('same-password-0001');
      for (const account of [w.accountA, w.accountB]) await w.rt.store.accounts.createUser({ id: newId(), account_id: account, email, role: 'user', password_hash: hash, now: Date.now() });
      const ask = await w.call({}, 'POST', '/session', { json: { email, password: 'same-password-0001' } });
      assert.equal(ask.status, 409);
      const problem = (await ask.json()) as Json;
      assert.equal(problem.type, '/problems/choose_account');
      assert.deepEqual(problem.accounts.map((a: Json) => `${a.id} ${a.name}`).sort(), [`${w.accountA} default`, `${w.accountB} tenant B`].sort());
      const chosen = await w.call({}, 'POST', '/session', { json: { email, password: 'same-password-0001', account_id: w.accountB } });
      assert.equal(chosen.status, 200);
      assert.ok(await w.rt.store.accounts.getUser(w.accountB, ((await chosen.json()) as Json).user.id));
    });

    test('60 parallel wrong passwords: at most 10 are checked, the rest answer 429 at once', async () => {
      const user = await w.newUser('user');
      const answers = await Promise.all(Array.from({ length: 60 }, () => w.call({}, 'POST', '/session', { json: { email: user.email, password: 'wrong-password-000' } })));
      const counts = new Map<number, number>();
      for (const r of answers) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      console.log(`60 parallel wrong passwords (${kind}): ${JSON.stringify(Object.fromEntries(counts))}`);
      assert.ok((counts.get(401) ?? 0) <= 10, `${counts.get(401)} evaluated`);
      assert.equal((counts.get(401) ?? 0) + (counts.get(429) ?? 0), 60);
      const limited = answers.find((r) => r.status === 429);
      assert.ok(Number(limited?.headers.get('retry-after')) >= 1);
    });

    test('without DOCKET_TRUST_PROXY a forged X-Forwarded-For changes nothing', async () => {
      const user = await w.newUser('user');
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await w.call({}, 'POST', '/session', { json: { email: user.email, password: 'wrong-password-000' }, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } });
        statuses.push(res.status);
      }
      assert.equal(statuses.filter((s) => s === 401).length, 10, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 30);
    });
  });
}
