/**
 * @module The round trip of the `cii` and `ubl` exports: captured fields → e-invoice XML
 * → read back by the e-invoice reader → the same fields. Over the public e-invoices
 * (their XML read onto an invoice type, as the e-invoice stage does) and over the demo
 * project's invoices (the labelled invoice2data PDFs' fields as a person validated them,
 * the buyer given by the export setting). Every exported XML is checked by xmllint
 * against the official XSDs. What may differ, and is counted: a field the capture left
 * empty that the export derived (a total from the other two, a country from a VAT id,
 * a unit price), and the lines and their line total (BT-106) when the table does not
 * add up to the net total (one line carrying it instead). Invoices lacking a mandatory term are refused with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldValue } from '../../src/core/capture.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { einvoiceFromFields } from '../../src/core/einvoice/from-fields.ts';
import { writeCii } from '../../src/core/einvoice/write-cii.ts';
import { CREDIT_NOTE_CODES, writeUbl } from '../../src/core/einvoice/write-ubl.ts';
import type { EInvoiceExport } from '../../src/core/export-settings.ts';
import { captureSettings, parseProject, type DocumentType } from '../../src/core/project.ts';
import { fieldsFromEInvoice } from '../../src/pipeline/einvoice/fields.ts';
import { readEInvoiceXml } from '../../src/pipeline/einvoice/read.ts';
import { termSources } from '../../src/pipeline/outputs/einvoice.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';
import { CII_XSD, UBL_CREDIT_NOTE_XSD, UBL_XSD, skipXmlTools, validateXsdMany } from '../helpers/xml-tools.ts';

type Fields = Record<string, FieldValue>;
/** UBL credit notes are a document of their own, with their own schema. */
type Format = 'cii' | 'ubl' | 'ubl_credit_note';

/** The demo project's Invoice type; `extra` adds fields (the countries an e-invoice carries). */
function invoiceType(extra: boolean): DocumentType {
  const def = demoProject() as { document_types: { name: string; fields: Record<string, unknown>[] }[] };
  const type = def.document_types.find((t) => t.name === 'Invoice')!;
  if (extra) {
    (type.fields.find((f) => f.name === 'line_items')!.columns as unknown[]).push({ name: 'vat_rate', type: 'number', header: ['vat %'] });
    type.fields.push({ name: 'seller_country', type: 'text', extract: [{ einvoice: 'BT-40' }] }, { name: 'buyer_country', type: 'text', extract: [{ einvoice: 'BT-55' }] });
  }
  const parsed = parseProject(def);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return captureSettings(parsed.project).document_types.find((t) => t.name === 'Invoice')!;
}

function setting(values: Record<string, string> = {}): EInvoiceExport {
  return { format: 'cii', name: '', scope: 'document', document_types: null, fields: {}, values };
}

interface Tally { exported: string[]; refused: Record<string, string>; filled: number; summarised: number; compared: number }

/** Exports each document both ways, reads it back, and checks every captured value returns; XSD checks are gathered per format. */
function roundTrip(type: DocumentType, docs: Record<string, Fields>, s: EInvoiceExport): Tally & { xml: Record<Format, Record<string, string>> } {
  const t: Tally & { xml: Record<Format, Record<string, string>> } = { exported: [], refused: {}, filled: 0, summarised: 0, compared: 0, xml: { cii: {}, ubl: {}, ubl_credit_note: {} } };
  for (const [name, fields] of Object.entries(docs)) {
    const r = einvoiceFromFields(fields, termSources(s, type));
    if (!r.ok) {
      assert.ok(r.problems.length > 0);
      t.refused[name] = r.problems.map((p) => p.message).join('; ');
      continue;
    }
    t.exported.push(name);
    const rows = Array.isArray(fields.line_items) ? fields.line_items : [];
    const keptLines = rows.length > 0 && r.invoice.lines.length === rows.length && r.invoice.lines[0]?.description === rows[0]?.description;
    if (!keptLines) t.summarised++;
    for (const [format, write] of [['cii', writeCii], ['ubl', writeUbl]] as const) {
      const xml: string = write(r.invoice);
      const kind: Format = format === 'ubl' && CREDIT_NOTE_CODES.includes(r.invoice.type_code ?? '') ? 'ubl_credit_note' : format;
      t.xml[kind][`${name}.xml`] = xml;
      const back: Record<string, FieldValue> = Object.fromEntries(fieldsFromEInvoice(type, readEInvoiceXml(xml), []).map((f) => [f.name, f.value]));
      for (const [field, value] of Object.entries(fields)) {
        // The line total (BT-106) is the lines' sum: when they are summarised (document allowances or charges, which the export does not carry), so is it.
        if ((field === 'line_items' || field === 'line_total') && !keptLines) continue;
        if (value === null || (Array.isArray(value) && value.length === 0)) {
          if (back[field] !== null && back[field] !== undefined) t.filled++;
          continue;
        }
        t.compared++;
        if (field === 'line_items') {
          // A cell the capture left empty may come back derived (a unit price from amount and quantity); every captured cell returns.
          (value as Record<string, unknown>[]).forEach((row, i) => {
            for (const [col, cell] of Object.entries(row)) if (cell !== null) assert.deepEqual((back[field] as Record<string, unknown>[])[i]?.[col], cell, `${name} ${format} line ${i} ${col}`);
          });
        } else {
          assert.deepEqual(back[field], value, `${name} ${format} ${field}`);
        }
      }
    }
  }
  return t;
}

function assertValid(xml: Record<Format, Record<string, string>>): void {
  for (const [format, xsd] of [['cii', CII_XSD], ['ubl', UBL_XSD], ['ubl_credit_note', UBL_CREDIT_NOTE_XSD]] as const) {
    if (Object.keys(xml[format]).length === 0) continue;
    const r = validateXsdMany(xml[format], xsd);
    const invalid = Object.entries(r.valid).filter(([, ok]) => !ok).map(([name]) => name);
    assert.deepEqual(invalid, [], `${format}: ${r.messages.split('\n').filter((l) => !l.endsWith('validates')).slice(0, 5).join('\n')}`);
  }
}

test('public e-invoices: every exported cii and ubl is XSD-valid and reads back to the same fields', { skip: skipXmlTools('xmllint') || skipCorpus('labeled/einvoices') }, (t) => {
  const dir = join(CORPUS, 'labeled/einvoices');
  const type = invoiceType(true);
  const docs = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.gt.xml')).map((f) => {
    const fields = fieldsFromEInvoice(type, readEInvoiceXml(readFileSync(join(dir, f))), []);
    return [f.replace(/\.gt\.xml$/, ''), Object.fromEntries(fields.map((x) => [x.name, x.value]))];
  }));
  const r = roundTrip(type, docs, setting());
  assertValid(r.xml);
  t.diagnostic(`${r.exported.length} of ${Object.keys(docs).length} exported (${r.compared} captured values compared, all equal; ${r.filled} empty fields filled by derivation; ${r.summarised} with one summary line), refused: ${JSON.stringify(r.refused)}`);
  // 61 files; refused are the ones a receiver would reject too: no currency, no countries, mixed VAT rates whose lines do not add up.
  assert.ok(r.exported.length >= 50, `${r.exported.length} exported`);
  for (const reason of Object.values(r.refused)) assert.match(reason, /needs BT-(5|40|55)\b|is not one VAT rate/);
});

test('the demo invoices, as validated: exported ones are XSD-valid and read back the same; the others name what they lack', { skip: skipXmlTools('xmllint') || skipCorpus('labeled/invoices') }, (t) => {
  const dir = join(CORPUS, 'labeled/invoices');
  const docs = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.gt.json')).map((f) => {
    const [g] = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string | number | undefined>[];
    const fields: Fields = {
      invoice_number: g!.invoice_number ?? null, invoice_date: g!.date ?? null, due_date: g!.date_due ?? null, supplier: g!.issuer ?? null,
      currency: g!.currency ?? null, subtotal: g!.amount_untaxed ?? null, total: g!.amount ?? null, supplier_vat_id: g!.vat ?? null,
    };
    return [f.replace(/\.gt\.json$/, ''), fields];
  }));
  const r = roundTrip(invoiceType(false), docs, setting({ 'BT-44': 'Docket Demo GmbH', 'BT-55': 'DE' }));
  assertValid(r.xml);
  t.diagnostic(`${r.exported.length} of ${Object.keys(docs).length} exported: ${r.exported.join(', ')}; refused: ${JSON.stringify(r.refused)}`);
  assert.deepEqual(r.exported.sort(), ['QualityHosting', 'coolblue1', 'free_fiber']);
  // No VAT id printed, so no seller country to derive; no net total or VAT to build the VAT breakdown from.
  assert.equal(r.refused.AmazonWebServices, 'e-invoice needs BT-40 (seller country code)');
  assert.match(r.refused.FlipkartInvoice ?? '', /BT-109 .*BT-110/);
});
