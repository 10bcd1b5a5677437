/**
 * @module The vendor-memory port's contract, run unchanged on SQLite, PostgreSQL and the
 * in-memory store: a change is read back, concurrent changes all land, a corrupt or
 * oversized stored memory is set aside at start (and on read) with its reason and the
 * project reads as cold, erasing removes both the memory and what was set aside.
 */
import { describe, test, before, after } from 'node:test';
import { recordOutcomes } from '../../src/core/calibration-outcomes.ts';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/connect.ts';
import { emptyMemory, MEMORY_LIMITS, type VendorMemory } from '../../src/core/memory/model.ts';
import { inMemoryVendorStore } from '../../src/core/memory/in-memory-store.ts';
import type { SetAside, VendorMemoryStore } from '../../src/core/ports/vendor-memory.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';

function withVendor(m: VendorMemory, id: string): VendorMemory {
  return { version: 1, vendors: [...m.vendors, { id, documents: 1, created: 1, updated: 1, anchors: { phone: [{ value: '123456789', n: 1, seen: 1 }] }, fields: {} }] };
}

export function memoryContract(kind: StoreKind | 'in-memory', skip: false | string): void {
  describe(`vendor memory store (${kind})`, { skip }, () => {
    let db: TestDatabase | null = null;
    let store: Store | null = null;
    let memory: VendorMemoryStore;
    let corrupt: (projectId: string, body: string) => Promise<void>;
    const heard: SetAside[] = [];

    before(async () => {
      if (kind === 'in-memory') {
        const m = inMemoryVendorStore();
        memory = m;
        corrupt = async (id, body) => void m.raw.set(id, body);
      } else {
        db = await createTestDatabase(kind);
        store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        memory = store.memory;
        const s = store;
        corrupt = async (id, body) => {
          await sql`insert into vendor_memory (project_id, account_id, body, updated_at) values (${id}, ${'acc'}, ${body}, ${1})`.execute(s.db);
        };
      }
      memory.onSetAside((s) => heard.push(s));
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('a project without memory reads empty; a change is read back', async () => {
      assert.deepEqual(await memory.load('p1'), emptyMemory());
      await memory.update('acc', 'p1', (m) => withVendor(m, 'v1'));
      assert.deepEqual((await memory.load('p1')).vendors.map((v) => v.id), ['v1']);
    });

    test('calibration counts are read back as written', async () => {
      const calibration = recordOutcomes(undefined, 'Receipt', true, [{ field: 'total', confidence: 0.96, ok: true }, { field: 'company', confidence: 0.41, ok: false }]);
      await memory.update('acc', 'p3', (m) => ({ ...withVendor(m, 'v3'), calibration }));
      assert.deepEqual((await memory.load('p3')).calibration, calibration);
    });

    test('concurrent changes of one project all land', async () => {
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => memory.update('acc', 'p2', (m) => withVendor(m, id))));
      assert.deepEqual((await memory.load('p2')).vendors.map((v) => v.id).sort(), ['a', 'b', 'c', 'd', 'e']);
    });

    test('corrupt and oversized memories are set aside at start, with the reason; the project reads cold', async () => {
      await corrupt('bad-json', '{"version":1,"vendors":[');
      await corrupt('bad-shape', '{"version":7}');
      await corrupt('too-big', JSON.stringify({ version: 1, vendors: [], pad: 'x'.repeat(MEMORY_LIMITS.bytes) }));
      const found = await memory.check();
      assert.deepEqual(found.map((s) => s.project_id).sort(), ['bad-json', 'bad-shape', 'too-big']);
      assert.match(found.find((s) => s.project_id === 'too-big')?.reason ?? '', /more than/);
      assert.match(found.find((s) => s.project_id === 'bad-json')?.reason ?? '', /not JSON/);
      assert.ok(heard.some((s) => s.project_id === 'bad-shape'));
      for (const id of ['bad-json', 'bad-shape', 'too-big']) assert.deepEqual(await memory.load(id), emptyMemory());
      assert.deepEqual((await memory.check()).length, 0, 'set aside once');
      assert.equal((await memory.load('p1')).vendors.length, 1, 'other projects keep theirs');
      await memory.update('acc', 'bad-json', (m) => withVendor(m, 'fresh'));
      assert.deepEqual((await memory.load('bad-json')).vendors.map((v) => v.id), ['fresh'], 'learning starts again from cold');
    });

    test('erase forgets the memory and what was set aside', async () => {
      assert.equal(await memory.erase('p1'), true);
      assert.deepEqual(await memory.load('p1'), emptyMemory());
      assert.equal(await memory.erase('p1'), false);
      assert.equal(await memory.erase('too-big'), true);
    });
  });
}
