/**
 * @module Identifiers. DESIGN §3: ids are 22-character base64url strings made of 16
 * random bytes (128 bits, the same entropy as a UUIDv4 without its fixed bits), so
 * they are unguessable across accounts and need no coordination between processes.
 */
import { randomBytes } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** A secret for tokens and client secrets: 32 random bytes, base64url (43 chars). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
