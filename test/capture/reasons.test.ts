/**
 * @module Flags that explain themselves (docs/portal.md#validation-every-user): a field to
 * confirm says its confidence against the threshold, the other values found and the
 * text it was read from; a broken cross-field rule shows its numbers; a value that cannot
 * be read as its type gets that message alone, not also "is required".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureResult, FieldResult } from '../../src/core/capture.ts';
import { parseProject } from '../../src/core/project.ts';
import { evaluate, parseExpression } from '../../src/core/project/expression.ts';
import { explainFailure } from '../../src/core/project/explain.ts';
import { confirmationReason } from '../../src/pipeline/capture/reasons.ts';
import { checkValidationResults } from '../../src/pipeline/capture/results.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import { textPage } from './pages.ts';

const field = (over: Partial<FieldResult>): FieldResult => ({ name: 'total', type: 'amount', value: 26.6, text: '26.60', confidence: 0.62, areas: [], valid: true, messages: [], needs_confirmation: true, ...over });

test('a confirmation reason names the confidence, the threshold, the other candidates and the text read', () => {
  assert.equal(confirmationReason(field({ alternatives: [{ value: 26, text: '26.00', confidence: 0.4, areas: [] }, { value: 26.6, text: '26,60', confidence: 0.3, areas: [] }] }), 0.8),
    'confidence 62 % (below 80 %); two candidates on the page, 26.60 and 26.00');
  assert.equal(confirmationReason(field({ type: 'date', value: '2018-11-18', text: '18-11-18' }), 0.75), 'confidence 62 % (below 75 %); read as “18-11-18”');
  assert.equal(confirmationReason(field({}), 0.8), 'confidence 62 % (below 80 %)');
  assert.match(confirmationReason(field({ confidence: 0.97 }), 1.01), /^confidence 97 % \(always reviewed: its calibration does not show it right often enough/);
});

test('a failed comparison is printed back with its values and the comparison negated', () => {
  const values: Record<string, number> = { subtotal: 41.31, tax: 8.68, total: 49.9, due: 3, issued: 5 };
  const resolve = (n: string, c: string | null) => (c ? [1, 2.5] : (values[n] ?? null));
  const display = (n: string, c: string | null) => (c ? '3.50' : values[n] === undefined ? null : (values[n] as number).toFixed(2));
  const why = (src: string) => {
    const e = parseExpression(src);
    assert.equal(evaluate(e, resolve, 0.001), false, src);
    return explainFailure(e, resolve, display);
  };
  assert.equal(why('subtotal + tax == total'), 'subtotal 41.31 + tax 8.68 ≠ total 49.90');
  assert.equal(why('due >= issued'), 'due 3.00 < issued 5.00');
  assert.equal(why('(subtotal - tax) * 2 == total'), '(subtotal 41.31 − tax 8.68) × 2 ≠ total 49.90');
  assert.equal(why('sum(lines.amount) == total'), 'sum of lines amount 3.50 ≠ total 49.90');
  assert.equal(explainFailure(parseExpression('tax > 100 && total > 0'), resolve, display), null, 'a boolean rule keeps its own message');
});

const project = parseProject({
  name: 'Reasons',
  document_types: [{
    name: 'Receipt',
    classify: { keywords: ['receipt'] },
    fields: [
      { name: 'date', type: 'date', required: true },
      { name: 'subtotal', type: 'amount' }, { name: 'tax', type: 'amount' }, { name: 'total', type: 'amount' },
    ],
    rules: [{ check: 'subtotal + tax == total', tolerance: 0.01, message: 'subtotal + tax does not equal total' }],
  }],
});

test('a submitted date that is not a date gets one message; a broken sum shows its numbers once per field', async () => {
  assert.ok(project.ok, JSON.stringify(!project.ok && project.problems));
  const page = textPage(0, ['RECEIPT']);
  const result: CaptureResult = { pages: [{ index: 0, width: 595, height: 842, source: 'pdf' }], documents: [{ index: 0, pages: [0, 0], document_type: 'Receipt', type_confidence: 1, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, fields: [], messages: [] }], actions: [], needs_validation: true };
  const res = await checkValidationResults({ project: project.project, result, pages: pagesInMemory([page]), submitted: { documents: [{ pages: [0, 0], document_type: 'Receipt', fields: { date: '31/02/2018', subtotal: '41.31', tax: '8.68', total: '49.90' } }] } });
  assert.equal(res.ok, false);
  const problems = res.ok ? [] : res.problems;
  assert.deepEqual(problems.filter((p) => p.path.endsWith('.date')), [{ path: 'documents[0].fields.date', message: 'not a valid date' }]);
  const sum = 'subtotal + tax does not equal total: subtotal 41.31 + tax 8.68 ≠ total 49.90';
  for (const name of ['subtotal', 'tax', 'total']) assert.deepEqual(problems.filter((p) => p.path === `documents[0].fields.${name}`).map((p) => p.message), [sum]);
});
