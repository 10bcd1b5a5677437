/**
 * @module The files attached to a PDF under given names (the e-invoice XML of a
 * Factur-X / ZUGFeRD / XRechnung hybrid invoice), read in a page worker like every
 * other parse of untrusted bytes. Two places hold them (PDF 32000-1 7.11.4, ISO
 * 19005-3 6.8): the catalog's EmbeddedFiles name tree, which pdf.js's
 * `getAttachments` lists (annotation attachments too), and the catalog's `/AF`
 * associated files of PDF/A-3 and PDF 2.0, which pdf.js does not expose. The Factur-X
 * specification asks for both, so `/AF` is read (with pdf-lib, which parses the whole
 * file) only when the name tree had none of the names and the file says it is
 * PDF/A-3 or PDF 2.0: other PDFs pay one metadata look-up (well under 1 ms), not a
 * second parse. A file larger than `maxBytes` comes back without its data but with
 * its size, so a 50 MB "invoice" is refused without crossing threads.
 */
import { readFile } from 'node:fs/promises';
import { openPdf } from './pdf-doc.ts';
import type { PdfAttachment } from './protocol.ts';

function wanted(names: readonly string[]): (name: string) => boolean {
  const set = new Set(names.map((n) => n.toLowerCase()));
  return (name) => set.has(name.toLowerCase());
}

function fitted(name: string, via: PdfAttachment['via'], data: Uint8Array | null, maxBytes: number): PdfAttachment {
  if (data === null) return { name, via, size: 0, data: null };
  return { name, via, size: data.byteLength, data: data.byteLength > maxBytes ? null : data };
}

/** The `/AF` file specifications of the catalog whose file name is wanted, with their decoded streams. */
async function associatedFiles(filePath: string, isWanted: (name: string) => boolean, maxBytes: number): Promise<PdfAttachment[]> {
  // Loaded here, not with the worker: most page threads never need it, and each thread would pay its start-up.
  const { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFStream, PDFString } = await import('pdf-lib');
  const doc = await PDFDocument.load(await readFile(filePath), { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  const af = doc.catalog.lookupMaybe(PDFName.of('AF'), PDFArray);
  const out: PdfAttachment[] = [];
  for (let i = 0; af && i < af.size(); i++) {
    const spec = af.lookupMaybe(i, PDFDict);
    const raw = spec?.lookupMaybe(PDFName.of('UF'), PDFString, PDFHexString) ?? spec?.lookupMaybe(PDFName.of('F'), PDFString, PDFHexString);
    const name = raw?.decodeText() ?? '';
    if (!isWanted(name)) continue;
    const ef = spec?.lookupMaybe(PDFName.of('EF'), PDFDict);
    const stream = ef?.lookupMaybe(PDFName.of('UF'), PDFStream) ?? ef?.lookupMaybe(PDFName.of('F'), PDFStream);
    let data: Uint8Array | null = null;
    try {
      data = stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : null;
    } catch {
      // A stream that does not decode (truncated, unknown filter) is reported as attached without data.
    }
    out.push(fitted(name, 'af', data, maxBytes));
  }
  return out;
}

async function declaresAssociatedFiles(doc: Awaited<ReturnType<typeof openPdf>>): Promise<boolean> {
  const meta = await doc.getMetadata().catch(() => null);
  const part = meta?.metadata?.get('pdfaid:part');
  const version = (meta?.info as { PDFFormatVersion?: string } | undefined)?.PDFFormatVersion ?? '';
  return part === '3' || version.startsWith('2');
}

export async function readPdfAttachments(filePath: string, names: readonly string[], maxBytes: number, maxPixels: number): Promise<PdfAttachment[]> {
  const doc = await openPdf(filePath, maxPixels);
  const isWanted = wanted(names);
  const listed = (await doc.getAttachments()) as Map<string, { filename: string }> | null;
  const out: PdfAttachment[] = [];
  for (const [id, info] of listed ?? []) {
    if (!isWanted(info.filename)) continue;
    let data: Uint8Array | null = null;
    try {
      data = ((await doc.getAttachmentContent(id)) as Uint8Array | null) ?? null;
    } catch {
      // As above: named, but its content cannot be decoded.
    }
    out.push(fitted(info.filename, 'names', data, maxBytes));
  }
  if (out.length === 0 && (await declaresAssociatedFiles(doc))) out.push(...(await associatedFiles(filePath, isWanted, maxBytes)));
  return out;
}
