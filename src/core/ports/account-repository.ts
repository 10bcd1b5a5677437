/**
 * @module The account repository port: accounts, API clients, users and bearer tokens, every
 * write scoped by account (docs/authorization.md; `src/store/accounts-repo.ts`).
 */
import type { Principal, Role } from '../records.ts';

export interface ApiClientRecord {
  client_id: string;
  account_id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
  /** When the client last got a token (migration 0007); null when never since. */
  last_used_at: number | null;
}

export interface UserRecord {
  id: string;
  account_id: string;
  email: string;
  role: Role;
  active: boolean;
  password_hash: string;
  created_at: number;
}

export interface AccountRepository {
  createAccount(id: string, name: string, now: number): Promise<void>;
  countAccounts(): Promise<number>;
  firstAccountId(): Promise<string | null>;
  createClient(input: { client_id: string; account_id: string; name: string; secret_hash: string; now: number }): Promise<void>;
  /** The client with its secret hash, unless revoked. */
  findClient(clientId: string): Promise<(ApiClientRecord & { secret_hash: string }) | null>;
  listClients(accountId: string): Promise<ApiClientRecord[]>;
  /** Revokes an active client of this account and deletes its tokens; false (and nothing changed) otherwise. */
  revokeClient(accountId: string, clientId: string, now: number): Promise<boolean>;
  createUser(input: { id: string; account_id: string; email: string; role: Role; password_hash: string; now: number }): Promise<void>;
  /** The account's user with this email (emails are unique per account, not across accounts). */
  findUserByEmail(accountId: string, email: string): Promise<UserRecord | null>;
  /** Every account's user with this email, oldest first, at most `limit`, with their account's name: the candidates of a login. */
  findUsersByEmail(email: string, limit: number): Promise<(UserRecord & { account_name: string })[]>;
  getUser(accountId: string, id: string): Promise<UserRecord | null>;
  listUsers(accountId: string): Promise<UserRecord[]>;
  /** Updates this account's user; deactivating or a new role or password ends their sessions and tokens. False, and nothing changed, for another account's user. */
  updateUser(accountId: string, id: string, patch: { role?: Role; active?: boolean; password_hash?: string }): Promise<boolean>;
  saveToken(input: { token_hash: string; principal: Principal; expires_at: number; now: number }): Promise<void>;
  /** The token's principal while it is unexpired and its client or user is still active. */
  findToken(tokenHash: string, now: number): Promise<Principal | null>;
  deleteToken(tokenHash: string): Promise<void>;
  deleteExpiredTokens(now: number): Promise<number>;
}
