/**
 * @module The public e-invoice corpus (`labeled/einvoices`), end to end but for the
 * pages: the page engine finds the invoice XML of every PDF, byte for byte the
 * `NAME.gt.xml` the corpus copied from the attachment (as `qpdf --show-attachment`
 * prints it), and no other attachment (images, PDFs, the second XML of
 * `4s4u-additional-data-sample-1`); and every XML (ZUGFeRD 1.0, its release
 * candidate, ZUGFeRD 2.x and Factur-X, MINIMUM to EXTENDED) read into `EInvoice`
 * gives exactly the fields of its `gt.json`, derived from the same XML by the
 * corpus's own rule. Amounts are compared by their written digits ("473.00"), through
 * the JSON reviver's source text, not as floats; a key the label lacks must be empty
 * in the reading too.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EInvoice } from '../../src/core/einvoice/model.ts';
import { EMBEDDED_NAMES } from '../../src/pipeline/einvoice/embedded.ts';
import { readEInvoiceXml, sniffEInvoiceXml, XML_LIMITS } from '../../src/pipeline/einvoice/read.ts';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

const FOLDER = 'labeled/einvoices';
const skip = skipCorpus(FOLDER);

/** gt.json key → the reading's value, as text. */
const KEYS: Record<string, (inv: EInvoice) => string | null> = {
  issuer: (i) => i.seller.name,
  buyer: (i) => i.buyer.name,
  seller_vat_id: (i) => i.seller.vat_id,
  invoice_number: (i) => i.number,
  date: (i) => i.issue_date,
  due_date: (i) => i.due_date,
  currency: (i) => i.currency,
  amount: (i) => i.totals.tax_inclusive,
  amount_untaxed: (i) => i.totals.tax_exclusive,
  amount_tax: (i) => i.totals.tax,
  amount_due: (i) => i.totals.due,
  iban: (i) => i.iban,
  line_count: (i) => (i.lines.length > 0 ? String(i.lines.length) : null),
};

/** The label with every value as the text it is written with (numbers keep their digits). */
function label(file: string): Record<string, string> {
  const reviver = (_key: string, value: unknown, context?: { source?: string }): unknown => (typeof value === 'number' ? (context?.source ?? String(value)) : value);
  return JSON.parse(readFileSync(file, 'utf8'), reviver as (k: string, v: unknown) => unknown) as Record<string, string>;
}

test('every corpus invoice XML reads into the fields of its gt.json', { skip }, () => {
  const dir = join(CORPUS, FOLDER);
  const names = readdirSync(dir).filter((n) => n.endsWith('.gt.xml')).sort();
  assert.ok(names.length >= 61, `61 invoice XMLs expected, found ${names.length}`);
  const misses: string[] = [];
  const syntaxes = new Map<string, number>();
  for (const name of names) {
    const bytes = readFileSync(join(dir, name));
    const syntax = sniffEInvoiceXml(bytes);
    syntaxes.set(String(syntax), (syntaxes.get(String(syntax)) ?? 0) + 1);
    const inv = readEInvoiceXml(bytes);
    assert.equal(inv.syntax, syntax, name);
    const truth = label(join(dir, name.replace(/\.gt\.xml$/, '.gt.json')));
    for (const [key, get] of Object.entries(KEYS)) {
      const got = get(inv);
      const want = truth[key] ?? null;
      if (got !== want) misses.push(`${name} ${key}: read ${JSON.stringify(got)}, label ${JSON.stringify(want)}`);
    }
  }
  assert.deepEqual(misses, []);
  assert.deepEqual([...syntaxes.keys()].sort(), ['cii', 'zugferd1']);
});

const engine = createPageEngine({ threads: 2 });
after(() => engine.close());

test('every corpus e-invoice PDF yields exactly its gt.xml', { skip }, async () => {
  const dir = join(CORPUS, FOLDER);
  const pdfs = readdirSync(dir).filter((n) => n.endsWith('.pdf')).sort();
  assert.ok(pdfs.length >= 61);
  const wrong: string[] = [];
  for (const name of pdfs) {
    const found = await engine.attachments(join(dir, name), EMBEDDED_NAMES, XML_LIMITS.bytes);
    const want = readFileSync(join(dir, name.replace(/\.pdf$/, '.gt.xml')));
    if (found.length !== 1 || found[0]?.via !== 'names' || !found[0].data || Buffer.compare(Buffer.from(found[0].data), want) !== 0) {
      wrong.push(`${name}: ${found.map((a) => `${a.name} via ${a.via}, ${a.size} bytes`).join('; ') || 'none'}`);
    }
  }
  assert.deepEqual(wrong, []);
});
