/**
 * @module The EN 16931 checks (arithmetic, mandatory terms), the pages-versus-XML
 * comparison, the field mapping with the project file's `einvoice` method, and the
 * project file refusing a term that is not one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { termValue } from '../../src/core/einvoice/business-terms.ts';
import { checkEInvoice } from '../../src/core/einvoice/en16931-checks.ts';
import type { EInvoice } from '../../src/core/einvoice/model.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { fieldsFromEInvoice } from '../../src/pipeline/einvoice/fields.ts';
import { readEInvoiceXml } from '../../src/pipeline/einvoice/read.ts';
import { printedIbans, visualFindings } from '../../src/pipeline/einvoice/visual-check.ts';
import { ciiInvoice } from './cii-sample.ts';
import { PAGE_LINES } from './hybrid-pdf.ts';

function invoice(change: (inv: EInvoice) => void = () => {}): EInvoice {
  const inv = readEInvoiceXml(ciiInvoice());
  change(inv);
  return inv;
}

const rules = (inv: EInvoice) => checkEInvoice(inv).map((f) => `${f.rule} ${f.terms.join(',')}`);

test('a consistent invoice has no findings; each broken sum names its rule', () => {
  assert.deepEqual(rules(invoice()), []);
  assert.deepEqual(rules(invoice((i) => (i.lines[0]!.net_amount = '150.02'))), ['BR-CO-10 BT-106']);
  assert.deepEqual(rules(invoice((i) => (i.totals.tax_exclusive = '201.00'))), ['BR-CO-13 BT-106,BT-107,BT-108,BT-109', 'BR-CO-15 BT-109,BT-110,BT-112']);
  assert.deepEqual(rules(invoice((i) => (i.totals.due = '200.00'))), ['BR-CO-16 BT-112,BT-113,BT-115']);
  assert.deepEqual(rules(invoice((i) => (i.vat_breakdown[0]!.tax_amount = '37.00'))), ['BR-CO-14 BT-110']);
  // Prepaid and rounding amounts explain a lower amount due; amounts with four decimals sum exactly.
  assert.deepEqual(rules(invoice((i) => Object.assign(i.totals, { prepaid: '38.00', due: '200.00' }))), []);
  assert.deepEqual(rules(invoice((i) => Object.assign(i.lines[0]!, { net_amount: '149.9950' }))), []);
  const message = checkEInvoice(invoice((i) => (i.totals.tax_inclusive = '283.00')))[0]?.message;
  assert.equal(message, 'total without VAT + VAT is 238.00, not BT-112 (invoice total amount with VAT) 283.00');
});

test('mandatory terms depend on the profile', () => {
  assert.deepEqual(rules(invoice((i) => (i.number = null))), ['BR-mandatory BT-1']);
  assert.deepEqual(rules(invoice((i) => Object.assign(i, { lines: [], vat_breakdown: [] }))), ['BR-mandatory BG-25', 'BR-mandatory BG-23']);
  // MINIMUM carries neither lines nor breakdown, nor a paid amount to explain a due amount below the total.
  const minimum = invoice((i) => Object.assign(i, { profile: 'urn:factur-x.eu:1p0:minimum', lines: [], vat_breakdown: [] }));
  minimum.totals.due = '100.00';
  assert.deepEqual(rules(minimum), []);
  assert.deepEqual(rules(invoice((i) => Object.assign(i, { syntax: 'zugferd1' }, { totals: { ...i.totals, due: null } }))), []);
});

test('the pages must print the XML number and total, and its IBAN when they print any', () => {
  assert.deepEqual([...printedIbans(['IBAN DE02 1203 0000 0000 2020 51 BIC BYLADEM1001'])], ['DE02120300000000202051']);
  assert.deepEqual(visualFindings(invoice(), PAGE_LINES, {}), []);
  const other = invoice((i) => Object.assign(i, { number: 'RE-1', iban: 'DE89370400440532013000' }, { totals: { ...i.totals, tax_inclusive: '283.00' } }));
  assert.deepEqual(visualFindings(other, PAGE_LINES, {}).map((f) => f.terms[0]), ['BT-1', 'BT-112', 'BT-84']);
  // No IBAN printed: nothing to compare; no text at all (a scan without OCR text): no findings.
  assert.deepEqual(visualFindings(other, PAGE_LINES.filter((l) => !l.startsWith('IBAN')), {}).map((f) => f.terms[0]), ['BT-1', 'BT-112']);
  assert.deepEqual(visualFindings(other, [], {}), []);
});

function project(fields: unknown[]): Project {
  const r = parseProject({ name: 'p', document_types: [{ name: 'Bill', fields }] });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r.project;
}

test('an einvoice method reads any term; a built-in name needs none; others keep the visual value', () => {
  const p = project([
    { name: 'terms', type: 'text', extract: [{ einvoice: 'BT-20' }] },
    { name: 'seller_country', type: 'text', extract: [{ einvoice: 'BT-40' }] },
    { name: 'total', type: 'amount' },
    { name: 'reference', type: 'text' },
  ]);
  const type = p.capture!.document_types[0]!;
  const visual = [{ name: 'reference', type: 'text', value: 'X-1', text: 'X-1', confidence: 0.7, areas: [], valid: true, messages: [], needs_confirmation: false }];
  const fields = fieldsFromEInvoice(type, invoice((i) => (i.payment_terms = '30 days net')), visual);
  assert.deepEqual(fields.map((f) => [f.name, f.value, f.source ?? 'pages']), [['terms', '30 days net', 'einvoice'], ['seller_country', 'DE', 'einvoice'], ['total', 238, 'einvoice'], ['reference', 'X-1', 'pages']]);
  assert.equal(termValue(invoice(), 'BT-99'), null);
});

test('the project file refuses an einvoice value that is no business term', () => {
  const r = parseProject({ name: 'p', document_types: [{ name: 'Bill', fields: [{ name: 'x', type: 'text', extract: [{ einvoice: 'total' }] }] }] });
  assert.equal(r.ok, false);
  assert.match(JSON.stringify(!r.ok && r.problems), /document_types\[0\]\.fields\[0\]\.extract\[0\]\.einvoice.*EN 16931 business term/);
});
