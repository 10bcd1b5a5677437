/**
 * @module Portal sessions: an opaque cookie value stored hashed, with the CSRF token
 * the portal must echo on every state-changing request. Ending a user's access
 * (deactivation, role change) deletes their sessions in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { SessionRepository } from '../core/ports/session-repository.ts';
import type { Database } from './schema.ts';

export function createSessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async create(s) {
      await db.insertInto('sessions').values({ id_hash: s.id_hash, user_id: s.user_id, account_id: s.account_id, csrf: s.csrf, expires_at: s.expires_at, created_at: s.now }).execute();
    },
    async find(idHash, now) {
      const r = await db.selectFrom('sessions').innerJoin('users', (j) => j.onRef('users.id', '=', 'sessions.user_id').onRef('users.account_id', '=', 'sessions.account_id'))
        .select(['sessions.user_id', 'sessions.account_id', 'sessions.csrf', 'sessions.expires_at'])
        .where('sessions.id_hash', '=', idHash).where('sessions.expires_at', '>', now).where('users.active', '=', 1)
        .executeTakeFirst();
      return r ? { ...r, expires_at: Number(r.expires_at) } : null;
    },
    async touch(idHash, expiresAt) {
      await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
    },
    async delete(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
  };
}
