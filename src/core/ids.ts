/**
 * @module Identifiers. Ids are 22-character base64url strings made of 16
 * random bytes (128 bits, the same entropy as a UUIDv4 without its fixed bits), so
 * they are unguessable across accounts and need no coordination between processes.
 */
import { randomBytes } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Random bytes are drawn 4 KB at a time (256 ids), as Node does for randomUUID: one
 * call into the system's generator per id was ~1 % of the API's CPU at 500 uploads/s.
 */
const POOL_BYTES = 16 * 256;
let pool = Buffer.alloc(0);
let used = 0;

export function newId(): string {
  if (used + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += 16;
  return pool.toString('base64url', used - 16, used);
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** A secret for tokens and client secrets: 32 random bytes, base64url (43 chars). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
