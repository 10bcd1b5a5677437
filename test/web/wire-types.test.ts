/**
 * @module The portal's copy of the service's wire shapes (`web/src/api/schema/service.d.ts`)
 * is what `npm run gen:api` would write from `src/` now: a shape changed in the service
 * without regenerating fails here rather than in a browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { WIRE_TYPES_FILE, wireTypes } from '../../scripts/wire-types.ts';

test('web/src/api/schema/service.d.ts is up to date (else run npm run gen:api)', async () => {
  assert.equal(await readFile(WIRE_TYPES_FILE, 'utf8'), wireTypes());
});

test('it carries every shape the portal imports, with what they refer to', () => {
  const text = wireTypes();
  for (const name of ['Action', 'ActionKind', 'Area', 'Box', 'DocumentResult', 'FieldResult', 'FieldValue', 'TableRow', 'TaskJson', 'AdminStatsJson', 'DashboardStats', 'ThroughputBucket', 'DocumentTypeSchema', 'FieldSchema']) {
    assert.match(text, new RegExp(`^export (interface|type) ${name}\\b`, 'm'), name);
  }
});
