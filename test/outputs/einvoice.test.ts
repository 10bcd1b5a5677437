/**
 * @module The `cii`, `ubl` and `facturx` exports end to end on a real blob store and page
 * engine, checked with independent tools: xmllint against the official XSDs, and qpdf
 * reading the Factur-X attachment back (it must be the `cii` output byte for byte). Also
 * the decide stage sending an invoice that lacks a mandatory term to validation, the
 * task failure when validation is off, and the export options' upload checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { createEngines } from '../../src/pipeline/engines.ts';
import { outputsStage } from '../../src/pipeline/outputs/stage.ts';
import { decideStage } from '../../src/pipeline/decide.ts';
import { parseExportSettings } from '../../src/core/export-settings.ts';
import { parseProject } from '../../src/core/project.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { checkSubmittedResults } from '../../src/pipeline/capture/results.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import type { DocumentResult, FieldValue } from '../../src/core/capture.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import { CII_XSD, UBL_XSD, qpdfAttachments, skipXmlTools, validateXsd } from '../helpers/xml-tools.ts';

const FIELDS: Record<string, FieldValue> = {
  invoice_number: 'INV-1001', invoice_date: '2026-11-02', due_date: '2026-12-02', supplier: 'Acme & Co <Ltd>',
  supplier_vat_id: 'DE123456789', buyer: 'Docket Demo GmbH', currency: 'EUR', subtotal: 100, tax: 19, total: 119,
  iban: 'DE75512108001245126199', line_items: [{ description: 'Paper', quantity: 2, unit_price: 50, amount: 100 }],
};

function doc(index: number, type: string, fields: Record<string, FieldValue>): DocumentResult {
  return {
    index, pages: [index, index], document_type: type, type_confidence: 1, type_needs_confirmation: false,
    boundary_confidence: 1, boundary_needs_review: false, messages: [],
    fields: Object.entries(fields).map(([name, value]) => ({ name, type: 'text', value, text: null, confidence: 1, areas: [], valid: true, messages: [], needs_confirmation: false })),
  };
}

async function withContext(exportSettings: unknown, documents: DocumentResult[], mode: 'never' | 'when_needed', run: (ctx: PipelineContext) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-einvoice-'));
  const engines = await createEngines({ threads: 1 });
  try {
    const blobs = createFsBlobStore(dir);
    const pdf = await PDFDocument.create();
    for (const text of ['Invoice INV-1001', 'Receipt']) pdf.addPage([300, 400]).drawText(text, { x: 20, y: 350, size: 14 });
    const fileKey = 'tasks/T1/file';
    await blobs.put(fileKey, await pdf.save());
    const ctx: PipelineContext = {
      taskId: 'T1', tags: { task_name: 'batch-7' }, blobs, fileKey, filePath: (await blobs.localFile(fileKey)).path, fileType: 'pdf', pageCount: 2, pages: pagesInMemory([]),
      project: { name: 'P', timeout_ms: null, client_action_timeout_ms: 1_800_000, validation: { mode, confidence_threshold: 0.9 }, definition: { name: 'P', export: exportSettings } },
      result: { pages: [], documents, actions: [], needs_validation: false },
      outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal,
    };
    await run(ctx);
  } finally {
    await engines.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const settings = [
  { format: 'cii', document_types: ['Invoice'], values: { 'BT-55': 'DE' } },
  { format: 'ubl', document_types: ['Invoice'], values: { 'BT-55': 'DE' } },
  { format: 'facturx', document_types: ['Invoice'], values: { 'BT-55': 'DE' } },
];

test('cii, ubl and facturx of an invoice: valid XML, and the Factur-X attachment is the cii file byte for byte', { skip: skipXmlTools('xmllint', 'qpdf') }, async () => {
  await withContext(settings, [doc(0, 'Invoice', FIELDS), doc(1, 'Receipt', { total: 3 })], 'never', async (ctx) => {
    await outputsStage.run(ctx);
    assert.deepEqual(ctx.outputs.map((o) => [o.file_name, o.content_type, o.kind, o.document_index]), [
      ['batch-7_0.cii.xml', 'application/xml', 'data', 0],
      ['batch-7_0.ubl.xml', 'application/xml', 'data', 0],
      ['batch-7_0.pdf', 'application/pdf', 'document', 0],
    ]);
    const [cii, ubl, facturx] = await Promise.all(ctx.outputs.map((o) => ctx.blobs.read(o.blob_key)));
    assert.ok(validateXsd(cii!, CII_XSD).ok, validateXsd(cii!, CII_XSD).messages);
    assert.ok(validateXsd(ubl!, UBL_XSD).ok, validateXsd(ubl!, UBL_XSD).messages);

    const { listing, bytes } = qpdfAttachments(facturx!, 'factur-x.xml');
    assert.match(listing, /^factur-x\.xml -> /m);
    assert.match(listing, /Subtype.*text\/xml|text\/xml/);
    assert.ok(bytes.equals(cii!), 'the attachment qpdf reads back is the cii output');

    const pdf = await PDFDocument.load(facturx!);
    const af = pdf.catalog.lookup(PDFName.of('AF'), PDFArray);
    const spec = af.lookup(0, PDFDict);
    assert.equal(spec.get(PDFName.of('AFRelationship'))?.toString(), '/Alternative');
    const xmp = Buffer.from((pdf.catalog.lookup(PDFName.of('Metadata')) as PDFRawStream).getContents()).toString('utf8');
    for (const re of [/<pdfaid:part>3</, /<fx:DocumentType>INVOICE</, /<fx:DocumentFileName>factur-x\.xml</, /<fx:Version>1\.0</, /<fx:ConformanceLevel>EN 16931</, /<pdfaSchema:prefix>fx</]) assert.match(xmp, re);
    assert.equal(pdf.getPageCount(), 1);
  });
});

test('an invoice lacking a mandatory term goes to validation with the reason, on the field a person fills', async () => {
  const fields = { ...FIELDS, buyer: null, currency: null };
  await withContext(settings, [doc(0, 'Invoice', fields), doc(1, 'Receipt', { total: 3 })], 'when_needed', async (ctx) => {
    await decideStage.run(ctx);
    assert.equal(ctx.result.needs_validation, true);
    assert.deepEqual(ctx.result.actions.map((a) => [a.kind, a.document, a.field, a.reason]), [
      ['invalid_field', 0, 'currency', 'e-invoice export: e-invoice needs BT-5 (invoice currency code)'],
      ['invalid_field', 0, 'buyer', 'e-invoice export: e-invoice needs BT-44 (buyer name)'],
    ]);
  });
  await withContext(settings, [doc(0, 'Invoice', FIELDS)], 'when_needed', async (ctx) => {
    await decideStage.run(ctx);
    assert.deepEqual(ctx.result.actions, []);
    assert.equal(ctx.result.needs_validation, false);
  });
});

test('with validation off, the export fails the task with einvoice_incomplete naming each term', async () => {
  await withContext([{ format: 'cii' }], [doc(0, 'Invoice', { ...FIELDS, buyer: null })], 'never', async (ctx) => {
    await assert.rejects(outputsStage.run(ctx), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'einvoice_incomplete');
      assert.equal(e.message, 'cii export: document 0: e-invoice needs BT-44 (buyer name); e-invoice needs BT-55 (buyer country code)');
      return true;
    });
  });
});

test('the e-invoice export options are checked at upload', () => {
  const ok = parseExportSettings([{ format: 'facturx', document_types: ['Invoice'], fields: { 'BT-44': 'customer' }, values: { 'BT-55': 'DE' } }]);
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.settings[0], { format: 'facturx', name: '{task_name}_{document_index}.pdf', scope: 'document', document_types: ['Invoice'], fields: { 'BT-44': 'customer' }, values: { 'BT-55': 'DE' } });
  const bad = parseExportSettings([{ format: 'cii', scope: 'task', document_types: 'Invoice', fields: { buyer: 'x' }, values: { 'BT-55': '' } }]);
  assert.deepEqual(bad.problems.map((p) => p.path), ['export[0].scope', 'export[0].document_types', 'export[0].fields.buyer', 'export[0].values.BT-55']);
});

test('a project is refused when an e-invoice export covers a type with no source for a mandatory term', () => {
  const withExport = (e: unknown) => parseProject({ ...demoProject(), export: [e] });
  const ok = withExport({ format: 'facturx', document_types: ['Invoice'], values: { 'BT-55': 'DE' } });
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.problems));
  const noCountry = withExport({ format: 'cii', document_types: ['Invoice'] });
  assert.deepEqual(!noCountry.ok && noCountry.problems, [{ path: 'export[0].values', message: 'document type Invoice has no field for BT-55 (buyer country code): add one, or give it in fields: or values:' }]);
  const everyType = withExport({ format: 'ubl', values: { 'BT-55': 'DE' } });
  assert.ok(!everyType.ok && everyType.problems.some((p) => /document type Receipt has no field for BT-1 /.test(p.message)), 'receipts are covered too without document_types');
  const unknown = withExport({ format: 'cii', document_types: ['Bill'], values: { 'BT-55': 'DE' } });
  assert.deepEqual(!unknown.ok && unknown.problems, [{ path: 'export[0].document_types', message: 'no document type Bill' }]);
});

test('completing validation without a term the e-invoice export needs is refused on that field', async () => {
  const parsed = parseProject({ ...demoProject(), export: [{ format: 'cii', document_types: ['Invoice'], values: { 'BT-55': 'DE' } }] });
  assert.ok(parsed.ok);
  const captured = doc(0, 'Invoice', { ...FIELDS, currency: null });
  const input = (currency: string | null) => ({
    project: parsed.project, pages: pagesInMemory([]),
    result: { pages: [{ index: 0, width: 595, height: 842, source: 'text' }], documents: [captured], actions: [], needs_validation: true },
    submitted: { documents: [{ pages: [0, 0], document_type: 'Invoice', fields: { currency } }] },
  });
  const refused = await checkSubmittedResults(input(null));
  assert.deepEqual(!refused.ok && refused.problems, [{ path: 'documents[0].fields.currency', message: 'e-invoice export: e-invoice needs BT-5 (invoice currency code)' }]);
  const accepted = await checkSubmittedResults(input('EUR'));
  assert.ok(accepted.ok, JSON.stringify(!accepted.ok && accepted.problems));
});
