/**
 * @module The CII and UBL writers checked by an independent validator: libxml2's
 * `xmllint --schema` against the official CII D16B and UBL 2.1 XSDs in `schemas/`, and
 * `xmllint --xpath` to read texts back, so escaping is proved by a parser that is not ours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCii } from '../../src/core/einvoice/write-cii.ts';
import { writeUbl } from '../../src/core/einvoice/write-ubl.ts';
import { CII_XSD, UBL_CREDIT_NOTE_XSD, UBL_XSD, skipXmlTools, validateXsd } from '../helpers/xml-tools.ts';
import { fullInvoice, hostileInvoice } from './samples.ts';

const skip = skipXmlTools('xmllint');

/** The string value of an XPath over `xml`, read by xmllint. */
function xpath(xml: string, expr: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'docket-xpath-'));
  try {
    writeFileSync(join(dir, 'doc.xml'), xml);
    const r = spawnSync('xmllint', ['--nonet', '--xpath', `string(${expr})`, join(dir, 'doc.xml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // xmllint ends its answer with one line feed of its own.
    return r.stdout.replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const local = (path: string) => path.split('/').map((n) => (n === '' ? '' : `*[local-name()='${n}']`)).join('/');

test('CII of a complete invoice is valid against the D16B XSD', { skip }, () => {
  const r = validateXsd(writeCii(fullInvoice()), CII_XSD);
  assert.ok(r.ok, r.messages);
});

test('UBL of a complete invoice is valid against the UBL 2.1 Invoice XSD', { skip }, () => {
  const r = validateXsd(writeUbl(fullInvoice()), UBL_XSD);
  assert.ok(r.ok, r.messages);
});

test('a credit note (type 381) is a UBL CreditNote, valid against its own XSD, its due date under PaymentMeans', { skip }, () => {
  const inv = fullInvoice();
  inv.type_code = '381';
  const ubl = writeUbl(inv);
  const r = validateXsd(ubl, UBL_CREDIT_NOTE_XSD);
  assert.ok(r.ok, r.messages);
  assert.equal(xpath(ubl, `/${local('CreditNote/CreditNoteTypeCode')}`), '381');
  assert.equal(xpath(ubl, `/${local('CreditNote/PaymentMeans/PaymentDueDate')}`), '2026-12-30');
  assert.equal(xpath(ubl, `count(//${local('CreditNoteLine/CreditedQuantity')})`), '2');
  assert.ok(validateXsd(writeCii(inv), CII_XSD).ok, 'CII has one document for both');
});

test('hostile texts are escaped: both outputs stay valid and a parser reads the same text back', { skip }, () => {
  const inv = hostileInvoice();
  const cii = writeCii(inv);
  const ubl = writeUbl(inv);
  assert.ok(validateXsd(cii, CII_XSD).ok, validateXsd(cii, CII_XSD).messages);
  assert.ok(validateXsd(ubl, UBL_XSD).ok, validateXsd(ubl, UBL_XSD).messages);
  assert.equal(xpath(cii, `/${local('CrossIndustryInvoice/ExchangedDocument/ID')}`), inv.number);
  assert.equal(xpath(ubl, `/${local('Invoice/ID')}`), inv.number);
  assert.equal(xpath(cii, `//${local('SellerTradeParty/Name')}`), inv.seller.name);
  assert.equal(xpath(ubl, `//${local('AccountingSupplierParty/Party/PartyLegalEntity/RegistrationName')}`), inv.seller.name);
  assert.equal(xpath(cii, `//${local('SpecifiedTradePaymentTerms/Description')}`), inv.payment_terms);
  // No element was injected by the seller's name.
  assert.equal(xpath(cii, `count(//*[local-name()='Injected'])`), '0');
  // CR survives (written as &#13;); the control characters XML 1.0 cannot hold are dropped; the rest is kept.
  assert.equal(xpath(cii, `//${local('BuyerTradeParty/Name')}`), 'Käufer\r\nZweite Zeile  株式会社 🧾');
});

test('absent terms are left out, never written as empty elements', { skip }, () => {
  const inv = fullInvoice();
  inv.due_date = null;
  inv.buyer.address = { line1: null, line2: null, city: null, postcode: null, country: null };
  inv.buyer.email = null;
  inv.iban = null;
  inv.payment_means = null;
  const cii = writeCii(inv);
  const ubl = writeUbl(inv);
  assert.ok(validateXsd(cii, CII_XSD).ok);
  assert.ok(validateXsd(ubl, UBL_XSD).ok);
  assert.doesNotMatch(cii, /<ram:[A-Za-z]+\/>|<ram:(DueDateDateTime|PayeePartyCreditorFinancialAccount|SpecifiedTradeSettlementPaymentMeans)\b/);
  assert.equal(xpath(cii, `count(//${local('BuyerTradeParty/PostalTradeAddress')})`), '0');
  assert.doesNotMatch(ubl, /<cbc:DueDate>|<cac:PaymentMeans>/);
});

test('the validator is not a rubber stamp: a UBL invoice without lines and a CII with a bad amount fail', { skip }, () => {
  const inv = fullInvoice();
  inv.lines = [];
  assert.equal(validateXsd(writeUbl(inv), UBL_XSD).ok, false);
  const bad = writeCii(fullInvoice()).replace('<ram:DuePayableAmount>529.87<', '<ram:DuePayableAmount>529,87<');
  const r = validateXsd(bad, CII_XSD);
  assert.equal(r.ok, false);
  assert.match(r.messages, /DuePayableAmount/);
});
