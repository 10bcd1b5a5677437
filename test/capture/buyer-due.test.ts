/**
 * @module Tests of the invoice fields read from the page for the buyer's side (capture/buyer.ts,
 * capture/amount-due.ts, the demo's `due_date` labels): the buyer under a heading or in the address window, the
 * issuer's and the delivery party's blocks passed over; what is left to pay with and without a prepayment; the due
 * date after "Fälligkeitstag" and "netto bis".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoProject } from '../../src/core/demo-project.ts';
import { parseProject } from '../../src/core/project.ts';
import { amountDueCandidates } from '../../src/pipeline/capture/amount-due.ts';
import { buyerCandidates } from '../../src/pipeline/capture/buyer.ts';
import { fieldValues } from '../../src/pipeline/capture/extract.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { textPage } from './pages.ts';

const lines = (texts: string[]) => documentLines([textPage(0, texts)]);

function top(cands: { value: string | number; score: number }[]): { value: string | number; score: number } | undefined {
  return [...cands].sort((a, b) => b.score - a.score)[0];
}

function invoiceValue(name: string, texts: string[]): string | number | undefined {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  const field = parsed.project.capture?.document_types.find((t) => t.name === 'Invoice')?.fields.find((f) => f.name === name);
  assert.ok(field);
  return fieldValues(field, { lines: lines(texts), order: 'dmy', lookups: {}, pageCount: 1 }).values[0]?.value;
}

test('buyer: the first name line under a buyer heading, past its customer-number and GLN lines', () => {
  const doc = lines(['Lieferant GmbH', 'Lieferantenstraße 20', '80333 München', '', 'Käufer/Leistungsempfänger:', 'Nummer   :   GE2020211', 'GLN 4000001987658',
    'Kunden AG Mitte', 'Kundenstraße 15', '69876 Frankfurt', '', 'Rechnung Nr. 4711']);
  const best = top(buyerCandidates(doc));
  assert.equal(best?.value, 'Kunden AG Mitte');
  assert.ok((best?.score ?? 0) >= 0.8);
});

test('buyer: after a heading\'s colon on its own line; a label with a number is no heading', () => {
  assert.equal(top(buyerCandidates(lines(['Bill to: Buyer Inc.', '12 Main Street'])))?.value, 'Buyer Inc.');
  assert.deepEqual(buyerCandidates(lines(['Customer:2', 'Your order AB321'])), []);
});

test('buyer: the address window keeps its salutation line and passes over the sender\'s return line and letterhead', () => {
  const doc = lines(['Versicherungsverein Musterstadt a.G.', '', '', 'Versicherungsverein · Musterweg 1 · 12345 Musterstadt', 'Herrn', 'Max Mustermann', 'Musterstr. 11',
    '12346 Bad Musterhausen', '', '', 'Beitragsrechnung Nr. 00.123.456.7']);
  const best = top(buyerCandidates(doc));
  assert.equal(best?.value, 'Herrn Max Mustermann');
  assert.ok((best?.score ?? 0) >= 0.5 && (best?.score ?? 1) < 0.8, 'a window without a heading is less sure than a heading');
});

test('buyer: the issuer\'s own block and a delivery address are no buyer; a street with its number is no name', () => {
  // The issuer's name, address and postcode in the top half of the page: a window-like block, but the issuer's.
  assert.deepEqual(buyerCandidates(lines(['Lieferant GmbH', 'Lieferantenstraße 20', '80333 München', '', 'Rechnung 4711'])), []);
  assert.deepEqual(buyerCandidates(lines(['Adresse de livraison', 'Ma jolie boutique', '35 rue de la République', '69001 Lyon'])), []);
  assert.equal(top(buyerCandidates(lines(['Rechnungsempfänger', 'GLN 4304171000002', 'Kundenweg 88', 'Muster-Kunde GmbH'])))?.value, undefined);
});

test('amount due: the total when nothing else is printed, surer when a due label repeats it', () => {
  const plain = top(amountDueCandidates(lines(['Nettobetrag 445,27', 'MwSt 19 % 84,60', 'Gesamtbetrag 529,87'])));
  assert.equal(plain?.value, 529.87);
  const labelled = top(amountDueCandidates(lines(['Nettobetrag 445,27', 'MwSt 19 % 84,60', 'Gesamtbetrag 529,87', 'Zahlbetrag 529,87'])));
  assert.equal(invoiceValue('amount_due', ['Nettobetrag 445,27', 'MwSt 19 % 84,60', 'Gesamtbetrag 529,87', 'Zahlbetrag 529,87']), 529.87);
  assert.ok((labelled?.score ?? 0) > (plain?.score ?? 1));
});

test('amount due: a printed balance, or the total less a printed prepayment, beats the total', () => {
  assert.equal(invoiceValue('amount_due', ['Total HT 624,90 €', 'Total TTC 671,15 €', 'Solde à payer 470,15 €']), 470.15);
  assert.equal(invoiceValue('amount_due', ['Nettobetrag 180,79', 'Gesamtbetrag 215,14', 'Anzahlung 50,00']), 165.14);
});

test('due date: after "Fälligkeitstag", and after "netto bis" rather than the cash-discount date', () => {
  assert.equal(invoiceValue('due_date', ['Rechnungsdatum 11.03.2014', 'Fälligkeitstag:   01.04.2014']), '2014-04-01');
  assert.equal(invoiceValue('due_date', ['Rechnungsdatum 05.03.2013', 'Zahlbar innerhalb 30 Tagen netto bis 04.04.2013, 3% Skonto innerhalb 10 Tagen bis 15.03.2013']), '2013-04-04');
});
