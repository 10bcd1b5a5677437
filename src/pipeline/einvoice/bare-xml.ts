/**
 * @module A task whose body is a bare e-invoice XML (XRechnung or Peppol UBL 2.1, CII),
 * told by content, never by name. The sniff stage turns it into a hybrid PDF once per
 * task: the readable rendering of render-pdf.ts with the XML attached byte for byte
 * under the name a Factur-X / XRechnung reader looks for (`factur-x.xml` for CII,
 * `xrechnung.xml` for UBL). Every later stage works on that PDF as on an uploaded
 * Factur-X: the embedded-invoice reading gives the fields exactly (confidence 1.0,
 * source `einvoice`), the page engine reads the pages, the portal and the searchable
 * PDF show them; the `original` output is still the XML as sent.
 * An XML that is not an invoice, or one that cannot be read safely (xml.ts: DTDs,
 * size, depth), fails the task with `invalid_einvoice` and the reader's reason.
 */
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AFRelationship, PDFDocument } from 'pdf-lib';
import { TaskFailure } from '../../core/errors.ts';
import type { EInvoiceSyntax } from '../../core/einvoice/model.ts';
import { EInvoiceXmlError, readEInvoiceXml, sniffEInvoiceXml, XML_LIMITS } from './read.ts';
import { renderEInvoicePdf } from './render-pdf.ts';

/** How much of a file is read to tell an invoice XML (the reader's own look-ahead: licence comments come first). */
const HEAD_BYTES = 64 * 1024;

export const ATTACHMENT_NAMES: Record<EInvoiceSyntax, string> = { cii: 'factur-x.xml', zugferd1: 'ZUGFeRD-invoice.xml', ubl: 'xrechnung.xml' };

/** A fixed date for the attachment's dates, so the same XML always gives the same PDF. */
const EPOCH = new Date(0);

/** What the head of a file is: an invoice XML (its syntax), some other XML, or neither. */
export function sniffXml(head: Uint8Array): EInvoiceSyntax | 'other_xml' | null {
  const syntax = sniffEInvoiceXml(head);
  if (syntax !== null) return syntax;
  const text = new TextDecoder().decode(head.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart();
  return /^<(\?xml\b|[A-Za-z_][\w.:-]*[\s>/])/.test(text) ? 'other_xml' : null;
}

export async function sniffXmlFile(path: string): Promise<EInvoiceSyntax | 'other_xml' | null> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return sniffXml(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** The hybrid PDF of the invoice XML at `path`; throws `TaskFailure('invalid_einvoice')` with the reason. */
export async function pdfOfBareXml(path: string): Promise<Uint8Array> {
  const size = (await stat(path)).size;
  // Checked before reading, so a 1 GB upload is refused without being held in memory.
  if (size > XML_LIMITS.bytes) throw new TaskFailure('invalid_einvoice', `the XML has ${size} bytes, more than the limit of ${XML_LIMITS.bytes}`);
  const bytes = await readFile(path);
  let invoice;
  try {
    invoice = readEInvoiceXml(bytes);
  } catch (err) {
    if (err instanceof EInvoiceXmlError) throw new TaskFailure('invalid_einvoice', err.message);
    throw err;
  }
  const pdf = await PDFDocument.load(await renderEInvoicePdf(invoice), { updateMetadata: false });
  await pdf.attach(bytes, ATTACHMENT_NAMES[invoice.syntax], {
    mimeType: 'text/xml',
    description: 'The e-invoice this PDF was rendered from',
    creationDate: EPOCH,
    modificationDate: EPOCH,
    afRelationship: AFRelationship.Source,
  });
  return pdf.save();
}

/**
 * Runs `fn` on a PDF of the bare e-invoice XML at `path` (rendered again into a
 * temporary file, the same pages the pipeline read), for the portal's page images, which
 * are drawn from the task's upload; null when `path` is not an invoice XML.
 */
export async function withRenderedXml<T>(path: string, fn: (pdfPath: string) => Promise<T>): Promise<T | null> {
  const kind = await sniffXmlFile(path);
  if (kind === null || kind === 'other_xml') return null;
  const dir = await mkdtemp(join(tmpdir(), 'docket-einvoice-'));
  try {
    const pdfPath = join(dir, 'invoice.pdf');
    await writeFile(pdfPath, await pdfOfBareXml(path));
    return await fn(pdfPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
