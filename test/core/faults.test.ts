/**
 * @module The transient-fault predicate against errors produced for real where the
 * machine can: a write to /dev/full (ENOSPC), a connection to a closed port
 * (ECONNREFUSED), a SQLite database at its page limit (SQLITE_FULL) and one locked
 * by another connection (SQLITE_BUSY); pg's errors by their documented SQLSTATEs and
 * messages. A document's own errors are not transient. And the backoff's bounds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { faultName, isTransientFault, TASK_RETRY } from '../../src/core/faults.ts';
import { backoffDelay } from '../../src/shared/backoff.ts';
import { TaskFailure } from '../../src/core/errors.ts';

async function caught(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

test('a full disk (a real ENOSPC from /dev/full) is transient, also as a cause', { skip: process.platform !== 'linux' && '/dev/full is Linux' }, async () => {
  const err = await caught(() => writeFile('/dev/full', 'x'));
  assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  assert.equal(isTransientFault(err), true);
  assert.equal(faultName(err), 'ENOSPC');
  assert.equal(isTransientFault(new Error('page 3 could not be written', { cause: err })), true);
  assert.equal(isTransientFault(new AggregateError([new Error('x'), err])), true);
});

test('a refused connection (a closed port) is transient', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  const client = new pg.Client({ host: '127.0.0.1', port, connectionTimeoutMillis: 2000 });
  const err = await caught(() => client.connect());
  assert.equal(isTransientFault(err), true, String(err));
});

test('SQLite: a database at its size limit (SQLITE_FULL) and a locked one (SQLITE_BUSY) are transient', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-faults-'));
  try {
    const db = new DatabaseSync(join(dir, 'full.db'));
    db.exec('PRAGMA max_page_count = 2; CREATE TABLE t (x TEXT)');
    const full = await caught(() => {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(4000));
    });
    assert.equal(isTransientFault(full), true, String(full));
    db.close();
    const a = new DatabaseSync(join(dir, 'busy.db'));
    const b = new DatabaseSync(join(dir, 'busy.db'));
    a.exec('CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)');
    b.exec('PRAGMA busy_timeout = 0');
    const busy = await caught(() => b.exec('BEGIN IMMEDIATE'));
    assert.equal(isTransientFault(busy), true, String(busy));
    a.exec('ROLLBACK');
    a.close();
    b.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: connection classes and shutdowns are transient, a syntax error is not', () => {
  const pgError = (code: string) => Object.assign(new Error('pg'), { code, severity: 'FATAL' });
  for (const code of ['08006', '08001', '57P01', '57P02', '57P03', '53100', '53300', '40001', '40P01']) assert.equal(isTransientFault(pgError(code)), true, code);
  for (const code of ['42601', '23505', '22P02']) assert.equal(isTransientFault(pgError(code)), false, code);
  assert.equal(isTransientFault(new Error('Connection terminated unexpectedly')), true);
  assert.equal(isTransientFault(new Error('timeout exceeded when trying to connect')), true);
});

test('a document\'s own errors are not transient', () => {
  assert.equal(isTransientFault(new TaskFailure('corrupt_file', 'not a PDF')), false);
  assert.equal(isTransientFault(new Error('Invalid PDF structure')), false);
  assert.equal(isTransientFault(Object.assign(new Error('no such file'), { code: 'ENOENT' })), false);
  assert.equal(isTransientFault('ENOSPC'), false, 'a string is not an error');
  assert.equal(isTransientFault(null), false);
});

test('the retry delay grows from 5 s, doubling, to 5 minutes, with jitter in the upper half', () => {
  assert.equal(backoffDelay(0, TASK_RETRY, () => 0), 2_500);
  assert.equal(backoffDelay(0, TASK_RETRY, () => 1), 5_000);
  assert.equal(backoffDelay(3, TASK_RETRY, () => 1), 40_000);
  assert.equal(backoffDelay(6, TASK_RETRY, () => 1), 300_000);
  assert.equal(backoffDelay(1000, TASK_RETRY, () => 1), 300_000);
  for (let n = 0; n < 12; n++) {
    const d = backoffDelay(n, TASK_RETRY);
    const step = Math.min(300_000, 5_000 * 2 ** n);
    assert.ok(d >= step / 2 && d <= step, `${n}: ${d}`);
  }
});
