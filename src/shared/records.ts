/**
 * @module Narrowing `unknown` input (parsed JSON, YAML, request bodies) to a plain
 * object. One definition for every part, so that "an object" means the same thing
 * to the project parser, the results checker, the portal and the agent's config:
 * not null and not an array (both are `typeof 'object'` in JavaScript).
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
