/**
 * @module The PDF/A-3 side of the `facturx` export, checked with independent tools
 * (pdfa-check.ts: qpdf, and PDFBox Preflight where Java and Debian's libpdfbox2-java
 * are installed). A scanned invoice — the pages a paper invoice becomes, read by the
 * real page engine with Tesseract, exported through the outputs stage — must pass every
 * check: XMP identification and `fx:` extension schema, `/AF` and `/AFRelationship`,
 * the sRGB OutputIntent, the trailer `/ID`, its fonts (an invisible text layer). So must
 * a bare UBL invoice with Polish, Danish, Hungarian and German names, whose rendering
 * paints visible text in the embedded DejaVu Sans subsets (einvoice/fonts.ts).
 * A born-digital source whose visible text uses a font it does not embed is named as
 * such, which is the part of PDF/A-3 the export does not reach (docs/einvoice-export.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { DocumentResult, FieldValue } from '../../src/core/capture.ts';
import { pagesInMemory } from '../../src/core/page-set.ts';
import { createEngines } from '../../src/pipeline/engines.ts';
import { noteFacturxFonts } from '../../src/pipeline/outputs/einvoice.ts';
import { outputsStage } from '../../src/pipeline/outputs/stage.ts';
import { pagesStage } from '../../src/pipeline/pages/stage.ts';
import { sniffStage } from '../../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS, type PipelineContext } from '../../src/pipeline/types.ts';
import { createFsBlobStore } from '../../src/store/blob-fs.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';
import { REQUIRE_XML_TOOLS, skipXmlTools } from '../helpers/xml-tools.ts';
import { writeUbl } from '../../src/core/einvoice/write-ubl.ts';
import { pdfaProblems, preflightErrors, preflightMissing } from './pdfa-check.ts';
import { fullInvoice } from './samples.ts';

const FIELDS: Record<string, FieldValue> = {
  invoice_number: 'INV-1001', invoice_date: '2026-11-02', supplier: 'Linn Products', supplier_vat_id: 'GB123456789', buyer: 'Docket Demo GmbH',
  currency: 'EUR', subtotal: 100, tax: 19, total: 119, line_items: [{ description: 'Paper', quantity: 2, unit_price: 50, amount: 100 }],
};

function invoice(): DocumentResult {
  return {
    index: 0, pages: [0, 0], document_type: 'Invoice', type_confidence: 1, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, messages: [],
    fields: Object.entries(FIELDS).map(([name, value]) => ({ name, type: 'text', value, text: null, confidence: 1, areas: [], valid: true, messages: [], needs_confirmation: false })),
  };
}

/** The `facturx` output of a one-invoice task whose file is `source` (a path, or the bytes), its pages read by the real page engine first. */
async function facturx(source: string | Uint8Array): Promise<{ pdf: Uint8Array; text: string; notes: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-pdfa-'));
  const engines = await createEngines({ threads: 1 });
  try {
    const file = join(dir, 'file');
    if (typeof source === 'string') await copyFile(source, file);
    else await writeFile(file, source);
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    const definition = { name: 'P', export: [{ format: 'facturx', document_types: ['Invoice'], values: { 'BT-40': 'GB', 'BT-55': 'DE' } }] };
    const ctx: PipelineContext = {
      taskId: 'T1', tags: { task_name: 'scan' }, blobs, fileKey: file, filePath: file, fileType: null, pageCount: 0, pages: pagesInMemory([]),
      project: { name: 'P', timeout_ms: null, client_action_timeout_ms: 1_800_000, validation: { mode: 'never', confidence_threshold: 0.9 }, definition },
      result: { pages: [], documents: [], actions: [], needs_validation: false }, outputs: [], limits: DEFAULT_LIMITS, engines, signal: new AbortController().signal,
    };
    await sniffStage.run(ctx);
    await pagesStage.run(ctx);
    const words = (await ctx.pages.range(0, ctx.pages.count - 1)).flatMap((p) => p.words.map((w) => w.text));
    assert.ok(words.length > 0, 'the pages were read, so the export carries a text layer');
    ctx.result.documents = [invoice()];
    await noteFacturxFonts(ctx);
    await outputsStage.run(ctx);
    assert.equal(ctx.outputs.length, 1);
    return { pdf: await blobs.read(ctx.outputs[0]!.blob_key), text: words.join(' '), notes: ctx.result.documents[0]!.notes ?? [] };
  } finally {
    await engines.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const skipPreflight = (): false | string => {
  const missing = preflightMissing();
  if (missing && REQUIRE_XML_TOOLS) throw new Error(`DOCKET_REQUIRE_XMLLINT=1 but ${missing}`);
  return missing ?? false;
};

test('facturx of a scanned invoice: every checkable PDF/A-3 requirement holds (qpdf), and Preflight finds nothing PDF/A-3 forbids', { skip: skipXmlTools('qpdf') || skipCorpus('pdf-scanned') }, async (t) => {
  const { pdf, notes } = await facturx(join(CORPUS, 'pdf-scanned/linn.pdf'));
  assert.deepEqual(pdfaProblems(pdf), []);
  assert.deepEqual(notes, []);
  const why = skipPreflight();
  if (why) return t.diagnostic(`PDFBox Preflight not run: ${why}`);
  assert.deepEqual(preflightErrors(pdf), []);
});

test('facturx of a bare XML invoice: its rendering embeds the fonts of its visible text, in which names of several languages are read back, and passes the same checks', { skip: skipXmlTools('qpdf') }, async (t) => {
  const inv = fullInvoice();
  inv.syntax = 'ubl';
  inv.seller.name = 'Łódzka Spółka Øresund Sønderborg';
  inv.buyer.name = 'Kőbányai Straße Café';
  inv.payment_terms = 'Zahlbar in € innerhalb 30 Tagen';
  const { pdf, text, notes } = await facturx(Buffer.from(writeUbl(inv)));
  assert.deepEqual(notes, []);
  for (const word of ['Łódzka', 'Spółka', 'Øresund', 'Sønderborg', 'Kőbányai', 'Straße', 'Café', '€']) assert.ok(text.includes(word), `${word} in the rendered pages: ${text}`);
  assert.deepEqual(pdfaProblems(pdf), []);
  const why = skipPreflight();
  if (why) return t.diagnostic(`PDFBox Preflight not run: ${why}`);
  assert.deepEqual(preflightErrors(pdf), []);
});

test('facturx of a born-digital invoice whose fonts are not embedded: no PDF/A claim in the XMP, the reason in it and in a note on the document', { skip: skipXmlTools('qpdf') || skipCorpus('labeled/invoices') }, async () => {
  const { pdf, notes } = await facturx(join(CORPUS, 'labeled/invoices/FlipkartInvoice.pdf'));
  const reason = 'not PDF/A-3: the pages paint text in fonts the source PDF does not embed (Helvetica, Helvetica-Bold, Times-Italic)';
  assert.deepEqual(notes, [`facturx export: ${reason}, so its XMP does not claim PDF/A`]);
  const problems = pdfaProblems(pdf);
  assert.ok(problems.includes('XMP metadata lacks pdfaid:part 3'), problems.join('; '));
  assert.ok(problems.includes('font /Helvetica paints visible text and is not embedded'), problems.join('; '));
  // Still a Factur-X invoice: the attachment, /AF and the fx: properties are there.
  assert.deepEqual(problems.filter((p) => /fx|\/AF|associated|embedded file/.test(p)), []);
  const xmp = Buffer.from(pdf).toString('latin1');
  assert.ok(xmp.includes(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${reason}</rdf:li>`), 'the XMP says why');
  assert.ok(!xmp.includes('pdfaid:part'), 'no PDF/A identification anywhere in the file');
});

test('the checks name what a file lacks: a PDF with no OutputIntent, /ID, XMP or /AF, and one painting with an unembedded font', { skip: skipXmlTools('qpdf') }, async (t) => {
  const plain = await PDFDocument.create();
  plain.addPage([300, 400]).drawText('Invoice INV-1001', { x: 20, y: 350, size: 14 });
  const bytes = await plain.save();
  const problems = pdfaProblems(bytes);
  for (const re of [/no \/ID in the trailer/, /XMP metadata lacks pdfaid:part 3/, /XMP metadata lacks the fx extension schema/, /no \/AF array/, /no OutputIntent \/GTS_PDFA1/, /font \/Helvetica paints visible text and is not embedded/]) {
    assert.ok(problems.some((p) => re.test(p)), `${re} in ${problems.join('; ')}`);
  }
  if (skipPreflight()) return t.diagnostic('PDFBox Preflight not run');
  assert.ok(preflightErrors(bytes).some((e) => /FontFile entry is missing/.test(e)));
});
