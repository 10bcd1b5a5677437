/**
 * @module Accounts, API clients, users and bearer tokens. Secrets and tokens are
 * stored only as hashes. A token resolves to its principal only while it is
 * unexpired AND, in the same statement, its client is not revoked (or its user is
 * still active, with the user's current role): a token written by a token request
 * that raced a revocation is stored after the revocation deleted the others, so
 * only this check at use stops it. Every write names its account in its WHERE
 * clause, and side effects (deleting tokens and sessions) run only when that
 * scoped write matched a row, inside the same transaction.
 */
import type { Kysely } from 'kysely';
import type { AccountRepository, UserRecord } from '../core/ports/account-repository.ts';
import type { Principal, Role } from '../core/records.ts';
import type { Database, UsersTable } from './schema.ts';
import type { Selectable } from 'kysely';
import { p, prepare } from './prepared.ts';

function toUser(row: Selectable<UsersTable>): UserRecord {
  return { ...row, role: row.role as Role, active: Number(row.active) === 1, created_at: Number(row.created_at) };
}

export function createAccountRepository(db: Kysely<Database>): AccountRepository {
  // Every API request runs this one: prepared once (prepared.ts).
  const selectToken = prepare(() => db.selectFrom('tokens')
    .leftJoin('api_clients', (j) => j.onRef('api_clients.client_id', '=', 'tokens.subject').onRef('api_clients.account_id', '=', 'tokens.account_id').on('tokens.kind', '=', 'client'))
    .leftJoin('users', (j) => j.onRef('users.id', '=', 'tokens.subject').onRef('users.account_id', '=', 'tokens.account_id').on('tokens.kind', '=', 'user'))
    .select(['tokens.account_id', 'tokens.kind', 'tokens.subject', 'tokens.role', 'users.role as user_role'])
    .where('tokens.token_hash', '=', p<string>(0)).where('tokens.expires_at', '>', p<number>(1))
    .where((eb) => eb.or([
      eb.and([eb('tokens.kind', '=', 'client'), eb('api_clients.client_id', 'is not', null), eb('api_clients.revoked_at', 'is', null)]),
      eb.and([eb('tokens.kind', '=', 'user'), eb('users.active', '=', 1)]),
    ])));
  return {
    async createAccount(id, name, now) {
      await db.insertInto('accounts').values({ id, name, created_at: now }).execute();
    },

    async countAccounts() {
      const r = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async firstAccountId() {
      const r = await db.selectFrom('accounts').select('id').orderBy('created_at').limit(1).executeTakeFirst();
      return r?.id ?? null;
    },

    async createClient(c) {
      await db.insertInto('api_clients').values({ client_id: c.client_id, account_id: c.account_id, name: c.name, secret_hash: c.secret_hash, created_at: c.now, revoked_at: null }).execute();
    },

    async findClient(clientId) {
      const r = await db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).where('revoked_at', 'is', null).executeTakeFirst();
      return r ? { ...r, created_at: Number(r.created_at), revoked_at: null, last_used_at: r.last_used_at === null ? null : Number(r.last_used_at) } : null;
    },

    async listClients(accountId) {
      const rows = await db.selectFrom('api_clients').select(['client_id', 'account_id', 'name', 'created_at', 'revoked_at', 'last_used_at'])
        .where('account_id', '=', accountId).orderBy('created_at').execute();
      return rows.map((r) => ({ ...r, created_at: Number(r.created_at), revoked_at: r.revoked_at === null ? null : Number(r.revoked_at), last_used_at: r.last_used_at === null ? null : Number(r.last_used_at) }));
    },

    async revokeClient(accountId, clientId, now) {
      return db.transaction().execute(async (trx) => {
        const r = await trx.updateTable('api_clients').set({ revoked_at: now })
          .where('client_id', '=', clientId).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await trx.deleteFrom('tokens').where('account_id', '=', accountId).where('kind', '=', 'client').where('subject', '=', clientId).execute();
        return true;
      });
    },

    async createUser(u) {
      await db.insertInto('users').values({ id: u.id, account_id: u.account_id, email: u.email.toLowerCase(), role: u.role, active: 1, password_hash: u.password_hash, created_at: u.now }).execute();
    },

    async findUserByEmail(accountId, email) {
      const r = await db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('email', '=', email.toLowerCase()).executeTakeFirst();
      return r ? toUser(r) : null;
    },

    async findUsersByEmail(email, limit) {
      const rows = await db.selectFrom('users').innerJoin('accounts', 'accounts.id', 'users.account_id')
        .selectAll('users').select('accounts.name as account_name')
        .where('users.email', '=', email.toLowerCase()).orderBy('users.created_at').orderBy('users.id').limit(limit).execute();
      return rows.map(({ account_name, ...u }) => ({ ...toUser(u), account_name }));
    },

    async getUser(accountId, id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return r ? toUser(r) : null;
    },

    async listUsers(accountId) {
      const rows = await db.selectFrom('users').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
      return rows.map(toUser);
    },

    async updateUser(accountId, id, patch) {
      return db.transaction().execute(async (trx) => {
        const set: { role?: string; active?: number; password_hash?: string } = {};
        if (patch.role !== undefined) set.role = patch.role;
        if (patch.active !== undefined) set.active = patch.active ? 1 : 0;
        if (patch.password_hash !== undefined) set.password_hash = patch.password_hash;
        if (Object.keys(set).length === 0) return (await trx.selectFrom('users').select('id').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst()) !== undefined;
        const r = await trx.updateTable('users').set(set).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
        // Another account's user id matches no row above, and then nothing of theirs is touched.
        if (Number(r.numUpdatedRows) !== 1) return false;
        // Reactivating ends them too: a session or token written while the deactivation raced it must not come back to life.
        if (patch.active !== undefined || patch.role !== undefined || patch.password_hash !== undefined) {
          await trx.deleteFrom('tokens').where('account_id', '=', accountId).where('kind', '=', 'user').where('subject', '=', id).execute();
          await trx.deleteFrom('sessions').where('account_id', '=', accountId).where('user_id', '=', id).execute();
        }
        return true;
      });
    },

    async saveToken({ token_hash, principal, expires_at, now }) {
      await db.insertInto('tokens').values({ token_hash, account_id: principal.account_id, kind: principal.kind, subject: principal.subject, role: principal.role, expires_at, created_at: now }).execute();
      // A client's token is its use: the admin list shows when it last got one.
      if (principal.kind === 'client') await db.updateTable('api_clients').set({ last_used_at: now }).where('client_id', '=', principal.subject).execute();
    },

    async findToken(tokenHash, now) {
      const r = (await selectToken.run(db, tokenHash, now)).rows[0];
      if (!r) return null;
      // A user's token carries the user's role now, not the one at issue.
      const role = (r.kind === 'user' ? r.user_role ?? r.role : r.role) as Role;
      const principal: Principal = { account_id: r.account_id, kind: r.kind as Principal['kind'], subject: r.subject, role };
      return principal;
    },

    async deleteToken(tokenHash) {
      await db.deleteFrom('tokens').where('token_hash', '=', tokenHash).execute();
    },

    async deleteExpiredTokens(now) {
      const r = await db.deleteFrom('tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
