/**
 * @module Hybrid invoice PDFs built in the tests with pdf-lib: one born-digital page
 * printing the test invoice (cii-sample.ts) and any attachments, honest or hostile.
 * Attachments go into the EmbeddedFiles name tree (pdf-lib's `attach`), or only
 * into the catalog's PDF/A-3 `/AF` array with an XMP packet declaring PDF/A-3, or
 * as a Flate stream cut in half (a truncated attachment).
 */
import { deflateSync } from 'node:zlib';
import { writeFile } from 'node:fs/promises';
import { PDFArray, PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

export interface Attachment {
  name: string;
  data: Uint8Array | string;
  /** `names` (default): the EmbeddedFiles name tree; `af`: only the catalog's /AF; `truncated`: name tree, stream cut in half. */
  how?: 'names' | 'af' | 'truncated';
}

export const PAGE_LINES = ['RECHNUNG', 'Seller GmbH, Hauptstraße 1, 10115 Berlin', 'Invoice number: RE-2024-0042', 'Invoice date: 01.03.2024', 'Consulting 2 x 75.00 150.00', 'Travel 1 x 50.00 50.00', 'Subtotal 200.00', 'VAT 19% 38.00', 'Total 238.00 EUR', 'IBAN DE02 1203 0000 0000 2020 51'];

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

function fileSpec(doc: PDFDocument, name: string, stream: ReturnType<PDFDocument['context']['stream']>) {
  const ref = doc.context.register(stream);
  return doc.context.register(doc.context.obj({ Type: 'Filespec', F: PDFString.of(name), UF: PDFString.of(name), AFRelationship: 'Alternative', EF: { F: ref, UF: ref } }));
}

/** `more`: the lines of further pages, after the invoice's page. */
export async function hybridPdf(path: string, attachments: readonly Attachment[], lines: readonly string[] = PAGE_LINES, more: readonly (readonly string[])[] = []): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const texts of [lines, ...more]) {
    const page = doc.addPage([595, 842]);
    texts.forEach((text, i) => page.drawText(text, { x: 60, y: 780 - 24 * i, size: 12, font }));
  }
  const af = PDFArray.withContext(doc.context);
  const names: [string, ReturnType<typeof fileSpec>][] = [];
  for (const a of attachments) {
    const bytes = typeof a.data === 'string' ? new TextEncoder().encode(a.data) : a.data;
    if (!a.how || a.how === 'names') {
      await doc.attach(bytes, a.name, { mimeType: 'text/xml' });
      continue;
    }
    const whole = deflateSync(bytes);
    const body = a.how === 'truncated' ? whole.subarray(0, Math.floor(whole.length / 2)) : whole;
    const spec = fileSpec(doc, a.name, doc.context.stream(body, { Type: 'EmbeddedFile', Subtype: 'text/xml', Filter: 'FlateDecode' }));
    if (a.how === 'af') af.push(spec);
    else names.push([a.name, spec]);
  }
  if (af.size() > 0) {
    doc.catalog.set(PDFName.of('AF'), af);
    doc.catalog.set(PDFName.of('Metadata'), doc.context.register(doc.context.stream(XMP, { Type: 'Metadata', Subtype: 'XML' })));
  }
  if (names.length > 0) {
    const tree = doc.context.obj({ Names: names.flatMap(([n, ref]) => [PDFString.of(n), ref]) });
    doc.catalog.set(PDFName.of('Names'), doc.context.obj({ EmbeddedFiles: tree }));
  }
  await writeFile(path, await doc.save());
}
