/**
 * @module A Factur-X 1.0 / ZUGFeRD 2.x hybrid invoice: the document's PDF with its CII XML
 * attached as `factur-x.xml`, the way the Factur-X specification (section 6) asks:
 * - an embedded file stream of subtype `text/xml`, listed in the catalog's EmbeddedFiles
 *   name tree and in the catalog's `/AF` array (PDF/A-3 associated files), its file
 *   specification carrying `/AFRelationship` — `Alternative` when the XML is the whole
 *   invoice again (profiles EN 16931 and above), `Data` below (MINIMUM, BASIC WL);
 * - XMP metadata in the catalog with the PDF/A identification (part 3, conformance B)
 *   and the Factur-X extension schema `fx:` (DocumentType INVOICE, DocumentFileName,
 *   Version 1.0, ConformanceLevel) declared through the PDF/A extension schema container.
 * - an sRGB OutputIntent (`/GTS_PDFA1`, srgb-icc.ts) when the PDF has none, a file
 *   identifier in the trailer, and a classic cross-reference table.
 * pdf-lib writes the file specification, the name tree and `/AF`; the XMP is written
 * here. What is not changed: the pages themselves. Their fonts are the source PDF's
 * (a scan's text layer is invisible, which PDF/A lets go unembedded), so a born-digital
 * PDF that does not embed its fonts stays short of PDF/A-3 there: then the XMP carries
 * no PDF/A identification, which would be a false claim, and says why in
 * `dc:description` (pdf-fonts.ts checks; docs/einvoice-export.md).
 */
import { createHash } from 'node:crypto';
import { AFRelationship, PDFArray, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { unembeddedTextFonts } from './pdf-fonts.ts';
import { SRGB_DESCRIPTION, srgbProfile } from './srgb-icc.ts';

export const FACTURX_FILE_NAME = 'factur-x.xml';
export const FACTURX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';

/** Factur-X conformance level of a CII guideline id (BT-24); EN 16931 when unknown. */
export function conformanceLevel(profile: string | null): string {
  const p = (profile ?? '').toLowerCase();
  if (p.includes('minimum')) return 'MINIMUM';
  if (p.includes('basicwl')) return 'BASIC WL';
  if (p.includes('basic')) return 'BASIC';
  if (p.includes('extended')) return 'EXTENDED';
  return 'EN 16931';
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function property(name: string, description: string): string {
  return `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;
}

/**
 * Why pages cannot be PDF/A-3 for their fonts, said in the XMP instead of its
 * identification; null when every font painting visible text is embedded. A check that
 * fails on a malformed PDF is a doubt, and a doubt is never a claim.
 */
export function fontReason(pdf: PDFDocument, range?: [number, number]): string | null {
  try {
    // Inside the try: a page tree that loops makes pdf-lib's getPages overflow the stack.
    const all = pdf.getPages();
    const fonts = unembeddedTextFonts(pdf.context, range ? all.slice(range[0], range[1] + 1) : all);
    return fonts.length === 0 ? null : `not PDF/A-3: the pages paint text in fonts the source PDF does not embed (${fonts.join(', ')})`;
  } catch (e) {
    return `not PDF/A-3: the fonts of the pages could not be checked (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The XMP packet: PDF/A-3B identification (none when `notPdfA` says why), Factur-X properties and their extension schema. */
export function facturxXmp(input: { title: string; level: string; date: Date; notPdfA?: string | null }): string {
  const when = input.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const pdfaid = input.notPdfA ? '' : '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n';
  const description = input.notPdfA ? `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(input.notPdfA)}</rdf:li></rdf:Alt></dc:description>` : '';
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
${pdfaid}<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(input.title)}</rdf:li></rdf:Alt></dc:title>${description}</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>docket</pdf:Producer></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>docket</xmp:CreatorTool><xmp:CreateDate>${when}</xmp:CreateDate><xmp:ModifyDate>${when}</xmp:ModifyDate></rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="${FACTURX_NAMESPACE}"><fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>${FACTURX_FILE_NAME}</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>${input.level}</fx:ConformanceLevel></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>${FACTURX_NAMESPACE}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
${property('DocumentFileName', 'name of the embedded XML invoice file')}
${property('DocumentType', 'INVOICE')}
${property('Version', 'The actual version of the Factur-X XML schema')}
${property('ConformanceLevel', 'The conformance level of the embedded Factur-X data')}
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** The PDF with `cii` attached as the Factur-X invoice and the XMP that declares it; `notPdfA` says why it is not PDF/A-3, or is null. */
export async function embedFacturX(pdfBytes: Uint8Array, cii: string, meta: { title: string; profile: string | null; date: Date }): Promise<{ bytes: Uint8Array; notPdfA: string | null }> {
  const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  const level = conformanceLevel(meta.profile);
  const notPdfA = fontReason(pdf);
  await pdf.attach(Buffer.from(cii, 'utf8'), FACTURX_FILE_NAME, {
    mimeType: 'text/xml',
    description: 'Factur-X invoice',
    creationDate: meta.date,
    modificationDate: meta.date,
    afRelationship: level === 'MINIMUM' || level === 'BASIC WL' ? AFRelationship.Data : AFRelationship.Alternative,
  });
  // As UTF-8 bytes: pdf-lib would write a string's code units as Latin-1. Unfiltered, as PDF/A wants metadata readable.
  const xmp = pdf.context.stream(Buffer.from(facturxXmp({ title: meta.title, level, date: meta.date, notPdfA }), 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(xmp));
  pdf.setTitle(meta.title);
  pdf.setProducer('docket');
  pdf.setCreator('docket');
  pdf.setCreationDate(meta.date);
  pdf.setModificationDate(meta.date);
  if (!pdf.catalog.has(PDFName.of('OutputIntents'))) {
    const profile = pdf.context.register(pdf.context.flateStream(srgbProfile(), { N: 3 }));
    const intent = pdf.context.obj({
      Type: 'OutputIntent', S: 'GTS_PDFA1', OutputConditionIdentifier: PDFString.of(SRGB_DESCRIPTION), Info: PDFString.of(SRGB_DESCRIPTION),
      RegistryName: PDFString.of('http://www.color.org'), DestOutputProfile: profile,
    });
    pdf.catalog.set(PDFName.of('OutputIntents'), pdf.context.obj([pdf.context.register(intent)]));
  }
  // PDF/A asks for a file identifier (ISO 19005-3 § 6.1.3): two equal halves for a new file, from its invoice XML and time.
  if (pdf.context.trailerInfo.ID === undefined) {
    const id = PDFHexString.of(createHash('md5').update(cii).update(meta.date.toISOString()).digest('hex'));
    pdf.context.trailerInfo.ID = PDFArray.withContext(pdf.context);
    (pdf.context.trailerInfo.ID as PDFArray).push(id);
    (pdf.context.trailerInfo.ID as PDFArray).push(id);
  }
  // A classic cross-reference table: PDF/A-3 allows streams, but PDF/A-1-era readers and validators do not.
  if (notPdfA) pdf.setSubject(notPdfA);
  return { bytes: await pdf.save({ useObjectStreams: false }), notPdfA };
}
