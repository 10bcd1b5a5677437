/**
 * @module The invoice XML a hybrid PDF carries (Factur-X, ZUGFeRD 1.0 and 2.x,
 * XRechnung CII), found by the attachment names those specifications fix and read
 * by the safe reader (read.ts). Anything that keeps the XML from being used (a
 * damaged or oversized stream, binary data under an XML name, XML that is not an
 * invoice, two attachments that disagree) is returned as a `problem` sentence, never
 * thrown: the task then goes on with what its pages say, and the problem becomes a
 * validation action.
 */
import type { EInvoice } from '../../core/einvoice/model.ts';
import type { PdfAttachment } from '../pages/types.ts';
import { EInvoiceXmlError, readEInvoiceXml, XML_LIMITS } from './read.ts';

/** Factur-X 1.0 and ZUGFeRD 2.1+, ZUGFeRD 2.0, ZUGFeRD 1.0, XRechnung in a PDF. Compared case-insensitively. */
export const EMBEDDED_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'ZUGFeRD-invoice.xml', 'xrechnung.xml'] as const;

export type Embedded = { invoice: EInvoice; name: string } | { problem: string } | null;

function readOne(a: PdfAttachment): { invoice: EInvoice } | { problem: string } {
  if (a.data === null) {
    return { problem: a.size > XML_LIMITS.bytes ? `the embedded invoice ${a.name} has ${a.size} bytes, more than the limit of ${XML_LIMITS.bytes}` : `the embedded invoice ${a.name} could not be decoded (its stream is damaged)` };
  }
  try {
    return { invoice: readEInvoiceXml(a.data) };
  } catch (e) {
    if (e instanceof EInvoiceXmlError) return { problem: `the embedded invoice ${a.name} could not be read: ${e.message}` };
    throw e;
  }
}

/** The terms two attachments must agree on to be the same invoice. */
function identity(inv: EInvoice): string {
  return JSON.stringify([inv.number, inv.issue_date, inv.currency, inv.seller.name, inv.totals.tax_inclusive, inv.totals.due, inv.iban]);
}

/** The one invoice among the attachments, or why there is none usable; null when the PDF carries no invoice XML. */
export function embeddedInvoice(attachments: readonly PdfAttachment[]): Embedded {
  if (attachments.length === 0) return null;
  // The same file listed twice (name tree and /AF, or one stream under two names) is one attachment.
  const distinct = attachments.filter((a, i) => !attachments.slice(0, i).some((b) => b.data !== null && a.data !== null && Buffer.compare(a.data, b.data) === 0));
  const read = distinct.map((a) => ({ name: a.name, ...readOne(a) }));
  const good = read.filter((r): r is { name: string; invoice: EInvoice } => 'invoice' in r);
  const bad = read.filter((r): r is { name: string; problem: string } => 'problem' in r);
  if (bad.length > 0) return { problem: bad.map((b) => b.problem).join('; ') };
  const first = good[0];
  if (!first) return null;
  if (good.some((g) => identity(g.invoice) !== identity(first.invoice))) {
    return { problem: `the PDF carries ${good.length} invoice XMLs that disagree (${good.map((g) => g.name).join(', ')}), so neither is used` };
  }
  return { invoice: first.invoice, name: first.name };
}
