/**
 * @module Login throttling that cannot be turned against users: the throttle's
 * arithmetic on a hand-driven clock (free tries, doubling delays with a cap,
 * reservations that make parallel tries count, keys per email-and-address), the
 * DOCKET_TRUST_PROXY setting, and over HTTP behind a trusted proxy: another
 * address's failures never stop the right password.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLoginThrottle, delayAfter } from '../../src/api/portal/rate-limit.ts';
import { ConfigError, readConfig } from '../../src/cli/config.ts';
import { startWorld, type World } from './authz-support.ts';

const LIMIT = 10;
const WINDOW = 15 * 60_000;

describe('login throttle', () => {
  test('10 free tries, then a delay that doubles per failure up to 15 minutes', () => {
    const t = createLoginThrottle(LIMIT, WINDOW);
    let now = 1_000_000;
    for (let i = 0; i < LIMIT; i++) {
      const a = t.begin('a@x', '1.1.1.1', now);
      assert.equal(a.wait, 0, `try ${i + 1}`);
      a.finish(false, now);
    }
    assert.equal(t.begin('a@x', '1.1.1.1', now).wait, 1);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      now += delayAfter(LIMIT + i, LIMIT);
      const a = t.begin('a@x', '1.1.1.1', now);
      assert.equal(a.wait, 0, `allowed after ${delayAfter(LIMIT + i, LIMIT)} ms`);
      a.finish(false, now);
      waits.push(t.begin('a@x', '1.1.1.1', now).wait);
    }
    assert.deepEqual(waits, [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]);
    assert.equal(t.begin('a@x', '1.1.1.1', now + 899_000).wait, 1, 'waiting out the capped delay…');
    const late = t.begin('a@x', '1.1.1.1', now + 900_000);
    assert.equal(late.wait, 0);
    late.finish(false, now + 900_000);
    assert.equal(t.begin('a@x', '1.1.1.1', now + 900_000).wait, 900, '…buys one try, not ten');
  });

  test('parallel tries are reserved before they are checked: of 60, 10 go on', () => {
    const t = createLoginThrottle(LIMIT, WINDOW);
    const attempts = Array.from({ length: 60 }, () => t.begin('b@x', '2.2.2.2', 5));
    assert.equal(attempts.filter((a) => a.wait === 0).length, LIMIT);
    for (const a of attempts) a.finish(false, 6);
    assert.ok(t.begin('b@x', '2.2.2.2', 6).wait >= 1);
  });

  test("failures from one address never delay the right password from another", () => {
    const t = createLoginThrottle(LIMIT, WINDOW);
    for (let i = 0; i < 50; i++) {
      const a = t.begin('victim@x', '6.6.6.6', 10 + i * 1_000_000);
      a.finish(false, 10 + i * 1_000_000);
    }
    assert.equal(t.begin('victim@x', '7.7.7.7', 60_000_000).wait, 0);
  });

  test('a success clears its key; failures are forgotten after 15 quiet minutes beyond the delay', () => {
    const t = createLoginThrottle(LIMIT, WINDOW);
    for (let i = 0; i < 9; i++) t.begin('c@x', '3.3.3.3', 1).finish(false, 1);
    t.begin('c@x', '3.3.3.3', 1).finish(true, 1);
    for (let i = 0; i < 10; i++) {
      const a = t.begin('c@x', '3.3.3.3', 2);
      assert.equal(a.wait, 0, 'a fresh budget after the success');
      a.finish(false, 2);
    }
    const u = createLoginThrottle(LIMIT, WINDOW);
    // 10 failures; the next tries wait and are not checked, so they record nothing.
    for (let i = 0; i < 12; i++) u.begin('d@x', '4.4.4.4', 0).finish(false, 0);
    assert.ok(u.begin('d@x', '4.4.4.4', 0).wait > 0);
    const a = u.begin('d@x', '4.4.4.4', WINDOW);
    assert.equal(a.wait, 0, 'the 1 s delay is over');
    a.finish(false, WINDOW);
    assert.equal(u.begin('d@x', '4.4.4.4', WINDOW).wait, 2, 'but the failures were kept');
    const quiet = 2 * WINDOW + delayAfter(11, LIMIT);
    for (let i = 0; i < LIMIT; i++) {
      const b = u.begin('d@x', '4.4.4.4', quiet);
      assert.equal(b.wait, 0, 'forgotten after 15 quiet minutes beyond the delay: the free tries again');
      b.finish(false, quiet);
    }
  });

  test('one address spraying many emails is slowed after 10× the budget', () => {
    const t = createLoginThrottle(LIMIT, WINDOW);
    for (let i = 0; i < LIMIT * 10; i++) {
      const a = t.begin(`user${i}@x`, '5.5.5.5', 1);
      assert.equal(a.wait, 0, `email ${i}`);
      a.finish(false, 1);
    }
    assert.ok(t.begin('fresh@x', '5.5.5.5', 1).wait >= 1);
    assert.equal(t.begin('fresh@x', '5.5.5.6', 1).wait, 0, 'another address is not slowed');
  });
});

describe('DOCKET_TRUST_PROXY', () => {
  test('addresses and CIDRs, comma-separated; none by default', () => {
    assert.deepEqual(readConfig({}).trustProxy, []);
    assert.deepEqual(readConfig({ DOCKET_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
  });

  test('anything else is reported with every other problem', () => {
    assert.throws(() => readConfig({ DOCKET_TRUST_PROXY: 'true,10.0.0.0/33,1.2.3.4/8/9,::1/129', PORT: 'x' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.filter((p) => p.startsWith('DOCKET_TRUST_PROXY')).length, 4, err.message);
      assert.ok(err.problems.some((p) => p.startsWith('PORT')));
      return true;
    });
  });
});

describe('login behind a trusted proxy (SQLite)', () => {
  let w: World;
  before(async () => {
    w = await startWorld('sqlite', { DOCKET_TRUST_PROXY: '127.0.0.1' });
  });
  after(async () => w?.close());

  test("an attacker's failures on a person's email leave the right password working from the person's address", async () => {
    const victim = await w.newUser('user');
    const from = (ip: string, password: string) => w.call({}, 'POST', '/session', { json: { email: victim.email, password }, headers: { 'x-forwarded-for': ip } });
    const attacker: number[] = [];
    for (let i = 0; i < 14; i++) attacker.push((await from('203.0.113.5', 'guess-guess-guess')).status);
    assert.equal(attacker.filter((s) => s === 401).length, 10, attacker.join(','));
    assert.equal(attacker.filter((s) => s === 429).length, 4);
    assert.equal((await from('198.51.100.7', w.password)).status, 200, 'the person logs in from their own address');
    assert.equal((await from('203.0.113.5', w.password)).status, 429, "the attacker's address waits, even with the right password");
  });

  test("the proxy's X-Forwarded-For is the address counted: each client has its own budget", async () => {
    const user = await w.newUser('user');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await w.call({}, 'POST', '/session', { json: { email: user.email, password: 'wrong-wrong-wrong' }, headers: { 'x-forwarded-for': `192.0.2.${i % 2 + 1}` } })).status);
    assert.deepEqual(statuses, Array(12).fill(401), 'two clients, six tries each, within their budgets');
  });
});
