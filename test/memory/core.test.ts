/**
 * @module Vendor memory's pure parts: anchors that survive OCR's look-alikes, recognition
 * that needs agreeing anchors and refuses a contradicting tax id, and counts that do
 * not flip-flop on contradictory validations (docs/vendor-memory.md#learning).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAnchors, type AnchorLine } from '../../src/core/memory/anchors.ts';
import { emptyField, observeValue } from '../../src/core/memory/counts.ts';
import { learn } from '../../src/core/memory/learn.ts';
import { emptyMemory, type Observation } from '../../src/core/memory/model.ts';
import { recognise } from '../../src/core/memory/recognise.ts';

function lines(texts: string[]): AnchorLine[] {
  return texts.map((text, i) => ({ text, page: 0, box: { x: 100, y: 50 + 40 * i, w: 400, h: 30 }, pageWidth: 600, pageHeight: 1200 }));
}

const clean = ['GARDENIA BAKERIES (KL) SDN BHD', '(139386-X)', 'LOT 3, JALAN PELABUR 23/1', '40300 SHAH ALAM, SELANGOR', 'TEL: 03-55423228', 'GST ID: 000381399040', 'www.gardenia.com.my'];
const misread = ['GARDENIA BAKERIES (KL) SDN BHD', '(139386-X)', 'L0T 3, JALAN PELABUR 23/1', '40300 SHAH ALAM, SELANG0R', 'TEL: O3-55423228', 'GST ID: OOO381399O4O', 'www.gardenia.com.my'];

test('anchors: tax id, registration, phone and web domain read the same through O/0 confusions', () => {
  const a = findAnchors(lines(clean));
  const b = findAnchors(lines(misread));
  for (const kind of ['tax_id', 'phone', 'web_domain'] as const) {
    assert.deepEqual(a.filter((x) => x.kind === kind).map((x) => x.value), b.filter((x) => x.kind === kind).map((x) => x.value), kind);
  }
  assert.ok(a.some((x) => x.kind === 'tax_id' && x.value === '139386X'));
  assert.ok(a.some((x) => x.kind === 'tax_id' && x.value === '000381399040'));
  assert.ok(a.some((x) => x.kind === 'phone' && x.value === '355423228'));
  assert.ok(a.some((x) => x.kind === 'web_domain' && x.value === 'gardenia.com.my'));
});

test('anchors: an IBAN counts only when its check digits hold; webmail domains are nobody', () => {
  const a = findAnchors(lines(['Bank: DE89 3704 0044 0532 0130 00', 'Wrong: DE88 3704 0044 0532 0130 00', 'mail: shop@gmail.com', 'info@acme-tools.de']));
  assert.deepEqual(a.filter((x) => x.kind === 'iban').map((x) => x.value), ['DE89370400440532013000']);
  assert.deepEqual(a.filter((x) => x.kind === 'email_domain').map((x) => x.value), ['acme-tools.de']);
});

function observation(texts: string[], company: string): Observation {
  return { document_type: 'Receipt', anchors: findAnchors(lines(texts)), fields: [{ name: 'company', kind: 'static', value: company, label: null, place: '1,0' }] };
}

test('recognition: a misread copy of a learned vendor is recognised; another registration number is not', () => {
  let n = 0;
  const { memory } = learn(emptyMemory(), observation(clean, 'GARDENIA BAKERIES (KL) SDN BHD'), 1, () => `v${++n}`);
  assert.equal(recognise(memory, findAnchors(lines(misread)))?.vendor.id, 'v1');
  const other = ['GARDENIA BAKERIES (KL) SDN BHD', '(999999-A)', 'GST ID: 000111222333'];
  assert.equal(recognise(memory, findAnchors(lines(other))), null, 'same name, other tax ids: a different company');
  assert.equal(recognise(memory, findAnchors(lines(['SOME OTHER SHOP', 'TEL: 03-99998888']))), null);
});

test('counts: contradictory validations do not flip-flop; a repeated new value wins', () => {
  let f = emptyField();
  for (const v of ['A', 'A', 'A', 'B']) f = observeValue(f, v, 1);
  assert.equal(f.held, 'A', 'one contradiction is counted, not followed');
  for (const v of ['A', 'B', 'A', 'B', 'A']) f = observeValue(f, v, 2);
  assert.equal(f.held, 'A', 'alternating corrections never move it');
  f = observeValue(observeValue(f, 'B', 3), 'B', 4);
  assert.equal(f.held, 'B', 'the same correction twice in a row wins');
  assert.deepEqual(f.values.map((c) => [c.value, c.n]), [['A', 6], ['B', 5]]);
});

test('learning the same vendor twice keeps one vendor with counted anchors', () => {
  let n = 0;
  const first = learn(emptyMemory(), observation(clean, 'GARDENIA BAKERIES (KL) SDN BHD'), 1, () => `v${++n}`);
  assert.equal(first.learned.new_vendor, true);
  const second = learn(first.memory, observation(misread, 'GARDENIA BAKERIES (KL) SDN BHD'), 2, () => `v${++n}`);
  assert.equal(second.learned.new_vendor, false);
  assert.equal(second.memory.vendors.length, 1);
  assert.equal(second.memory.vendors[0]?.documents, 2);
  assert.equal(second.memory.vendors[0]?.anchors.tax_id?.find((c) => c.value === '139386X')?.n, 2);
});
