/**
 * @module The e-invoice XML reader on UBL and on hostile input: an XXE file, a billion
 * laughs, a 50 MB XML (generated here), deep nesting, too many elements, binary data,
 * text that is not XML and XML that is not an invoice each end in an
 * `EInvoiceXmlError` naming the problem, quickly and without network access.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EInvoiceXmlError, readEInvoiceXml, sniffEInvoiceXml, XML_LIMITS, type XmlProblem } from '../../src/pipeline/einvoice/read.ts';
import { ublInvoice } from './ubl-sample.ts';

function fails(input: Uint8Array | string, problem: XmlProblem): EInvoiceXmlError {
  const started = performance.now();
  try {
    readEInvoiceXml(input);
  } catch (e) {
    assert.ok(e instanceof EInvoiceXmlError, String(e));
    assert.equal(e.problem, problem, e.message);
    assert.ok(performance.now() - started < 5000);
    return e;
  }
  assert.fail(`expected ${problem}`);
}

const CII = 'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"';

test('a UBL 2.1 invoice reads into every main business term', () => {
  const xml = ublInvoice();
  assert.equal(sniffEInvoiceXml(Buffer.from(xml)), 'ubl');
  const inv = readEInvoiceXml(Buffer.from(xml));
  assert.equal(inv.syntax, 'ubl');
  assert.equal(inv.number, 'RE-2024-0042');
  assert.equal(inv.type_code, '380');
  assert.equal(inv.issue_date, '2024-03-01');
  assert.equal(inv.due_date, '2024-03-31');
  assert.equal(inv.currency, 'EUR');
  assert.equal(inv.buyer_reference, '04011000-12345-34');
  assert.equal(inv.order_reference, 'PO-77');
  assert.deepEqual(inv.seller, { name: 'Seller GmbH', vat_id: 'DE123456789', registration_id: 'HRB 1234', address: { line1: 'Hauptstraße 1', line2: null, city: 'Berlin', postcode: '10115', country: 'DE' }, email: 'info@seller.example' });
  assert.equal(inv.buyer.name, 'Buyer AG');
  assert.equal(inv.iban, 'DE02120300000000202051');
  assert.equal(inv.payment_means, '58');
  assert.equal(inv.lines.length, 2);
  assert.deepEqual(inv.lines[1], { id: '2', description: 'Travel\nTravel flat rate', quantity: '1', unit: 'C62', unit_price: '50.00', net_amount: '50.00', vat_category: 'S', vat_rate: '19' });
  assert.deepEqual(inv.vat_breakdown, [{ taxable_amount: '200.00', tax_amount: '38.00', category: 'S', rate: '19' }]);
  assert.deepEqual(inv.totals, { line_total: '200.00', allowances: null, charges: null, tax_exclusive: '200.00', tax: '38.00', tax_inclusive: '238.00', prepaid: '0.00', due: '238.00' });
  // Predefined entities and character references are plain escapes, decoded.
  assert.equal(inv.terms['BT-22'], 'Müller & Söhne € note');
  assert.equal(inv.terms['BT-28'], 'Seller Trading');
  assert.equal(inv.terms['BT-34'], 'billing@seller.example');
});

test('a UBL credit note reads with its own line, quantity and type elements', () => {
  const inv = readEInvoiceXml(ublInvoice({ credit: true }));
  assert.equal(inv.type_code, '381');
  assert.equal(inv.due_date, '2024-04-15');
  assert.equal(inv.lines.length, 2);
  assert.equal(inv.lines[0]?.quantity, '2');
});

test('an ISO-8859-1 or UTF-16 invoice is read in its own encoding', () => {
  const latin1 = Buffer.from(ublInvoice().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('&#8364; ', ''), 'latin1');
  assert.equal(readEInvoiceXml(latin1).terms['BT-22'], 'Müller & Söhne note');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ublInvoice().replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
  assert.equal(sniffEInvoiceXml(utf16), 'ubl');
  assert.equal(readEInvoiceXml(utf16).seller.address.line1, 'Hauptstraße 1');
  fails(Buffer.from('<?xml version="1.0" encoding="x-no-such"?><a/>'), 'not_xml');
});

test('an XXE file is refused before parsing: no file is read, no network used', () => {
  const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rsm:CrossIndustryInvoice ${CII}><x>&xxe;</x></rsm:CrossIndustryInvoice>`;
  const e = fails(xml, 'dtd');
  assert.doesNotMatch(e.message, /root:/);
  fails(`<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r/>`, 'dtd');
});

test('a billion-laughs file is refused without expanding anything', () => {
  const defs = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
  fails(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">${defs}]><lolz>&l9;</lolz>`, 'dtd');
});

test('a 50 MB XML is refused by size before it is parsed', () => {
  const row = '<ram:IncludedNote><ram:Content>padding padding padding</ram:Content></ram:IncludedNote>';
  const body = row.repeat(Math.ceil((50 * 1024 * 1024) / row.length));
  const xml = Buffer.from(`<rsm:CrossIndustryInvoice ${CII}>${body}</rsm:CrossIndustryInvoice>`);
  assert.ok(xml.byteLength >= 50 * 1024 * 1024);
  fails(xml, 'too_large');
});

test('nesting deeper than the limit and too many elements are refused', () => {
  const depth = XML_LIMITS.depth + 5;
  fails(`<rsm:CrossIndustryInvoice ${CII}>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</rsm:CrossIndustryInvoice>`, 'too_deep');
  fails(`<rsm:CrossIndustryInvoice ${CII}>${'<a/>'.repeat(XML_LIMITS.elements + 1)}</rsm:CrossIndustryInvoice>`, 'too_many_elements');
});

test('binary data, text that is not XML and truncated XML are not_xml', () => {
  fails(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x01]), 'not_xml');
  fails('hello, this is not XML', 'not_xml');
  const whole = ublInvoice();
  fails(whole.slice(0, Math.floor(whole.length / 2)), 'not_xml');
});

test('XML that is not an invoice is not_invoice, named by its document element', () => {
  const e = fails('<?xml version="1.0"?><order xmlns="urn:example:orders"><id>1</id></order>', 'not_invoice');
  assert.match(e.message, /order/);
  // The right element name in the wrong namespace is not an invoice either.
  fails('<Invoice xmlns="urn:example:other"><ID>1</ID></Invoice>', 'not_invoice');
  assert.equal(sniffEInvoiceXml('<Invoice xmlns="urn:example:other"/>'), null);
  assert.equal(sniffEInvoiceXml(Buffer.from([0, 1, 2, 3])), null);
});
