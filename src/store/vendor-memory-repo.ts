/**
 * @module The vendor-memory port (core/ports/vendor-memory.ts) on SQLite and
 * PostgreSQL: one row per project (migration 0005_vendor_memory). A change reads,
 * changes and writes the row in one transaction, the row locked on PostgreSQL
 * (`select … for update`; SQLite has one writer), so a validation finishing on one
 * worker and a sample posted to the API do not lose each other's learning. A body
 * that is not a memory, or is too large, is moved to `set_aside_body` with its
 * reason, and the project reads as cold.
 */
import type { Kysely, Transaction } from 'kysely';
import { readStoredMemory, storedMemoryText } from '../core/memory/in-memory-store.ts';
import { emptyMemory, MEMORY_LIMITS, type VendorMemory } from '../core/memory/model.ts';
import type { SetAside, VendorMemoryStore } from '../core/ports/vendor-memory.ts';
import type { Database } from './schema.ts';
import type { VendorMemoryTable } from './migration-vendor-memory.ts';
import type { StoreKind } from './migrations.ts';

type Db = Kysely<Database & { vendor_memory: VendorMemoryTable }>;

export function createVendorMemoryRepository(base: Kysely<Database>, kind: StoreKind, clock: () => number = Date.now): VendorMemoryStore {
  const db = base.withTables<{ vendor_memory: VendorMemoryTable }>() as Db;
  const listeners: ((s: SetAside) => void)[] = [];

  async function setAside(trx: Db | Transaction<Database & { vendor_memory: VendorMemoryTable }>, projectId: string, body: string, reason: string): Promise<void> {
    await trx.updateTable('vendor_memory')
      .set({ body: null, set_aside_body: body, set_aside_reason: reason, set_aside_at: clock() })
      .where('project_id', '=', projectId).execute();
    for (const l of listeners) l({ project_id: projectId, reason });
  }

  /** Reads a row's body, setting it aside when it is not a memory. */
  async function readBody(trx: Db | Transaction<Database & { vendor_memory: VendorMemoryTable }>, projectId: string, body: string | null | undefined): Promise<VendorMemory> {
    if (body === null || body === undefined) return emptyMemory();
    const r = readStoredMemory(body);
    if ('memory' in r) return r.memory;
    await setAside(trx, projectId, body, r.reason);
    return emptyMemory();
  }

  return {
    async load(projectId) {
      const row = await db.selectFrom('vendor_memory').select('body').where('project_id', '=', projectId).executeTakeFirst();
      return readBody(db, projectId, row?.body);
    },
    async update(accountId, projectId, change) {
      return db.transaction().execute(async (trx) => {
        await trx.insertInto('vendor_memory')
          .values({ project_id: projectId, account_id: accountId, body: null, updated_at: clock(), set_aside_body: null, set_aside_reason: null, set_aside_at: null })
          .onConflict((oc) => oc.column('project_id').doNothing()).execute();
        let q = trx.selectFrom('vendor_memory').select('body').where('project_id', '=', projectId);
        if (kind === 'postgres') q = q.forUpdate();
        const row = await q.executeTakeFirst();
        const next = change(await readBody(trx, projectId, row?.body));
        await trx.updateTable('vendor_memory').set({ body: storedMemoryText(next), updated_at: clock() }).where('project_id', '=', projectId).execute();
        return next;
      });
    },
    async erase(projectId) {
      const r = await db.deleteFrom('vendor_memory').where('project_id', '=', projectId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async check() {
      const found: SetAside[] = [];
      // Sizes first, so an oversized body is set aside without being read into memory.
      const rows = await db.selectFrom('vendor_memory').select(['project_id', (eb) => eb.fn<number>('length', ['body']).as('size')]).where('body', 'is not', null).execute();
      for (const r of rows) {
        if (Number(r.size) > MEMORY_LIMITS.bytes) {
          const reason = `the stored memory is ${r.size} characters, more than the ${MEMORY_LIMITS.bytes} allowed`;
          await db.updateTable('vendor_memory')
            .set((eb) => ({ set_aside_body: eb.ref('body'), body: null, set_aside_reason: reason, set_aside_at: clock() }))
            .where('project_id', '=', r.project_id).execute();
          found.push({ project_id: r.project_id, reason });
          for (const l of listeners) l({ project_id: r.project_id, reason });
          continue;
        }
        const collect = (s: SetAside) => found.push(s);
        listeners.push(collect);
        try {
          const body = await db.selectFrom('vendor_memory').select('body').where('project_id', '=', r.project_id).executeTakeFirst();
          await readBody(db, r.project_id, body?.body);
        } finally {
          listeners.splice(listeners.indexOf(collect), 1);
        }
      }
      return found;
    },
    onSetAside(listener) {
      listeners.push(listener);
    },
  };
}
