/**
 * @module The field-level audit written with a completed validation (core/field-audit.ts):
 * changed values from → to, retyped and new documents named, nothing for an unchanged
 * submission, and a long list cut with a count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureResult, DocumentResult, FieldResult } from '../../src/core/capture.ts';
import { fieldChanges } from '../../src/core/field-audit.ts';

const field = (name: string, value: FieldResult['value']): FieldResult => ({ name, type: 'text', value, text: null, confidence: 1, areas: [], valid: true, messages: [] , needs_confirmation: false });
const doc = (pages: [number, number], type: string | null, fields: FieldResult[]): DocumentResult => ({ index: 0, pages, document_type: type, type_confidence: 1, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, fields, messages: [] });
const before: CaptureResult = {
  pages: [], actions: [], needs_validation: true,
  documents: [doc([0, 0], 'Invoice', [field('total', 130), field('supplier', 'Northwind'), field('lines', [{ a: 1 }])]), doc([1, 1], 'Receipt', [field('total', 8.5)])],
};

test('changed values are listed from → to; unchanged ones are not', () => {
  const after = [doc([0, 0], 'Invoice', [field('total', 120), field('supplier', 'Northwind'), field('lines', [{ a: 1 }, { a: 2 }])]), doc([1, 1], 'Receipt', [field('total', null)])];
  assert.equal(fieldChanges(before, after), 'total 130 → 120; lines 1 row → 2 rows; total 8.5 → (empty)');
  assert.equal(fieldChanges(before, before.documents), '');
});

test('a retyped document and a new page range are named, not diffed field by field', () => {
  const after = [doc([0, 0], 'Receipt', [field('total', 1)]), doc([1, 2], 'Receipt', [])];
  assert.equal(fieldChanges(before, after), 'document 1: type Invoice → Receipt; document 2: pages 2–3 made a new document');
});

test('a long audit is cut at 1500 characters with the count of the rest', () => {
  const many = Array.from({ length: 200 }, (_, i) => field(`field_${i}`, `old value ${i}`));
  const changed = many.map((f) => ({ ...f, value: `new value ${String(f.value).slice(10)}` }));
  const text = fieldChanges({ ...before, documents: [doc([0, 0], 'Invoice', many)] }, [doc([0, 0], 'Invoice', changed)]);
  assert.ok(text.length <= 1600, String(text.length));
  assert.match(text, /; and \d+ more$/);
});
