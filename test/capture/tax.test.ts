/**
 * @module Tests of the `tax` and `subtotal` heuristics (capture/tax.ts): the tax a tax line prints beside its rate
 * and base, read as the split of the total that the net amount completes, in one rate or several, and the weak
 * label reading when no split fits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subtotalCandidates, taxCandidates } from '../../src/pipeline/capture/tax.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { textPage } from './pages.ts';

function top(cands: { value: string | number; score: number }[]): { value: string | number; score: number } | undefined {
  return [...cands].sort((a, b) => b.score - a.score)[0];
}

const lines = (texts: string[]) => documentLines([textPage(0, texts)]);

test('the tax beside its rate and base is the amount that, with the printed net, makes the total', () => {
  const doc = lines(['Lieferant GmbH', 'Rechnung Nr. 4711', 'Nettobetrag 252,10', 'MwSt 19 % auf 252,10 47,90', 'Gesamtbetrag 300,00']);
  assert.equal(top(taxCandidates(doc))?.value, 47.9);
  assert.equal(top(subtotalCandidates(doc))?.value, 252.1);
  assert.ok((top(taxCandidates(doc))?.score ?? 0) >= 0.9, 'net printed and rate fitting: sure');
});

test('one tax line a rate: their amounts add up to the tax, and a net line naming the tax is no tax line', () => {
  const doc = lines(['Summe ohne USt 473,00', 'USt 7 % von 275,00 19,25', 'USt 19 % von 198,00 37,62', 'Rechnungsbetrag 529,87']);
  assert.equal(top(taxCandidates(doc))?.value, 56.87);
  assert.equal(top(subtotalCandidates(doc))?.value, 473);
});

test('a tax id, a "tax invoice" title and a total including tax are no tax lines; a credit note splits below zero', () => {
  const doc = lines(['TAX INVOICE 2024-12', 'VAT Reg No GB123456789', 'Subtotal -100.00', 'VAT 20% -20.00', 'Total incl. VAT -120.00']);
  assert.equal(top(taxCandidates(doc))?.value, -20);
  assert.equal(top(subtotalCandidates(doc))?.value, -100);
});

test('no split fits: the tax line\'s last amount and the net line\'s amount are weak readings', () => {
  const doc = lines(['Net amount 80.00', 'VAT 7.00', 'Total 95.00']);
  const tax = top(taxCandidates(doc));
  assert.equal(tax?.value, 7);
  assert.ok((tax?.score ?? 1) <= 0.4);
  assert.equal(top(subtotalCandidates(doc))?.value, 80);
});

test('a total in doubt makes its split doubtful too', () => {
  const sure = lines(['Net 100.00', 'VAT 19% 19.00', 'Total 119.00']);
  const doubt = lines(['Net 100.00', 'VAT 19% 19.00', 'Total 119.00', 'Total 140.00']);
  assert.ok((top(taxCandidates(doubt))?.score ?? 1) < (top(taxCandidates(sure))?.score ?? 0));
});
