/**
 * @module Captured invoice fields → EInvoice: the mandatory terms reported when missing,
 * what is derived (country from a VAT id, the third total, the VAT rate, lines) and that
 * the result is a valid CII and UBL document (xmllint against the official XSDs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldValue } from '../../src/core/capture.ts';
import { einvoiceFromFields } from '../../src/core/einvoice/from-fields.ts';
import { vatRate } from '../../src/core/einvoice/vat-breakdown.ts';
import { writeCii } from '../../src/core/einvoice/write-cii.ts';
import { writeUbl } from '../../src/core/einvoice/write-ubl.ts';
import { CII_XSD, UBL_XSD, skipXmlTools, validateXsd } from '../helpers/xml-tools.ts';

/** Fields as the demo project's Invoice type captures them, with the terms it lacks added as fields. */
function captured(): Record<string, FieldValue> {
  return {
    invoice_number: 'INV-1001',
    invoice_date: '2026-11-02',
    due_date: '2026-12-02',
    supplier: 'Acme Office Supplies Ltd',
    seller_vat_id: 'GB 123 4567 89',
    buyer: 'Docket Demo GmbH',
    buyer_country: 'de',
    currency: 'EUR',
    subtotal: 100,
    tax: 19,
    total: 119,
    iban: 'DE75512108001245126199',
    line_items: [
      { description: 'Paper A4', quantity: 4, unit_price: 12.5, amount: 50 },
      { description: 'Toner', quantity: 1, unit_price: 50, amount: 50 },
    ],
  };
}

test('a complete capture becomes an EN 16931 invoice', () => {
  const r = einvoiceFromFields(captured());
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  const inv = r.invoice;
  assert.equal(inv.number, 'INV-1001');
  assert.equal(inv.type_code, '380');
  assert.equal(inv.seller.address.country, 'GB', 'seller country from the VAT id prefix');
  assert.equal(inv.buyer.address.country, 'DE');
  assert.equal(inv.iban, 'DE75512108001245126199');
  assert.deepEqual(inv.vat_breakdown, [{ taxable_amount: '100.00', tax_amount: '19.00', category: 'S', rate: '19' }]);
  assert.deepEqual(inv.lines.map((l) => [l.description, l.quantity, l.unit_price, l.net_amount, l.vat_rate]), [
    ['Paper A4', '4', '12.5', '50.00', '19'],
    ['Toner', '1', '50', '50.00', '19'],
  ]);
  assert.deepEqual(inv.totals, { line_total: '100.00', allowances: null, charges: null, tax_exclusive: '100.00', tax: '19.00', tax_inclusive: '119.00', prepaid: null, due: '119.00' });
});

test('every missing mandatory term is reported with the field a person would fill', () => {
  const f = captured();
  delete f.buyer;
  delete f.buyer_country;
  f.currency = null;
  f.invoice_number = '  ';
  f.seller_vat_id = null;
  const r = einvoiceFromFields(f);
  assert.equal(r.ok, false);
  const problems = !r.ok ? r.problems : [];
  assert.deepEqual(problems.map((p) => p.term).sort(), ['BT-1', 'BT-40', 'BT-44', 'BT-5', 'BT-55']);
  assert.equal(problems.find((p) => p.term === 'BT-1')?.field, 'invoice_number');
  assert.equal(problems.find((p) => p.term === 'BT-44')?.field, null, 'the type has no buyer field');
  assert.match(problems.find((p) => p.term === 'BT-44')?.message ?? '', /BT-44 \(buyer name\)/);
});

test('fixed values from the export setting fill terms the document type lacks; named fields replace the defaults', () => {
  const f = captured();
  delete f.buyer;
  delete f.buyer_country;
  f.kunde = 'Kunde KG';
  const r = einvoiceFromFields(f, { fields: { 'BT-44': 'kunde' }, values: { 'BT-55': 'AT', 'BT-10': '991-12345-67' } });
  assert.ok(r.ok);
  assert.equal(r.invoice.buyer.name, 'Kunde KG');
  assert.equal(r.invoice.buyer.address.country, 'AT');
  assert.equal(r.invoice.buyer_reference, '991-12345-67');
});

test('totals: the third is derived, a contradiction is reported, bad codes are named', () => {
  const f = captured();
  f.subtotal = null;
  const derived = einvoiceFromFields(f);
  assert.ok(derived.ok);
  assert.equal(derived.invoice.totals.tax_exclusive, '100.00');

  const g = captured();
  g.total = 120;
  const bad = einvoiceFromFields(g);
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? (bad.problems[0]?.message ?? '') : '', /BT-112.*120\.00 is not .*100\.00 \+ .*19\.00/);

  const h = captured();
  h.currency = 'euro';
  h.invoice_date = '02/11/2026';
  const codes = einvoiceFromFields(h);
  assert.deepEqual(!codes.ok && codes.problems.map((p) => p.term).sort(), ['BT-2', 'BT-5']);
});

test('line items that do not add up to the net total give way to one line carrying it', () => {
  const f = captured();
  f.line_items = [{ description: 'Paper A4', quantity: 4, unit_price: 12.5, amount: 50 }];
  const r = einvoiceFromFields(f);
  assert.ok(r.ok);
  assert.deepEqual(r.invoice.lines.map((l) => [l.description, l.net_amount]), [['Invoice INV-1001', '100.00']]);
  const none = captured();
  delete none.line_items;
  const s = einvoiceFromFields(none);
  assert.ok(s.ok);
  assert.equal(s.invoice.lines.length, 1);
});

test('the VAT rate is the one with the fewest decimals (at most one) that reproduces the VAT amount; mixed rates are reported', () => {
  assert.equal(vatRate(10000, 1900), '19');
  assert.equal(vatRate(62490, 3437), '5.5');
  assert.equal(vatRate(4637, 974), '21');
  assert.equal(vatRate(1000, 0), '0');
  assert.equal(vatRate(10000, 1234), null, 'no VAT rate in force has two decimals: mixed rates');
  assert.equal(vatRate(64040, 12169), '19', 'one cent of slack for per-line rounding');
  const mixed = einvoiceFromFields({ ...captured(), tax: 12.34, total: 112.34 });
  assert.deepEqual(!mixed.ok && mixed.problems.map((p) => p.term), ['BT-119']);
});

test('lines with their own VAT rates give one breakdown row per rate, adding up to the captured VAT', () => {
  const f = captured();
  f.subtotal = 473;
  f.tax = 56.87;
  f.total = 529.87;
  f.line_items = [
    { description: 'Trennblätter A4', quantity: 20, unit_price: 9.9, amount: 198, vat_rate: 19 },
    { description: 'Joghurt Banane', quantity: 50, unit_price: 5.5, amount: 275, vat_rate: 7 },
  ];
  const r = einvoiceFromFields(f);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  assert.deepEqual(r.invoice.vat_breakdown, [
    { taxable_amount: '198.00', tax_amount: '37.62', category: 'S', rate: '19' },
    { taxable_amount: '275.00', tax_amount: '19.25', category: 'S', rate: '7' },
  ]);
  assert.deepEqual(r.invoice.lines.map((l) => l.vat_rate), ['19', '7']);
  delete (f.line_items[1] as Record<string, unknown>).vat_rate;
  const without = einvoiceFromFields(f);
  assert.deepEqual(!without.ok && without.problems.map((p) => [p.term, p.field]), [['BT-119', null]], 'mixed rates and a line without its rate');
});

test('what the capture gives is valid CII and UBL', { skip: skipXmlTools('xmllint') }, () => {
  for (const f of [captured(), { ...captured(), line_items: null, tax: 0, total: 100 }]) {
    const r = einvoiceFromFields(f);
    assert.ok(r.ok);
    const cii = validateXsd(writeCii(r.invoice), CII_XSD);
    assert.ok(cii.ok, cii.messages);
    const ubl = validateXsd(writeUbl(r.invoice), UBL_XSD);
    assert.ok(ubl.ok, ubl.messages);
  }
});
