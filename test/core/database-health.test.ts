/**
 * @module The lost-connection predicate and the store's health state, on errors that
 * node-postgres really raises: a refused connection (a port nothing listens on), a
 * session ended by `pg_terminate_backend` (this suite's own session on the shared
 * server, found by its pid), and ordinary query errors that must not count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import pg from 'pg';
import { isDatabaseUnavailable } from '../../src/core/ports/database-health.ts';
import { healthTracker } from '../../src/store/db-health.ts';
import { PG_URL, skipPostgres } from '../helpers/stores.ts';

const skip = await skipPostgres();

/** A port that was free a moment ago: connecting to it is refused. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

test('a refused connection is a lost database; bugs and plain errors are not', async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: await closedPort(), user: 'x', database: 'x' });
  const refused = await errorOf(() => client.connect());
  assert.ok(isDatabaseUnavailable(refused), String(refused));
  assert.ok(!isDatabaseUnavailable(new TypeError('x is undefined')));
  assert.ok(!isDatabaseUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' })));
  assert.ok(!isDatabaseUnavailable(null));
  assert.ok(!isDatabaseUnavailable('Connection terminated'), 'only errors, not strings');
});

test('a session ended by pg_terminate_backend is a lost database; a wrong query is not', { skip }, async () => {
  const victim = new pg.Client({ connectionString: PG_URL });
  const events: unknown[] = [];
  victim.on('error', (err) => events.push(err));
  await victim.connect();
  const wrong = await errorOf(() => victim.query('select * from no_such_table_here'));
  assert.equal((wrong as { code?: string }).code, '42P01');
  assert.ok(!isDatabaseUnavailable(wrong));
  const { rows } = await victim.query<{ pid: number }>('select pg_backend_pid() as pid');
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
  await admin.end();
  const lost = await errorOf(() => victim.query('select 1'));
  assert.ok(isDatabaseUnavailable(lost), String(lost));
  for (const e of events) assert.ok(isDatabaseUnavailable(e), `the client's 'error' event: ${String(e)}`);
  await victim.end().catch(() => undefined);
});

test('the health state goes down on a failed round trip and tells its listeners when it answers again', { skip }, async () => {
  const down = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
  const up = new pg.Pool({ connectionString: PG_URL, max: 1 });
  let pool = down;
  const health = healthTracker(async () => void (await pool.query('select 1')));
  const turns: boolean[] = [];
  health.onChange((s) => turns.push(s.ok));
  try {
    const first = await health.ping();
    assert.equal(first.ok, false);
    assert.match(first.detail, /ECONNREFUSED/);
    assert.equal(health.status().ok, false, 'the state is kept for the upload gate');
    pool = up;
    // No one asks: the tracker probes again by itself while the database is down.
    for (let i = 0; i < 100 && !health.status().ok; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(health.status().ok, true);
    assert.match(health.status().detail, /answered in \d+ ms/);
    assert.deepEqual(turns, [false, true], 'one turn down, one up');
  } finally {
    health.close();
    await down.end();
    await up.end();
  }
});
