/**
 * @module The worker while PostgreSQL goes away, for real: its connections run
 * through a TCP proxy in this test that can cut them (every socket closed, new ones
 * closed as they arrive) and let them through again, and through `pg_terminate_backend`
 * of the worker's own backends (matched by this suite's application_name, never
 * anyone else's). The worker must keep every slot alive, log the outage once and
 * the recovery once, record an outcome once the database is back, and, when the
 * outage outlasts its recording window, leave the task to its lease so that it is
 * processed again exactly once. The sweeper's loop must outlive an outage as well.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/connect.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { createTaskRepository } from '../../src/store/tasks-repo.ts';
import { createProjectRepository } from '../../src/store/projects-repo.ts';
import { localNotifier } from '../../src/store/notifier.ts';
import type { Database } from '../../src/store/schema.ts';
import { startWorker, type WorkerHandle } from '../../src/worker/loop.ts';
import { sweepOnce, startSweeper, type SweeperHandle } from '../../src/worker/sweeper.ts';
import { createAccountRepository } from '../../src/store/accounts-repo.ts';
import type { Logger } from '../../src/worker/loop.ts';
import { newId } from '../../src/core/ids.ts';
import type { ProcessOutcome } from '../../src/core/ports/task-processor.ts';
import type { ProjectRecord } from '../../src/core/records.ts';
import { createTestDatabase, skipPostgres, type TestDatabase } from '../helpers/stores.ts';
import { project, seedTask } from '../store/contract.ts';
import { EXPORTED, waitFor } from './faults.ts';

/** A TCP proxy to PostgreSQL that can drop every connection and refuse new ones until restored. */
async function cuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  let cut = false;
  let refused = 0;
  const server: Server = createServer((client) => {
    if (cut) {
      refused++;
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', end).on('close', end);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    get refused() {
      return refused;
    },
    cut() {
      cut = true;
      refused = 0;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

interface Recorded {
  warn: string[];
  info: string[];
  error: string[];
}

const skip = await skipPostgres();

describe('worker while the database goes away (postgres)', { skip }, () => {
  let db: TestDatabase;
  let store: Store;
  let proj: ProjectRecord;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  const account = newId();
  const appName = `docket-test-lifecycle-${randomBytes(4).toString('hex')}`;
  const opened: { worker: WorkerHandle | SweeperHandle; db: Kysely<Database> }[] = [];

  /** A Kysely whose pool goes through the proxy (or straight to the server) under this suite's application_name. */
  function database(viaProxy: boolean): Kysely<Database> {
    const url = new URL(db.databaseUrl!);
    if (viaProxy) {
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
    }
    const pool = new pg.Pool({ connectionString: url.toString(), max: 3, application_name: appName, connectionTimeoutMillis: 2000 });
    // The pool's and its clients' 'error' events (a killed connection) are the wiring's to handle, here the test's.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  function recorder(): { log: Recorded; logger: Logger } {
    const log: Recorded = { warn: [], info: [], error: [] };
    return { log, logger: { warn: (_o, m) => log.warn.push(m ?? ''), info: (_o, m) => log.info.push(m ?? ''), error: (_o, m) => log.error.push(m ?? '') } };
  }

  function worker(process: () => Promise<ProcessOutcome>, viaProxy: boolean, extra: { leaseMs?: number; recordWindowMs?: number } = {}) {
    const kdb = database(viaProxy);
    const { log, logger } = recorder();
    const handle = startWorker({
      tasks: createTaskRepository(kdb, 'postgres'), projects: createProjectRepository(kdb), blobs: createFsBlobStore(join(db.dataDir, 'blobs')),
      process, notifier: localNotifier(), clock: Date.now, workerId: `w-${newId()}`, concurrency: 2, log: logger,
      leaseMs: extra.leaseMs ?? 30_000, pollMs: 100, maxAttempts: 3, recordWindowMs: extra.recordWindowMs ?? 300_000,
    });
    opened.push({ worker: handle, db: kdb });
    return { handle, log };
  }

  /** A processor that waits for `open()`, counting its runs. */
  function gated() {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const state = { calls: 0, open: release, process: async () => (state.calls++, await gate, EXPORTED) };
    return state;
  }

  const processedEvents = async (id: string) => (await store.tasks.events(id)).filter((e) => e.to_state === 'pending:start_client_action').length;

  before(async () => {
    db = await createTestDatabase('postgres');
    store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    proxy = await cuttableProxy(new URL(db.databaseUrl!));
    await store.accounts.createAccount(account, 'a', 1);
    proj = await store.projects.create({ id: newId(), account_id: account, project: project('Outage'), now: 1 });
  });
  after(async () => {
    for (const o of opened) {
      await o.worker.stop(1000);
      await o.db.destroy();
    }
    await proxy?.close();
    await store?.close();
    await db?.drop();
  });

  test('claims fail while the database is away, the outage is logged once, and work resumes by itself', async () => {
    const { handle, log } = worker(async () => EXPORTED, true);
    proxy.cut();
    await waitFor('several refused claims', async () => proxy.refused >= 6);
    assert.deepEqual(log.warn, ['the database failed; retrying with backoff until it works again'], 'one line for the whole outage');
    proxy.restore();
    const { task } = await seedTask(store, account, proj, Date.now());
    const done = await waitFor('the task to be processed', async () => (await store.tasks.getById(task.id))?.state === 'pending:start_client_action');
    assert.ok(done);
    assert.deepEqual(log.info, ['the database works again']);
    assert.equal(log.warn.length, 1);
    await handle.stop(1000);
  });

  test('an outcome reached while the database is away is recorded when it is back, once', async () => {
    const p = gated();
    const { handle, log } = worker(p.process, true);
    const { task } = await seedTask(store, account, proj, Date.now());
    await waitFor('the run to start', async () => p.calls === 1);
    proxy.cut();
    p.open();
    await waitFor('the worker to retry recording', async () => proxy.refused >= 3);
    assert.equal((await store.tasks.getById(task.id))?.state, 'running');
    proxy.restore();
    await waitFor('the outcome to be recorded', async () => (await store.tasks.getById(task.id))?.state === 'pending:start_client_action');
    assert.equal(await processedEvents(task.id), 1);
    assert.equal(p.calls, 1);
    assert.equal(log.error.length, 0, log.error.join('; '));
    await handle.stop(1000);
  });

  test('the worker\'s own backends terminated mid-run (pg_terminate_backend): the outcome is recorded, the worker goes on', async () => {
    const p = gated();
    const { handle } = worker(p.process, false);
    const { task } = await seedTask(store, account, proj, Date.now());
    await waitFor('the run to start', async () => p.calls === 1);
    const admin = new pg.Client({ connectionString: db.databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [appName]);
      assert.ok(killed.rowCount! >= 1, 'the worker had connections to terminate');
    } finally {
      await admin.end();
    }
    p.open();
    await waitFor('the outcome to be recorded', async () => (await store.tasks.getById(task.id))?.state === 'pending:start_client_action');
    const { task: next } = await seedTask(store, account, proj, Date.now());
    await waitFor('the next task', async () => (await store.tasks.getById(next.id))?.state === 'pending:start_client_action');
    assert.equal(await processedEvents(task.id), 1);
    await handle.stop(1000);
  });

  test('an outage longer than the recording window leaves the task to its lease: redone once, recorded once', async () => {
    const p = gated();
    const { handle, log } = worker(p.process, true, { leaseMs: 1500, recordWindowMs: 1000 });
    const { task } = await seedTask(store, account, proj, Date.now());
    await waitFor('the run to start', async () => p.calls === 1);
    proxy.cut();
    p.open();
    await waitFor('the worker to give up recording', async () => log.error.length > 0);
    proxy.restore();
    const sweeper = { tasks: store.tasks, accounts: store.accounts, blobs: createFsBlobStore(join(db.dataDir, 'blobs')), notifier: store.notifier, clock: Date.now, log: { info() {}, warn() {}, error() {} }, maxAttempts: 3, retentionMs: 3_600_000, orphanGraceMs: 3_600_000 };
    await waitFor('the lease to expire and the sweeper to put the task back', async () => (await sweepOnce(sweeper)).requeued > 0 || (await store.tasks.getById(task.id))?.state !== 'running');
    await waitFor('the task to be redone', async () => (await store.tasks.getById(task.id))?.state === 'pending:start_client_action');
    assert.equal(p.calls, 2, 'processed again once');
    assert.equal(await processedEvents(task.id), 1, 'recorded once');
    const t = await store.tasks.getById(task.id);
    assert.equal(t?.attempts, 2);
    await handle.stop(1000);
  });

  test('the sweeper\'s loop outlives the outage: logged once, sweeping again when the database is back', async () => {
    const timed = await store.projects.create({ id: newId(), account_id: account, project: project('Outage timeout', { timeout: '1h' }), now: 1 });
    const kdb = database(true);
    const { log, logger } = recorder();
    const sweeper = startSweeper({
      tasks: createTaskRepository(kdb, 'postgres'), accounts: createAccountRepository(kdb), blobs: createFsBlobStore(join(db.dataDir, 'blobs')),
      notifier: localNotifier(), clock: Date.now, log: logger, maxAttempts: 3, retentionMs: 3_600_000, orphanGraceMs: 3_600_000,
    }, 100, 3_600_000);
    opened.push({ worker: sweeper, db: kdb });
    proxy.cut();
    await waitFor('several failed sweeps', async () => proxy.refused >= 4);
    assert.deepEqual(log.warn, ['sweeping failed; retrying with backoff until it works again']);
    // Created two hours ago with a one-hour timeout: the first sweep after the outage times it out.
    const { task } = await seedTask(store, account, timed, Date.now() - 2 * 3_600_000);
    proxy.restore();
    await waitFor('the sweeper to time the task out', async () => (await store.tasks.getById(task.id))?.state === 'timed-out');
    // The sweep that timed it out goes on (purge, retention, orphans) before it counts as a success.
    await waitFor('the recovery to be logged', async () => log.info.length > 0);
    assert.deepEqual(log.info, ['sweeping works again']);
    assert.equal(log.warn.length, 1);
  });
});
