/**
 * @module Migration 0003 on a database that has tasks: a task whose validation was
 * completed before it (stored as `running` with no lease owner) becomes `validated`
 * and is still claimed for its outputs; a task a worker holds stays `running`; every
 * task gets `transient_faults` 0 and no `not_before`. Run on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openStore, type Store } from '../../src/store/connect.ts';
import { migrate } from '../../src/store/migrations.ts';
import { newId } from '../../src/core/ids.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';

export function migrationSuite(kind: StoreKind, skip: false | string): void {
  describe(`migration 0003 (${kind})`, { skip }, () => {
    let db: TestDatabase;
    let store: Store;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, migrate: false });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('running without a lease owner becomes validated; held tasks stay running', async () => {
      await migrate(store.db as unknown as Kysely<unknown>, kind, '0002_partial_sweeper_indexes');
      const task = (id: string, owner: string | null) => sql`insert into tasks (id, account_id, project_id, project_version, project_name, name, tags_json,
        state, client_action, phase, file_key, file_size, file_sha256, documents_count, attempts, lease_owner, lease_expires_at, deadline_at,
        client_action_timeout_ms, error_code, error_message, created_at, updated_at, finished_at, purged_at)
        values (${id}, 'a', 'p', 1, 'P', ${id}, '{}', 'running', null, 'finish', ${`uploads/${id}`}, 1, 'x', 1, 0, ${owner}, ${owner ? 9_999 : null}, null,
        60000, null, null, 1, 1, null, null)`.execute(store.db);
      const waiting = newId();
      const held = newId();
      await task(waiting, null);
      await task(held, 'worker:w');
      await migrate(store.db as unknown as Kysely<unknown>, kind);
      const a = await store.tasks.getById(waiting);
      const b = await store.tasks.getById(held);
      assert.deepEqual([a?.state, a?.transient_faults, a?.not_before], ['validated', 0, null]);
      assert.deepEqual([b?.state, b?.lease_owner], ['running', 'worker:w']);
      const claimed = await store.tasks.claim('w2', 1000, 10);
      assert.equal(claimed?.id, waiting);
      assert.equal(claimed?.phase, 'finish');
      assert.equal(await store.tasks.claim('w2', 1000, 10), null);
    });
  });
}
