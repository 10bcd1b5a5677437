/**
 * @module Tests of the `vat_id` and `iban` heuristics (capture/party-ids.ts): the issuer's VAT identifier and IBAN
 * found by format and check digit, the buyer's passed over, a failing check digit offered only for review.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ibanCandidates, vatIdCandidates } from '../../src/pipeline/capture/party-ids.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { textPage } from './pages.ts';

function top(cands: { value: string | number; score: number }[]): { value: string | number; score: number } | undefined {
  return [...cands].sort((a, b) => b.score - a.score)[0];
}

const lines = (texts: string[]) => documentLines([textPage(0, texts)]);

test('the issuer\'s VAT id wins over the buyer\'s, and is given compact', () => {
  // DE136695976 passes ISO 7064 MOD 11,10; DE811569869 too.
  const doc = lines(['Lieferant GmbH', 'USt-IdNr.: DE 136 695 976', 'Käufer:', 'Kunde AG', 'Ihre USt-IdNr.: DE811569869']);
  const best = top(vatIdCandidates(doc));
  assert.equal(best?.value, 'DE136695976');
  assert.ok((best?.score ?? 0) >= 0.9);
  const buyer = vatIdCandidates(doc).find((c) => c.value === 'DE811569869');
  assert.ok(buyer && buyer.score < 0.5);
});

test('a VAT id failing its check digit is offered at half the score; a number without a country format is none', () => {
  const bad = top(vatIdCandidates(lines(['VAT: DE123456789'])));
  assert.equal(bad?.value, 'DE123456789');
  assert.ok((bad?.score ?? 1) < 0.5);
  assert.deepEqual(vatIdCandidates(lines(['Order 123456789', 'Phone 0049 123456789'])), []);
});

test('an IBAN passes mod-97; a failing one counts only under its label, for review; a debited account is the buyer\'s', () => {
  const good = top(ibanCandidates(lines(['Bankverbindung', 'IBAN: DE88 2008 0000 0970 3757 00', 'BIC: DRESDEFF200'])));
  assert.equal(good?.value, 'DE88200800000970375700');
  assert.ok((good?.score ?? 0) >= 0.9);
  const failing = top(ibanCandidates(lines(['IBAN: DE12 1234 5678 9012 3456 78'])));
  assert.ok(failing && failing.score < 0.5);
  assert.deepEqual(ibanCandidates(lines(['Reference DE12 1234 5678 9012 3456 78'])), []);
  const debited = top(ibanCandidates(lines(['Der Betrag wird von Ihrem Konto DE88 2008 0000 0970 3757 00 abgebucht.'])));
  assert.ok(debited && debited.score < 0.5);
});
