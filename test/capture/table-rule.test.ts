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
