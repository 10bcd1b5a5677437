/**
 * @module The demo invoice's rule that the line items add up to the subtotal: a broken
 * sum marks the table (whose rows are what to check), never the totals it is compared with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentResult, FieldResult } from '../../src/core/capture.ts';
import { captureSettings, parseProject } from '../../src/core/project.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { applyRules } from '../../src/pipeline/capture/rules.ts';
import { emptyDocument } from '../../src/pipeline/capture/stages.ts';

function field(name: string, type: string, value: FieldResult['value']): FieldResult {
  return { name, type, value, text: null, confidence: 1, areas: [], valid: true, messages: [], needs_confirmation: false };
}

function invoice(rows: { amount: number }[], subtotal: number): DocumentResult {
  return {
    ...emptyDocument(0, { first: 0, last: 0, confidence: 1 }, 1),
    document_type: 'Invoice',
    fields: [field('subtotal', 'amount', subtotal), field('tax', 'amount', subtotal * 0.2), field('total', 'amount', subtotal * 1.2), field('line_items', 'table', rows)],
  };
}

test('lines that do not add up to the net total mark the table, not the totals', () => {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  const settings = captureSettings(parsed.project);
  const type = settings.document_types.find((t) => t.name === 'Invoice');
  assert.ok(type);
  const wrong = invoice([{ amount: 100 }, { amount: 19.5 }], 120);
  applyRules(wrong, type, settings, '2026-12-07');
  const by = new Map(wrong.fields.map((f) => [f.name, f]));
  assert.deepEqual(wrong.messages, ['the line items do not add up to the subtotal: sum of line items amount 119.50 ≠ subtotal 120.00']);
  assert.equal(by.get('line_items')?.valid, false);
  assert.deepEqual(by.get('line_items')?.messages, ['the line items do not add up to the subtotal: sum of line items amount 119.50 ≠ subtotal 120.00']);
  assert.equal(by.get('subtotal')?.valid, true);
  assert.deepEqual(by.get('subtotal')?.messages, []);
  const right = invoice([{ amount: 100 }, { amount: 20 }], 120);
  applyRules(right, type, settings, '2026-12-07');
  assert.deepEqual(right.messages, []);
  assert.equal(right.fields.every((f) => f.valid), true);
});

test('lines that each add up against a subtotal read unsure mark the subtotal, with the numbers; a sure or confirmed subtotal leaves it on the table', () => {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  const settings = captureSettings(parsed.project);
  const type = settings.document_types.find((t) => t.name === 'Invoice');
  assert.ok(type);
  const rows = [{ description: 'Widget', quantity: 4, unit_price: 25, amount: 100 }, { description: 'Bolt', quantity: 10, unit_price: 1.95, amount: 19.5 }];
  const documents: DocumentResult[] = [];
  const misread = (confidence: number, change: Partial<FieldResult> = {}, lines: typeof rows = rows): Map<string, FieldResult> => {
    const doc = invoice(lines, 149.5);
    const subtotal = doc.fields.find((f) => f.name === 'subtotal') as FieldResult;
    Object.assign(subtotal, { confidence, ...change });
    applyRules(doc, type, settings, '2026-12-07', undefined, (def) => def.confidence_threshold ?? 0.9);
    documents.push(doc);
    return new Map(doc.fields.map((f) => [f.name, f]));
  };
  const unsure = misread(0.55);
  // The document's message is the field's, so the rule is reported once (on the subtotal), not again as a message no field carries.
  assert.deepEqual(documents[0]?.messages, unsure.get('subtotal')?.messages);
  assert.equal(unsure.get('line_items')?.valid, true);
  assert.deepEqual(unsure.get('line_items')?.messages, []);
  assert.equal(unsure.get('subtotal')?.valid, false);
  assert.deepEqual(unsure.get('subtotal')?.messages, ["the line items do not add up to the subtotal: sum of line items amount 119.50 ≠ subtotal 149.50; each line's quantity × unit price gives its amount, so check subtotal (read with 55 % confidence)"]);
  for (const by of [misread(0.99), misread(0.55, { confirmed: true }), misread(0.55, {}, [rows[0] as (typeof rows)[0], { ...(rows[1] as (typeof rows)[0]), quantity: 11 }])]) {
    assert.equal(by.get('line_items')?.valid, false);
    assert.equal(by.get('subtotal')?.valid, true);
  }
});
