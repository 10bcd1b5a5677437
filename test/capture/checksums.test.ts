import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iban, luhn, mod11 } from '../../src/pipeline/capture/checksums.ts';

test('Luhn', () => {
  assert.equal(luhn('4539 1488 0343 6467'), true);
  assert.equal(luhn('79927398713'), true);
  assert.equal(luhn('79927398710'), false);
  assert.equal(luhn('abc'), false);
});

test('IBAN (ISO 13616 mod 97)', () => {
  assert.equal(iban('GB82 WEST 1234 5698 7654 32'), true);
  assert.equal(iban('NL50INGB0683251309'), true);
  assert.equal(iban('DE89370400440532013000'), true);
  assert.equal(iban('GB82 WEST 1234 5698 7654 33'), false);
  assert.equal(iban('XX'), false);
});

test('mod-11 (ISBN-10 weights)', () => {
  assert.equal(mod11('0-306-40615-2'), true);
  assert.equal(mod11('080442957X'), true);
  assert.equal(mod11('0-306-40615-3'), false);
  assert.equal(mod11('1'), false);
});
