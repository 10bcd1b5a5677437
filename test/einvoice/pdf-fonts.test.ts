/**
 * @module The in-process check of which fonts paint visible text unembedded
 * (src/pipeline/outputs/pdf-fonts.ts), which decides whether a `facturx` export may
 * claim PDF/A-3: on PDFs built here (visible and invisible text, a form XObject, a
 * string holding operator-like text, an embedded DejaVu subset) and on corpus PDFs,
 * where it must agree with the qpdf-based checker of pdfa-check.ts (on the 77 PDFs of
 * labeled/einvoices, labeled/invoices and pdf-text both name the same 2 files); a
 * hostile page tree gives a reason, not an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { unembeddedTextFonts } from '../../src/pipeline/outputs/pdf-fonts.ts';
import { fontReason } from '../../src/pipeline/outputs/facturx.ts';
import { embedDejaVu } from '../../src/pipeline/einvoice/fonts.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

/** A one-page PDF whose content stream is `content`, with Helvetica (not embedded) as /F1. */
async function withContent(content: string): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([300, 300]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.addContentStream(doc.context.register(doc.context.stream(content)));
  return PDFDocument.load(await doc.save());
}

const fontsOf = (doc: PDFDocument) => unembeddedTextFonts(doc.context, doc.getPages());

test('visible text in an unembedded font is named; invisible text (mode 3, kept across q/Q) is not', async () => {
  assert.deepEqual(fontsOf(await withContent('BT /F1 12 Tf 10 10 Td (Total 119.00) Tj ET')), ['Helvetica']);
  assert.deepEqual(fontsOf(await withContent('BT /F1 12 Tf 3 Tr 10 10 Td (hidden) Tj [(a) 10 (b)] TJ ET')), []);
  assert.deepEqual(fontsOf(await withContent('q BT 3 Tr /F1 12 Tf (hidden) Tj ET Q BT /F1 12 Tf (shown) Tj ET')), ['Helvetica']);
  // Operators inside strings and comments are text, not operators.
  assert.deepEqual(fontsOf(await withContent('BT /F1 12 Tf 3 Tr (0 Tr \\) Q q 0 Tr) Tj % 0 Tr\n<30205472> Tj ET')), []);
  assert.deepEqual(fontsOf(await withContent('BT /F1 12 Tf 10 10 Td ET')), [], 'a font set but never shown paints nothing');
});

test('text drawn through a form XObject counts; an embedded font does not', async () => {
  const inner = await PDFDocument.create();
  inner.addPage([200, 100]).drawText('Invoice 42', { x: 10, y: 50, size: 12 });
  const outer = await PDFDocument.create();
  const [form] = await outer.embedPdf(await inner.save());
  outer.addPage([300, 300]).drawPage(form!, { x: 0, y: 0 });
  assert.deepEqual(fontsOf(await PDFDocument.load(await outer.save())), ['Helvetica']);
  // The form inherits the rendering mode of where it is drawn: invisibly it paints nothing, drawn again visibly it does.
  const drawn = async (content: string) => {
    const d = await PDFDocument.create();
    const [f] = await d.embedPdf(await inner.save());
    const page = d.addPage([300, 300]);
    page.node.setXObject(PDFName.of('X0'), f!.ref);
    page.node.addContentStream(d.context.register(d.context.stream(content)));
    return fontsOf(await PDFDocument.load(await d.save()));
  };
  assert.deepEqual(await drawn('q 3 Tr /X0 Do Q'), []);
  assert.deepEqual(await drawn('q 3 Tr /X0 Do Q /X0 Do'), ['Helvetica']);

  const own = await PDFDocument.create();
  const { regular } = await embedDejaVu(own);
  own.addPage([300, 300]).drawText('Straße €', { x: 10, y: 10, size: 12, font: regular });
  assert.deepEqual(fontsOf(await PDFDocument.load(await own.save())), []);
});

test('corpus PDFs: the two born-digital files that do not embed their fonts are named, and no other', { skip: skipCorpus('labeled/einvoices', 'labeled/invoices', 'pdf-text') }, async () => {
  const named: Record<string, string[]> = {};
  for (const dir of ['labeled/einvoices', 'labeled/invoices', 'pdf-text']) {
    for (const f of (await readdir(join(CORPUS, dir))).filter((x) => x.endsWith('.pdf'))) {
      const doc = await PDFDocument.load(await readFile(join(CORPUS, dir, f)), { updateMetadata: false });
      const fonts = fontsOf(doc);
      if (fonts.length > 0) named[f] = fonts;
    }
  }
  assert.deepEqual(named, { 'FlipkartInvoice.pdf': ['Helvetica', 'Helvetica-Bold', 'Times-Italic'], 'text_only_fontsNotEmbedded.pdf': ['TimesNewRomanPSMT'] });
});

test('a page tree that loops is a doubt, never a crash and never a PDF/A claim', { skip: skipCorpus('hostile') }, async () => {
  const pdf = await PDFDocument.load(await readFile(join(CORPUS, 'hostile/handbuilt-T02-02_002_page-tree-kids-links-recursive.pdf')), { updateMetadata: false });
  assert.equal(fontReason(pdf), 'not PDF/A-3: the fonts of the pages could not be checked (Maximum call stack size exceeded)');
  const ok = await PDFDocument.load(await readFile(join(CORPUS, 'labeled/invoices/FlipkartInvoice.pdf')), { updateMetadata: false });
  assert.equal(fontReason(ok, [0, 0]), 'not PDF/A-3: the pages paint text in fonts the source PDF does not embed (Helvetica, Helvetica-Bold, Times-Italic)');
});
