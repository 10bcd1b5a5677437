/**
 * @module Tests of the invoice-field mechanisms that carry across languages: labels inside compounds and
 * hyphenated words ("Handelsrechnung Nr.", "Beleg-Nr"), party blocks under their headings ("Verkäufer:",
 * "Käufer/Leistungsempfänger:"), and totals read under a column heading or below zero (credit notes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject } from '../../src/core/project.ts';
import { companyCandidates } from '../../src/pipeline/capture/company.ts';
import { fieldValues } from '../../src/pipeline/capture/extract.ts';
import { documentDateOrder } from '../../src/pipeline/capture/normalize.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { totalCandidates } from '../../src/pipeline/capture/total.ts';
import { textPage } from './pages.ts';

function invoiceField(name: string) {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  const type = parsed.project.capture?.document_types.find((t) => t.name === 'Invoice');
  const field = type?.fields.find((f) => f.name === name);
  assert.ok(field);
  return field;
}

function topValue(name: string, texts: string[]): string | number | undefined {
  const lines = documentLines([textPage(0, texts)]);
  return fieldValues(invoiceField(name), { lines, order: 'dmy', lookups: {}, pageCount: 1 }).values[0]?.value;
}

function best(cands: { value: string | number; score: number }[]): string | number | undefined {
  return [...cands].sort((a, b) => b.score - a.score)[0]?.value;
}

test('invoice number: a label heading a compound ("Handelsrechnung Nr.") and a hyphenated label ("Beleg-Nr") are found', () => {
  assert.equal(topValue('invoice_number', ['Stylesheet', 'Handelsrechnung Nr. 471102 vom 05.03.2018', 'Lieferant GmbH']), '471102');
  assert.equal(topValue('invoice_number', ['MUSTERLIEFERANT GMBH', 'Beleg-Nr   : RK21012345', 'Lieferschein-Nr   : L87654321012345']), 'RK21012345');
});

test('invoice number: the label as head of a narrower compound ("Ursprungsbeleg-Nr") loses to the label itself', () => {
  assert.equal(topValue('invoice_number', ['Beleg-Nr   : RK21012345', 'Ursprungsbeleg-Nr   : R87654321012345']), 'RK21012345');
});

test('invoice number: "total" does not find "subtotal": labels under six letters are no compound heads', () => {
  const lines = documentLines([textPage(0, ['Subtotal 10.00'])]);
  const parsed = parseProject({ name: 't', document_types: [{ name: 'T', fields: [{ name: 'x', type: 'amount', extract: [{ label: ['total'] }] }] }] });
  assert.ok(parsed.ok);
  const field = parsed.project.capture?.document_types[0]?.fields[0];
  assert.ok(field);
  assert.equal(fieldValues(field, { lines, order: 'dmy', lookups: {}, pageCount: 1 }).values.length, 0);
});

test('issuer: the name under "Verkäufer:" wins over the one under "Käufer/Leistungsempfänger:", with or without a legal form', () => {
  const withForm = documentLines([textPage(0, ['Verkäufer:', 'Lieferant GmbH', 'Lieferantenstraße 20', 'Käufer/Leistungsempfänger:', 'Kunden AG Mitte', 'Kundenstraße 15'])]);
  assert.equal(String(best(companyCandidates(withForm))).toLowerCase(), 'lieferant gmbh');
  const noForm = documentLines([textPage(0, ['Verkäufer:', 'Nummer', ': 549910', 'MUSTER-Autovermietung', 'Käufer/Leistungsempfänger:', 'Kunden AG'])]);
  assert.equal(best(companyCandidates(noForm)), 'MUSTER-Autovermietung');
});

test('issuer: a French name keeps its lower-case words before the legal form ("Au bon moulin SARL")', () => {
  const lines = documentLines([textPage(0, ['Au bon moulin SARL - 1242 chemin de l\'olive - 84340 Malaucène', 'Avoir AV-2017-0005'])]);
  assert.equal(best(companyCandidates(lines)), 'Au bon moulin SARL');
});

test('total: German wording ranks the gross sum over allowances and the net sum; a column heading finds its figure below', () => {
  const sums = documentLines([textPage(0, ['Positionssumme   220,00', 'Gesamtbetrag der Zuschläge   5,00', 'Rechnungssumme ohne USt.   225,00', 'Bruttosumme   267,75'])]);
  assert.equal(best(totalCandidates(sums)), 267.75);
  const column = documentLines([textPage(0, ['Nettobetrag   MwSt-Betrag   Endbetrag', '-7,67   -1,12   -8,79'])]);
  assert.equal(best(totalCandidates(column)), -8.79);
  // A tax breakdown under the heading, one row per rate, ends in its sum.
  const breakdown = documentLines([textPage(0, ['Nettobetrag   MwSt-Betrag   Endbetrag', '-4,85   -0,92   -5,77', '-2,82   -0,20   -3,02', '-7,67   -1,12   -8,79'])]);
  assert.equal(best(totalCandidates(breakdown)), -8.79);
});

test('date order: a document whose own dates prove month first reads its ambiguous dates so; mixed proof keeps the project order', () => {
  assert.equal(documentDateOrder(['Invoice Date', '11/03/2017', 'Date', '11/17/2017'], 'dmy'), 'mdy');
  assert.equal(documentDateOrder(['Invoice Date 11/03/2017'], 'dmy'), 'dmy');
  assert.equal(documentDateOrder(['17/11/2017', '11/17/2017'], 'mdy'), 'mdy');
  assert.equal(documentDateOrder(['Rechnungsdatum 24.03.2017'], 'mdy'), 'dmy');
  assert.equal(documentDateOrder(['11/17/2017'], 'ymd'), 'ymd');
});

test('total: an English "net total" is before tax and a "VAT total" is tax; "due payable" is the total', () => {
  const lines = documentLines([textPage(0, ['Net total: 496.00 €', 'VAT total: 75.04 €', 'Due payable: 571.04 €'])]);
  assert.equal(best(totalCandidates(lines)), 571.04);
});

test('invoice date: a date that opens a period ("Vom 17.12.2018 bis 06.01.2019") loses to the one after the number', () => {
  assert.equal(topValue('invoice_date', ['Handelsrechnung Nr. 47110815 vom 31.10.2018', 'Vom 17.12.2018 bis 06.01.2019 haben wir Betriebsferien.']), '2018-10-31');
});
