import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAmounts, parseDate, parseNumber } from '../../src/pipeline/capture/normalize.ts';

test('dates in many formats, day-first or month-first by project', () => {
  assert.equal(parseDate('25/12/2018'), '2018-12-25');
  assert.equal(parseDate('18-11-18'), '2018-11-18');
  assert.equal(parseDate('05 MAR 2018'), '2018-03-05');
  assert.equal(parseDate('18 april 2014'), '2014-04-18');
  assert.equal(parseDate('Aug 3, 2014'), '2014-08-03');
  assert.equal(parseDate('2015-07-02'), '2015-07-02');
  assert.equal(parseDate('19.04.2014'), '2014-04-19');
  assert.equal(parseDate('03/04/2024', 'dmy'), '2024-04-03');
  assert.equal(parseDate('03/04/2024', 'mdy'), '2024-03-04');
  assert.equal(parseDate('12/31/2024', 'dmy'), '2024-12-31');
  assert.equal(parseDate('31/02/2024'), null);
  assert.equal(parseDate('no date'), null);
});

test('numbers with thousand and decimal separators', () => {
  assert.equal(parseNumber('1,234.56'), 1234.56);
  assert.equal(parseNumber('1.234,56'), 1234.56);
  assert.equal(parseNumber("1'234.50"), 1234.5);
  assert.equal(parseNumber('1,234'), 1234);
  assert.equal(parseNumber('717,97'), 717.97);
  assert.equal(parseNumber('0.500'), 0.5);
  assert.equal(parseNumber('-12.00'), -12);
  assert.equal(parseNumber('abc'), null);
});

test('amounts carry their currency', () => {
  const [a] = findAmounts('Total: RM 30.90');
  assert.deepEqual(a?.value, { value: 30.9, currency: 'MYR', decimals: true });
  assert.equal(findAmounts('€ 1.234,56')[0]?.value.currency, 'EUR');
  assert.equal(findAmounts('$8.20')[0]?.value.value, 8.2);
  assert.equal(findAmounts('Amount 319.00 INR')[0]?.value.currency, 'INR');
});
