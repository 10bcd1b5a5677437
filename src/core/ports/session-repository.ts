/**
 * @module The session repository port: portal sessions, stored under the hash of their cookie
 * (`src/store/sessions-repo.ts`).
 */

/** A portal session: stored under the hash of its cookie value, with the CSRF token the portal echoes. */
export interface SessionRecord {
  user_id: string;
  account_id: string;
  csrf: string;
  expires_at: number;
}

export interface SessionRepository {
  create(input: SessionRecord & { id_hash: string; now: number }): Promise<void>;
  /** The session while it is unexpired and its user is active. */
  find(idHash: string, now: number): Promise<SessionRecord | null>;
  touch(idHash: string, expiresAt: number): Promise<void>;
  delete(idHash: string): Promise<void>;
}
