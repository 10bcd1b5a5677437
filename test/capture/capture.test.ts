import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureResult } from '../../src/core/capture.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { needsValidation } from '../../src/pipeline/decide.ts';
import { checkValidationResults } from '../../src/pipeline/capture/results.ts';
import { emptyDocument } from '../../src/pipeline/capture/stages.ts';
import type { Page } from '../../src/core/page.ts';
import { textPage } from './pages.ts';
import { runCaptureStages } from './run-stages.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';

function project(): Project {
  const r = parseProject({
    name: 'T',
    validation: { mode: 'when_needed', confidence_threshold: 0.5 },
    lookups: { suppliers: ['Northwind Traders Ltd', 'Contoso GmbH'] },
    document_types: [
      {
        name: 'Invoice',
        classify: { keywords: ['invoice', { text: 'total due', weight: 2 }] },
        fields: [
          { name: 'invoice_number', required: true, extract: [{ label: ['Invoice No'], pattern: '([A-Z0-9-]{4,})' }] },
          { name: 'invoice_date', type: 'date', extract: [{ label: ['Date'], position: 'below' }] },
          { name: 'supplier', extract: [{ lookup: 'suppliers' }] },
          { name: 'iban', rules: { checksum: 'iban', messages: { checksum: 'bad IBAN' } }, extract: [{ label: ['IBAN'] }] },
          { name: 'subtotal', type: 'amount', extract: [{ label: ['Subtotal'] }] },
          { name: 'tax', type: 'amount', extract: [{ label: ['VAT'] }] },
          { name: 'total', type: 'amount', required: true, extract: [{ label: ['Total due'] }] },
          { name: 'lines', type: 'table', columns: [{ name: 'description', header: ['Description'] }, { name: 'amount', type: 'amount', header: ['Amount'] }], end: '^Subtotal' },
        ],
        rules: [{ check: 'subtotal + tax == total', tolerance: 0.01, message: 'sum mismatch' }],
      },
      { name: 'Letter', classify: { keywords: ['dear', 'sincerely'] } },
    ],
  });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return (r as { project: Project }).project;
}

const invoice = textPage(0, [
  'Northwind Traders Ltd',
  'INVOICE',
  'Invoice No: INV-2024-17',
  'Date',
  '25 March 2024',
  'Description          Amount',
  'Widgets              100.00',
  'Blue, large',
  'Gadgets              20.00',
  'Subtotal             120.00',
  'VAT                  24.00',
  'Total due            EUR 144.00',
  'IBAN GB82 WEST 1234 5698 7654 32',
]);

/** One document over all the pages, classified, extracted, validated and decided by the production stages. */
function capture(p: Project, pages: Page[]): Promise<CaptureResult> {
  return runCaptureStages(p, pages, [emptyDocument(0, { first: 0, last: pages.length - 1, confidence: 1 }, 0.8)], 'classify');
}

test('label right and below, pattern, lookup, table, normalisation and rules', async () => {
  const r = await capture(project(), [invoice]);
  const doc = r.documents[0];
  assert.equal(doc?.document_type, 'Invoice');
  const v = Object.fromEntries(doc?.fields.map((f) => [f.name, f.value]) ?? []);
  assert.equal(v.invoice_number, 'INV-2024-17');
  assert.equal(v.invoice_date, '2024-03-25');
  assert.equal(v.supplier, 'Northwind Traders Ltd');
  assert.equal(v.total, 144);
  assert.equal(v.iban, 'GB82 WEST 1234 5698 7654 32');
  assert.deepEqual(v.lines, [{ description: 'Widgets\nBlue, large', amount: 100 }, { description: 'Gadgets', amount: 20 }]);
  const total = doc?.fields.find((f) => f.name === 'total');
  assert.ok((total?.areas.length ?? 0) > 0 && (total?.confidence ?? 0) > 0.5);
  assert.deepEqual(doc?.messages, []);
  assert.equal(r.needs_validation, false, JSON.stringify(r.actions));
});

test('a broken cross-field rule and a failed checksum become actions with reasons', async () => {
  const page = textPage(0, ['INVOICE', 'Invoice No: A-1234', 'Subtotal   100.00', 'VAT   20.00', 'Total due   150.00', 'IBAN GB82 WEST 1234 5698 7654 33']);
  const r = await capture(project(), [page]);
  const kinds = r.actions.map((a) => `${a.kind}:${a.field}:${a.reason}`);
  assert.ok(kinds.some((k) => k.startsWith('invalid_field:total:') && k.includes('sum mismatch')));
  assert.ok(kinds.some((k) => k.startsWith('invalid_field:iban:') && k.includes('bad IBAN')));
  assert.equal(r.needs_validation, true);
});

test('a document on which nothing matches ends as actions for a person', async () => {
  const r = await capture(project(), [textPage(0, ['zzz qqq', '###'])]);
  assert.equal(r.documents[0]?.document_type, null);
  assert.deepEqual(r.actions.map((a) => a.kind), ['unknown_type']);
  assert.equal(r.needs_validation, true);
  assert.equal(needsValidation('never', r), false);
  assert.equal(needsValidation('always', { ...r, actions: [] }), true);
});

test('validation results: typed values are normalised and re-checked; problems have paths', async () => {
  const p = project();
  const page = textPage(0, ['INVOICE', 'Invoice No: A-1234', 'Subtotal   100.00', 'VAT   20.00', 'Total due   150.00']);
  const r = await capture(p, [page]);
  const bad = await checkValidationResults({ project: p, result: r, pages: pagesInMemory([page]), submitted: { documents: [{ pages: [0, 0], document_type: 'Invoice', fields: { total: 'abc', nope: 1 } }] } });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    const paths = bad.problems.map((x) => x.path);
    assert.ok(paths.includes('documents[0].fields.total'));
    assert.ok(paths.includes('documents[0].fields.nope'));
  }
  const good = await checkValidationResults({ project: p, result: r, pages: pagesInMemory([page]), submitted: { documents: [{ pages: [0, 0], document_type: 'Invoice', fields: { total: '120,00', invoice_date: '01/04/2024' } }] } });
  assert.ok(good.ok, JSON.stringify(!good.ok && good.problems));
  if (!good.ok) return;
  const f = Object.fromEntries(good.result.documents[0]?.fields.map((x) => [x.name, x]) ?? []);
  assert.equal(f.total?.value, 120);
  assert.equal(f.total?.confirmed, true);
  assert.equal(f.invoice_date?.value, '2024-04-01');
  assert.equal(good.result.needs_validation, false);
  const ranges = await checkValidationResults({ project: p, result: r, pages: pagesInMemory([page]), submitted: [{ pages: [0, 3], document_type: 'Letter' }] });
  assert.equal(ranges.ok, false);
});

test('a changed type is extracted again', async () => {
  const p = project();
  const r = await capture(p, [invoice]);
  const res = await checkValidationResults({ project: p, result: r, pages: pagesInMemory([invoice]), submitted: [{ pages: [0, 0], document_type: 'Letter' }] });
  assert.ok(res.ok);
  if (res.ok) assert.deepEqual(res.result.documents[0]?.fields, []);
});
