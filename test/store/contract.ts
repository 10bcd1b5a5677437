/**
 * @module The store contract: one suite, run unchanged against SQLite and PostgreSQL
 * (contract.*.test.ts). It covers what every other part relies on: versioned
 * projects, idempotent task creation, compare-and-set transitions with their events,
 * exactly-once claims under concurrency, cursors, tokens.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/connect.ts';
import { parseProject } from '../../src/core/project.ts';
import { newId } from '../../src/core/ids.ts';
import type { ProjectRecord } from '../../src/core/records.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';

export function project(name: string, extra: Record<string, unknown> = {}) {
  const p = parseProject({ name, ...extra });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.project;
}

export async function seedTask(store: Store, account: string, proj: ProjectRecord, now: number, key: string | null = null) {
  const id = newId();
  return store.tasks.create({ id, account_id: account, project: proj, name: id, tags: {}, file_key: `tasks/${id}/original`, file_size: 1, file_sha256: 'x', idempotency_key: key, now });
}

export function storeContract(kind: StoreKind, skip: false | string): void {
  describe(`store contract (${kind})`, { skip }, () => {
    let db: TestDatabase;
    let store: Store;
    const account = newId();
    let proj: ProjectRecord;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      await store.accounts.createAccount(account, 'a', 1000);
      proj = await store.projects.create({ id: newId(), account_id: account, project: project('P', { timeout: '1h' }), now: 1000 });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('migrations are idempotent: a second open finds the schema up to date', async () => {
      const again = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
      assert.equal(await again.accounts.countAccounts(), 1);
      await again.close();
    });

    test('projects are versioned; old versions stay readable', async () => {
      const p = await store.projects.create({ id: newId(), account_id: account, project: project('V1'), now: 2000 });
      const v2 = await store.projects.update(account, p.id, project('V2', { validation: { mode: 'always' } }), 3000);
      assert.equal(v2?.version, 2);
      assert.equal((await store.projects.get(account, p.id))?.project.validation.mode, 'always');
      assert.equal((await store.projects.getVersion(p.id, 1))?.project.name, 'V1');
      assert.deepEqual((await store.projects.versions(account, p.id)).map((v) => v.version), [1, 2]);
      assert.equal((await store.projects.findByName(account, 'V2'))?.id, p.id);
      assert.equal(await store.projects.get('other-account', p.id), null);
      assert.equal(await store.projects.delete(account, p.id, 4000), true);
      assert.equal(await store.projects.get(account, p.id), null);
      assert.equal((await store.projects.getVersion(p.id, 2))?.project.name, 'V2', 'tasks keep their version after a delete');
    });

    test('an idempotency key returns the first task', async () => {
      const a = await seedTask(store, account, proj, 5000, 'key-1');
      const b = await seedTask(store, account, proj, 5001, 'key-1');
      assert.equal(a.created, true);
      assert.equal(b.created, false);
      assert.equal(b.task.id, a.task.id);
      assert.equal((await store.tasks.findByIdempotencyKey(account, 'key-1'))?.id, a.task.id);
      assert.equal(a.task.deadline_at, 5000 + 3_600_000);
      assert.deepEqual((await store.tasks.events(a.task.id)).map((e) => [e.from_state, e.to_state, e.actor]), [[null, 'queued', 'api']]);
    });

    test('a transition is a compare-and-set: of racing callers exactly one wins', async () => {
      const { task } = await seedTask(store, account, proj, 6000);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.tasks.transition({
        id: task.id, event: { type: 'cancel' }, expected: { state: 'queued', client_action: null }, now: 6001, actor: `c${i}`, reason: 'race',
      })));
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.deepEqual(results.filter((r) => !r.ok), Array.from({ length: 7 }, () => ({ ok: false, refusal: 'moved' })));
      const after = await store.tasks.getById(task.id);
      assert.equal(after?.state, 'canceled');
      assert.equal(after?.finished_at, 6001);
      const events = await store.tasks.events(task.id);
      assert.equal(events.length, 2);
      assert.equal(events[1]?.reason, 'race');
    });

    test('the store refuses what the table refuses, and writes nothing', async () => {
      const { task } = await seedTask(store, account, proj, 6500);
      const queued = { state: 'queued', client_action: null } as const;
      const refused = await store.tasks.transition({ id: task.id, event: { type: 'processed', action: 'export' }, expected: queued, now: 6501, actor: 't', reason: 'r' });
      assert.deepEqual(refused, { ok: false, refusal: 'wrong_state' });
      assert.equal((await store.tasks.getById(task.id))?.state, 'queued');
      assert.equal((await store.tasks.events(task.id)).length, 1);
    });

    test('client_action is part of the compare; targets without a lease clear it', async () => {
      const { task } = await seedTask(store, account, proj, 7000);
      const claimed = await store.tasks.transition({ id: task.id, event: { type: 'claim' }, expected: { state: 'queued', client_action: null }, now: 7001, actor: 'w', reason: 'r', set: { lease_owner: 'w', lease_expires_at: 8000 } });
      assert.equal(claimed.ok && claimed.task.lease_owner, 'w');
      const processed = await store.tasks.transition({ id: task.id, event: { type: 'processed', action: 'export' }, expected: { state: 'running', client_action: null }, owner: 'w', now: 7001, actor: 'w', reason: 'r' });
      assert.ok(processed.ok);
      assert.equal(processed.task.lease_owner, null);
      assert.equal(processed.task.lease_expires_at, null);
      const wrong = await store.tasks.transition({ id: task.id, event: { type: 'start_action', action: 'validation' }, expected: { state: 'pending:start_client_action', client_action: 'export' }, now: 7002, actor: 't', reason: 'r' });
      assert.deepEqual(wrong, { ok: false, refusal: 'wrong_action' });
      const stale = await store.tasks.transition({ id: task.id, event: { type: 'start_action', action: 'validation' }, expected: { state: 'pending:start_client_action', client_action: 'validation' }, now: 7002, actor: 't', reason: 'r' });
      assert.deepEqual(stale, { ok: false, refusal: 'moved' }, 'the table allows it from where the caller thought the task was; the compare does not');
      const right = await store.tasks.transition({ id: task.id, event: { type: 'start_action', action: 'export' }, expected: { state: 'pending:start_client_action', client_action: 'export' }, now: 7003, actor: 't', reason: 'r', set: { lease_owner: 'me', lease_expires_at: 9000 } });
      assert.equal(right.ok && right.task.lease_expires_at, 9000);
      assert.equal((await store.tasks.extendActionLease(task.id, 'export', 9999))?.lease_expires_at, 9999);
      assert.equal(await store.tasks.extendActionLease(task.id, 'validation', 9999), null);
    });

    test('a validated task is shown and listed as running, and claimed for its outputs', async () => {
      const acct = newId();
      await store.accounts.createAccount(acct, 'validated', 1);
      const p = await store.projects.create({ id: newId(), account_id: acct, project: project('VAL'), now: 1 });
      const { task } = await seedTask(store, acct, p, 1);
      const steps = [
        { event: { type: 'claim' }, expected: { state: 'queued', client_action: null }, set: { lease_owner: 'w', lease_expires_at: 5000 } },
        { event: { type: 'processed', action: 'validation' }, expected: { state: 'running', client_action: null } },
        { event: { type: 'start_action', action: 'validation' }, expected: { state: 'pending:start_client_action', client_action: 'validation' }, set: { lease_owner: 'u', lease_expires_at: 5000 } },
        { event: { type: 'complete_action', action: 'validation' }, expected: { state: 'pending:complete_client_action', client_action: 'validation' }, set: { phase: 'finish' } },
      ] as const;
      for (const step of steps) assert.ok((await store.tasks.transition({ id: task.id, now: 2, actor: 't', reason: 'r', ...step, set: { ...('set' in step ? step.set : {}) } })).ok, step.event.type);
      const validated = await store.tasks.getById(task.id);
      assert.equal(validated?.state, 'validated');
      assert.equal(validated?.lease_owner, null);
      assert.deepEqual((await store.tasks.list(acct, { limit: 10, state: 'running' })).map((t) => t.id), [task.id]);
      assert.deepEqual(await store.tasks.countByState(acct), { running: 1 });
    });

    test('a task put back with not_before is not claimed before it; the claim clears it', async () => {
      while (await store.tasks.claim('drain', 60_000, 200_000)) {
        // Earlier tests' claimable tasks, so the next claim can only find this one.
      }
      const { task } = await seedTask(store, account, proj, 200_000);
      const claimed = await store.tasks.claim('w', 1000, 200_001);
      assert.equal(claimed?.id, task.id);
      assert.equal(claimed?.attempts, 1);
      const back = await store.tasks.transition({
        id: task.id, event: { type: 'requeue' }, expected: { state: 'running', client_action: null }, owner: 'w', now: 200_002, actor: 'w', reason: 'transient',
        set: { attempts: 0, transient_faults: 1, not_before: 205_000 },
      });
      assert.ok(back.ok);
      assert.deepEqual([back.task.state, back.task.lease_owner, back.task.attempts, back.task.not_before], ['queued', null, 0, 205_000]);
      assert.equal(await store.tasks.claim('w', 1000, 204_999), null);
      const again = await store.tasks.claim('w', 1000, 205_000);
      assert.deepEqual([again?.id, again?.attempts, again?.transient_faults, again?.not_before], [task.id, 1, 1, null]);
    });

    test('list pages oldest first with a cursor and filters', async () => {
      const acct = newId();
      await store.accounts.createAccount(acct, 'list', 1);
      const p = await store.projects.create({ id: newId(), account_id: acct, project: project('L'), now: 1 });
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await seedTask(store, acct, p, 100 + Math.floor(i / 2))).task.id);
      const seen: string[] = [];
      let after: { created_at: number; id: string } | undefined;
      for (;;) {
        const page = await store.tasks.list(acct, { limit: 3, ...(after ? { after } : {}) });
        seen.push(...page.map((t) => t.id));
        if (page.length < 3) break;
        const last = page[page.length - 1]!;
        after = { created_at: last.created_at, id: last.id };
      }
      assert.equal(seen.length, 7);
      assert.deepEqual(new Set(seen), new Set(ids));
      assert.equal((await store.tasks.list(acct, { limit: 10, state: 'running' })).length, 0);
      assert.equal((await store.tasks.list(acct, { limit: 10, project_id: p.id, state: 'queued' })).length, 7);
      assert.equal((await store.tasks.list(account, { limit: 100 })).some((t) => ids.includes(t.id)), false, 'accounts are separate');
      assert.deepEqual(await store.tasks.countByState(acct), { queued: 7 });
    });

    test('tokens resolve until they expire; revoking a client deletes its tokens', async () => {
      await store.accounts.createClient({ client_id: `c-${kind}`, account_id: account, name: 'n', secret_hash: 'h', now: 1 });
      const principal = { account_id: account, kind: 'client' as const, subject: `c-${kind}`, role: 'admin' as const };
      await store.accounts.saveToken({ token_hash: `t-${kind}`, principal, expires_at: 10_000, now: 1 });
      assert.deepEqual(await store.accounts.findToken(`t-${kind}`, 9_999), principal);
      assert.equal(await store.accounts.findToken(`t-${kind}`, 10_000), null);
      assert.equal(await store.accounts.revokeClient(account, `c-${kind}`, 2), true);
      assert.equal(await store.accounts.findToken(`t-${kind}`, 5), null);
      assert.equal(await store.accounts.findClient(`c-${kind}`), null);
    });

    test('a notification in one process wakes a listener in another (LISTEN/NOTIFY)', { skip: kind === 'sqlite' && 'SQLite serves one process: its notifier is in-process' }, async () => {
      const other = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, migrate: false, poolSize: 2 });
      try {
        let woke = false;
        const unsubscribe = other.notifier.subscribe(() => void (woke = true));
        // LISTEN is issued asynchronously on subscribe: notify until it is heard, for at most 5 s.
        for (let i = 0; i < 50 && !woke; i++) {
          store.notifier.notify();
          await new Promise((r) => setTimeout(r, 100));
        }
        unsubscribe();
        assert.equal(woke, true);
      } finally {
        await other.close();
      }
    });

    test('4 workers and 1,000 tasks: every task claimed exactly once', async () => {
      const acct = newId();
      await store.accounts.createAccount(acct, 'claims', 1);
      const p = await store.projects.create({ id: newId(), account_id: acct, project: project('C'), now: 1 });
      const created = new Set<string>();
      for (let i = 0; i < 1000; i++) created.add((await seedTask(store, acct, p, 50_000 + i)).task.id);
      // PostgreSQL: four independent connection pools, as four worker processes would have.
      // SQLite: four claim loops on the one connection, as `docket serve` runs them.
      const stores = kind === 'postgres'
        ? await Promise.all([0, 1, 2, 3].map(() => openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, migrate: false, poolSize: 3 })))
        : [store, store, store, store];
      const claimed: string[][] = [[], [], [], []];
      await Promise.all(stores.map(async (s, w) => {
        for (;;) {
          const t = await s.tasks.claim(`w${w}`, 60_000, 100_000);
          if (!t) break;
          if (t.account_id === acct) claimed[w]!.push(t.id);
        }
      }));
      if (kind === 'postgres') await Promise.all(stores.map((s) => s.close()));
      const all = claimed.flat();
      assert.equal(all.length, 1000, 'each task claimed once');
      assert.equal(new Set(all).size, 1000, 'no task claimed twice');
      for (const id of all) assert.ok(created.has(id));
      assert.ok(claimed.filter((c) => c.length > 0).length >= 2, 'work spread over several workers');
      const t = await store.tasks.getById(all[0]!);
      assert.equal(t?.state, 'running');
      assert.equal(t?.attempts, 1);
    });
  });
}
