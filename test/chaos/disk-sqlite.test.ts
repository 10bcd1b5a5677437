/**
 * @module The SQLite adapter on a full disk (a 4 MiB tmpfs filled to the last block):
 * a transaction whose writes fail rejects with SQLite's own SQLITE_FULL, not with the
 * "cannot rollback - no transaction is active" that used to replace it after SQLite
 * rolled back by itself; the connection and its checkpointer thread live on, and
 * writes work again once space is freed.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { sqliteDialect } from '../../src/store/sqlite.ts';
import { isDiskFull } from '../../src/core/disk-space.ts';
import { fill, mountTmpfs, REQUIRE_CHAOS, rm } from './disk-setup.ts';

const mount = await mountTmpfs(4);
const skip = typeof mount === 'string' && !REQUIRE_CHAOS ? mount : false;

after(async () => {
  if (typeof mount !== 'string') await mount.unmount();
});

test('a full disk rejects SQLite statements and transactions with SQLITE_FULL, and nothing exits', { skip }, async () => {
  assert.ok(typeof mount !== 'string', `the suite needs a tmpfs: ${String(mount)}`);
  const handle = sqliteDialect(join(mount.dir, 'docket.db'));
  const db = new Kysely<Record<string, never>>({ dialect: handle.dialect });
  const count = async () => Number((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]?.n);
  try {
    await sql`create table t (x blob)`.execute(db);
    await sql`insert into t values (1)`.execute(db);
    await fill(join(mount.dir, 'filler'), 0);

    for (let i = 0; i < 3; i++) {
      const err = await db.transaction().execute(async (trx) => {
        await sql`insert into t values (randomblob(200000))`.execute(trx);
        await sql`insert into t values (randomblob(200000))`.execute(trx);
      }).then(() => null, (e: unknown) => e as Error & { errcode?: number });
      assert.ok(err, 'the transaction cannot commit on a full disk');
      assert.ok(isDiskFull(err), `the real error comes out: ${err.message} (${err.errcode})`);
    }
    const single = await sql`insert into t values (randomblob(200000))`.execute(db).then(() => null, (e: unknown) => e);
    assert.ok(isDiskFull(single), 'a statement outside a transaction: SQLITE_FULL');
    // The checkpointer thread runs every second; let it meet the full disk a few times.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await count(), 1, 'nothing half-written');

    await rm(join(mount.dir, 'filler'), { force: true });
    await db.transaction().execute(async (trx) => {
      await sql`insert into t values (randomblob(200000))`.execute(trx);
    });
    assert.equal(await count(), 2, 'writes work again');
  } finally {
    await db.destroy();
    await handle.close();
  }
});
