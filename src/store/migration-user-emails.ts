/**
 * @module Migration: a user's email is unique within its account, not across
 * accounts. With one global unique email, creating a user in one account told its
 * admin whether the address was registered in any other account (a 409 that
 * enumerated other tenants' people). Now each account owns its list of emails;
 * login looks the email up in every account and opens the one whose password
 * matches (api/portal/session.ts). PostgreSQL drops the column's unique
 * constraint; SQLite cannot drop a column constraint, so the table is rebuilt
 * (the documented procedure, https://www.sqlite.org/lang_altertable.html §7: new
 * table, copy, drop, rename); nothing references `users`, so no key breaks.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export function userEmailsPerAccount(kind: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind === 'postgres') {
        await sql`alter table users drop constraint if exists users_email_key`.execute(db);
      } else {
        await db.schema.createTable('users_rebuilt')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'integer', (c) => c.notNull())
          .execute();
        await sql`insert into users_rebuilt (id, account_id, email, role, active, password_hash, created_at)
          select id, account_id, email, role, active, password_hash, created_at from users`.execute(db);
        await db.schema.dropTable('users').execute();
        await db.schema.alterTable('users_rebuilt').renameTo('users').execute();
      }
      await db.schema.createIndex('users_account_email').on('users').columns(['account_id', 'email']).unique().execute();
      await db.schema.createIndex('users_email').on('users').column('email').execute();
    },
  };
}
