/**
 * @module The e-invoice stage in the real capture pipeline (page engine, stages of
 * `captureStages()`, demo project) on hybrid PDFs built here: an honest one goes
 * straight to export with every invoice field from its XML; the hostile ones (XXE,
 * billion laughs, a 50 MB XML, two conflicting attachments, XML that is no invoice,
 * a truncated stream, binary data named factur-x.xml) each end with the visual
 * values and an action naming the problem, and the worker keeps working. A PDF/A-3
 * file with its XML only in `/AF` is read too, and pages that disagree with the XML
 * are a reason for review, and lines that do not add up give one reason (BR-CO-10, not
 * also the project's line rule). An invoice with a document allowance and a credit with
 * negative totals go straight to export; documents a separation found in a PDF that
 * carries an e-invoice are joined into one.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureResult } from '../../src/core/capture.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import { parseProject, type Project } from '../../src/core/project.ts';
import { createEngines } from '../../src/pipeline/engines.ts';
import { applyValidationResults } from '../../src/pipeline/capture/results.ts';
import { buildExportData } from '../../src/pipeline/outputs/data.ts';
import { captureStages } from '../../src/pipeline/stages.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { ciiInvoice } from './cii-sample.ts';
import { hybridPdf, PAGE_LINES, type Attachment } from './hybrid-pdf.ts';

const dir = await mkdtemp(join(tmpdir(), 'docket-einvoice-'));
const engines = await createEngines({ threads: 2 });
const blobs = createFsBlobStore(join(dir, 'blobs'));
const project = (parseProject(demoProject()) as { ok: true; project: Project }).project;
after(async () => {
  await engines.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function capture(attachments: Attachment[], lines?: string[]): Promise<CaptureResult> {
  return (await captured(attachments, lines)).result;
}

async function captured(attachments: Attachment[], lines?: string[], more: string[][] = [], within: Project = project): Promise<PipelineContext> {
  const file = join(dir, `t${++n}.pdf`);
  await hybridPdf(file, attachments, lines, more);
  const ctx: PipelineContext = {
    taskId: `einv${String(n).padStart(20, '0')}`, project: within, tags: {}, blobs, fileKey: file, filePath: file, fileType: null, pageCount: 0,
    pages: pagesInMemory([]), result: { pages: [], documents: [], actions: [], needs_validation: false }, outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal,
  };
  for (const stage of captureStages()) await stage.run(ctx);
  return ctx;
}

function field(r: CaptureResult, name: string) {
  return r.documents[0]?.fields.find((f) => f.name === name);
}

/** The visual extraction was used (nothing from XML) and one action names the problem. */
async function visualWithAction(attachments: Attachment[], problem: RegExp): Promise<void> {
  const r = await capture(attachments);
  assert.ok(!r.documents[0]?.fields.some((f) => f.source === 'einvoice'), 'no field may come from the XML');
  assert.equal(field(r, 'invoice_number')?.value, 'RE-2024-0042', 'the pages still give the number');
  assert.ok(r.needs_validation);
  const reasons = r.actions.map((a) => a.reason).join('\n');
  assert.match(reasons, problem);
}

test('an honest Factur-X PDF gets every invoice field from its XML and needs no validation', async () => {
  const r = await capture([{ name: 'factur-x.xml', data: ciiInvoice() }]);
  assert.deepEqual(r.actions, []);
  assert.equal(r.needs_validation, false);
  const doc = r.documents[0];
  assert.equal(doc?.document_type, 'Invoice');
  const expect: Record<string, unknown> = { invoice_number: 'RE-2024-0042', invoice_date: '2024-03-01', due_date: '2024-03-31', supplier: 'Seller GmbH', currency: 'EUR', subtotal: 200, tax: 38, total: 238, buyer: 'Buyer AG', supplier_vat_id: 'DE123456789', iban: 'DE02120300000000202051', amount_due: 238 };
  for (const [name, value] of Object.entries(expect)) {
    const f = field(r, name);
    assert.equal(f?.value, value, name);
    assert.equal(f?.confidence, 1, name);
    assert.equal(f?.source, 'einvoice', name);
  }
  // The export data says where each value came from, and stays valid against its published schema.
  const data = buildExportData({ taskId: 'A'.repeat(22), taskName: 'n', projectName: 'p', tags: {} }, r);
  assert.equal(data.documents[0]?.field_details.find((f) => f.name === 'total')?.source, 'einvoice');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(await readFile(new URL('../../docs/export.schema.json', import.meta.url), 'utf8')) as object);
  assert.ok(validate(data), JSON.stringify(validate.errors));
  assert.deepEqual(field(r, 'line_items')?.value, [
    { description: 'Consulting', quantity: 2, unit_price: 75, amount: 150 },
    { description: 'Travel', quantity: 1, unit_price: 50, amount: 50 },
  ]);
});

test('a value a person changes in validation no longer says it came from the XML', async () => {
  const ctx = await captured([{ name: 'factur-x.xml', data: ciiInvoice() }]);
  const submitted = { documents: [{ pages: [0, 0] as [number, number], document_type: 'Invoice', fields: { total: '240.00', subtotal: '200.00', tax: '40.00', invoice_number: 'RE-2024-0042' } }] };
  const { result } = await applyValidationResults({ project, result: ctx.result, pages: ctx.pages, submitted });
  assert.equal(field(result, 'total')?.source, undefined);
  assert.equal(field(result, 'total')?.value, 240);
  assert.equal(field(result, 'invoice_number')?.source, 'einvoice');
  assert.equal(field(result, 'invoice_number')?.confirmed, true);
});

test('a PDF/A-3 file whose XML is only an associated file (/AF) is read as well', async () => {
  const r = await capture([{ name: 'zugferd-invoice.xml', data: ciiInvoice(), how: 'af' }]);
  assert.equal(field(r, 'total')?.source, 'einvoice');
  assert.equal(r.needs_validation, false);
});

test('pages that print another total, number or IBAN than the XML are a reason for review', async () => {
  const r = await capture([{ name: 'factur-x.xml', data: ciiInvoice({ number: 'RE-2024-9999', total: '283.00', iban: 'DE89370400440532013000' }) }]);
  assert.ok(r.needs_validation);
  const reasons = r.actions.map((a) => `${a.field}: ${a.reason}`).join('\n');
  assert.match(reasons, /invoice_number: .*invoice number RE-2024-9999 .* not printed on the pages/);
  assert.match(reasons, /total: .*total 283\.00 .* not printed on the pages/);
  assert.match(reasons, /iban: .*IBAN DE89370400440532013000 .* not the one printed on the pages \(DE02120300000000202051\)/);
  // The changed total also breaks total = net + VAT, as the arithmetic check says, once: the demo's rule subtotal + tax == total stays silent.
  assert.match(reasons, /BR-CO-15/);
  assert.doesNotMatch(reasons, /subtotal \+ tax does not equal total/);
});

test('lines that do not add up to the line total give one reason, BR-CO-10, on the table alone', async () => {
  const r = await capture([{ name: 'factur-x.xml', data: ciiInvoice().replace('<ram:LineTotalAmount>50.00<', '<ram:LineTotalAmount>40.00<') }]);
  assert.equal(field(r, 'line_total')?.value, 200);
  assert.deepEqual(r.actions, [{
    kind: 'invalid_field', document: 0, field: 'line_items',
    reason: 'invalid: e-invoice: the line net amounts add up to 190.00, not to BT-106 (sum of invoice line net amounts) 200.00 (EN 16931 BR-CO-10)',
  }]);
  assert.deepEqual(r.documents[0]?.messages, ['e-invoice: the line net amounts add up to 190.00, not to BT-106 (sum of invoice line net amounts) 200.00 (EN 16931 BR-CO-10)']);
  assert.equal(field(r, 'line_total')?.valid, true);
});

test('a document allowance (lines 200.00, net 180.00) and a credit of negative totals go straight to export', async () => {
  // 10 % off the whole invoice: BT-106 200.00 − BT-107 20.00 = BT-109 180.00, VAT 34.20, total 214.20.
  const allowance = ciiInvoice({ total: '214.20' })
    .replace('<ram:CalculatedAmount>38.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>200.00', '<ram:CalculatedAmount>34.20</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>180.00')
    .replace('<ram:TaxBasisTotalAmount>200.00', '<ram:AllowanceTotalAmount>20.00</ram:AllowanceTotalAmount><ram:TaxBasisTotalAmount>180.00')
    .replace('currencyID="EUR">38.00', 'currencyID="EUR">34.20');
  const lines = PAGE_LINES.map((l) => l.replace('Subtotal 200.00', 'Subtotal 200.00 Discount 10% -20.00 Net 180.00').replace('238.00', '214.20').replace('VAT 19% 38.00', 'VAT 19% 34.20'));
  const r = await capture([{ name: 'factur-x.xml', data: allowance }], lines);
  assert.deepEqual(r.actions, []);
  assert.equal(field(r, 'subtotal')?.value, 180);
  assert.equal(field(r, 'line_total')?.value, 200);
  // A corrective invoice crediting the same lines: every amount negative, the EN 16931 arithmetic holding.
  const negative = ciiInvoice({ total: '-238.00' }).replace(/<ram:TypeCode>380</, '<ram:TypeCode>384<')
    .replace(/(<ram:(?:LineTotalAmount|BasisAmount|CalculatedAmount|TaxBasisTotalAmount)>)(\d)/g, '$1-$2')
    .replace('currencyID="EUR">38.00', 'currencyID="EUR">-38.00').replace(/unitCode="(\w+)">(\d)/g, 'unitCode="$1">-$2');
  const credit = await capture([{ name: 'factur-x.xml', data: negative }], PAGE_LINES.map((l) => l.replace(/(\d+\.\d\d)/g, '-$1')));
  assert.deepEqual(credit.actions, []);
  assert.equal(field(credit, 'total')?.value, -238);
});

test('a PDF with an e-invoice that the separation splits is one invoice: its documents are joined', async () => {
  // A project that starts a document on every page headed RECHNUNG; the invoice's second page repeats the heading.
  const splitting = (parseProject({ ...demoProject(), separation: { mode: 'first_page_pattern', pattern: '^RECHNUNG' } }) as { ok: true; project: Project }).project;
  const terms = ['RECHNUNG (Fortsetzung)', 'Zahlbar innerhalb von 30 Tagen', 'Allgemeine Geschäftsbedingungen'];
  const plain = await captured([], undefined, [terms], splitting);
  assert.equal(plain.result.documents.length, 2, 'without an e-invoice the separation stands');
  const ctx = await captured([{ name: 'factur-x.xml', data: ciiInvoice() }], undefined, [terms], splitting);
  const docs = ctx.result.documents;
  assert.equal(docs.length, 1);
  assert.deepEqual(docs[0]?.pages, [0, 1]);
  assert.equal(docs[0]?.boundary_needs_review, false);
  assert.match((docs[0]?.notes ?? []).join('\n'), /carries one e-invoice \(factur-x\.xml\), so its 2 documents found by separation are joined/);
  assert.equal(field(ctx.result, 'total')?.source, 'einvoice');
  assert.deepEqual(ctx.result.actions, []);
  assert.equal(ctx.result.needs_validation, false);
  // An unusable attachment leaves the separation as it was, the problem on the first document.
  const broken = await captured([{ name: 'factur-x.xml', data: '<order/>' }], undefined, [terms], splitting);
  assert.equal(broken.result.documents.length, 2);
  assert.match(broken.result.actions.filter((a) => a.document === 0).map((a) => a.reason).join('\n'), /not a CII or UBL invoice/);
});

test('an XXE attachment is refused: visual values, an action naming the DTD', async () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&x;</rsm:CrossIndustryInvoice>`;
  await visualWithAction([{ name: 'factur-x.xml', data: xxe }], /e-invoice: the embedded invoice factur-x\.xml could not be read: the XML declares a DTD/);
});

test('a billion-laughs attachment is refused without expansion', async () => {
  const defs = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
  await visualWithAction([{ name: 'factur-x.xml', data: `<!DOCTYPE lolz [<!ENTITY l0 "lol">${defs}]><lolz>&l9;</lolz>` }], /declares a DTD or entities/);
});

test('a 50 MB XML attachment is refused by size', async () => {
  const row = '<ram:IncludedNote><ram:Content>padding padding padding</ram:Content></ram:IncludedNote>';
  const big = `<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="x">${row.repeat(Math.ceil((50 * 1024 * 1024) / row.length))}</rsm:CrossIndustryInvoice>`;
  await visualWithAction([{ name: 'factur-x.xml', data: big }], /factur-x\.xml has \d+ bytes, more than the limit of 20971520/);
});

test('two attachments that disagree are both set aside', async () => {
  await visualWithAction([{ name: 'factur-x.xml', data: ciiInvoice() }, { name: 'zugferd-invoice.xml', data: ciiInvoice({ total: '999.00' }) }], /carries 2 invoice XMLs that disagree \(factur-x\.xml, zugferd-invoice\.xml\)/);
});

test('an attachment that is XML but no invoice is named as such', async () => {
  await visualWithAction([{ name: 'xrechnung.xml', data: '<?xml version="1.0"?><order xmlns="urn:example:orders"><id>1</id></order>' }], /xrechnung\.xml could not be read: the XML is not a CII or UBL invoice \(its document element is order\)/);
});

test('a truncated attachment stream ends as an action, not a crash', async () => {
  await visualWithAction([{ name: 'factur-x.xml', data: ciiInvoice(), how: 'truncated' }], /e-invoice: the embedded invoice factur-x\.xml (could not be decoded|could not be read: the data is not well-formed XML)/);
});

test('binary data named factur-x.xml is not XML', async () => {
  const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
  await visualWithAction([{ name: 'factur-x.xml', data: binary }], /factur-x\.xml could not be read: the data is binary/);
});

test('after every hostile file the engine still reads an honest one', async () => {
  const r = await capture([{ name: 'ZUGFeRD-invoice.xml', data: ciiInvoice() }], PAGE_LINES);
  assert.equal(field(r, 'total')?.source, 'einvoice');
});
