/**
 * @module Migration `0005_vendor_memory`: one row per project holding what it learned
 * of its vendors (core/memory/model.ts) as JSON text, and the columns a corrupt or
 * oversized memory is moved to when it is set aside (`set_aside_body`, with why and
 * when), so an operator can still look at it while the project works cold.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export interface VendorMemoryTable {
  project_id: string;
  account_id: string;
  body: string | null;
  updated_at: number;
  set_aside_body: string | null;
  set_aside_reason: string | null;
  set_aside_at: number | null;
}

export function vendorMemoryMigration(kind: 'sqlite' | 'postgres'): Migration {
  const time = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('vendor_memory')
        .addColumn('project_id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('set_aside_body', 'text')
        .addColumn('set_aside_reason', 'text')
        .addColumn('set_aside_at', time)
        .execute();
    },
  };
}
