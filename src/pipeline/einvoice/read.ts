/**
 * @module Reading an e-invoice XML into `EInvoice` (core/einvoice/model.ts), whatever
 * its source: an attachment of a Factur-X / ZUGFeRD PDF or a bare XML task body. The
 * syntax is told by the document element's name and namespace, never by a file name
 * (`sniffEInvoiceXml`); parsing goes through the safe parser of xml.ts, so every
 * failure is an `EInvoiceXmlError` naming its problem.
 */
import type { EInvoice, EInvoiceSyntax } from '../../core/einvoice/model.ts';
import { readCii } from './cii.ts';
import { readUbl } from './ubl.ts';
import { decodeXml, EInvoiceXmlError, parseXml, XML_LIMITS } from './xml.ts';

export { EInvoiceXmlError, XML_LIMITS, type XmlProblem } from './xml.ts';

/** Document element namespace → syntax. */
const NAMESPACES: Record<string, { root: string; syntax: EInvoiceSyntax }> = {
  'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100': { root: 'CrossIndustryInvoice', syntax: 'cii' },
  'urn:ferd:CrossIndustryDocument:invoice:1p0': { root: 'CrossIndustryDocument', syntax: 'zugferd1' },
  // The ZUGFeRD 1.0 release candidate (Mustang's 2014 samples): same element names as 1.0, no prefixes.
  'urn:un:unece:uncefact:data:standard:CBFBUY:5': { root: 'Invoice', syntax: 'zugferd1' },
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2': { root: 'Invoice', syntax: 'ubl' },
  'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2': { root: 'CreditNote', syntax: 'ubl' },
};

/** How far into the text the document element is looked for: the FeRD samples open with a 3 KB licence comment. */
const SNIFF_CHARS = 64 * 1024;

/** The document element's local name and namespace URI, from its start tag. */
function documentElement(xml: string): { name: string; ns: string | null } | null {
  let i = 0;
  const head = xml.slice(0, SNIFF_CHARS);
  for (;;) {
    i = head.indexOf('<', i);
    if (i < 0) return null;
    if (head.startsWith('<?', i)) i = head.indexOf('?>', i);
    else if (head.startsWith('<!--', i)) i = head.indexOf('-->', i);
    else break;
    if (i < 0) return null;
  }
  const m = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(head.slice(i));
  if (!m) return null;
  const prefix = m[1];
  const attrs = m[3] ?? '';
  const decl = new RegExp(`\\sxmlns${prefix ? `:${prefix.replace(/\./g, '\\.')}` : ''}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return { name: m[2] as string, ns: decl ? (decl[2] ?? decl[3] ?? null) : null };
}

function syntaxOf(xml: string): EInvoiceSyntax | null {
  const el = documentElement(xml);
  const known = el?.ns ? NAMESPACES[el.ns] : undefined;
  return known && known.root === el?.name ? known.syntax : null;
}

/** The e-invoice syntax of these bytes, or null when they are not a CII or UBL invoice. Cheap: reads the start tag only. */
export function sniffEInvoiceXml(bytes: Uint8Array | string): EInvoiceSyntax | null {
  try {
    return syntaxOf(decodeXml(typeof bytes === 'string' ? bytes.slice(0, SNIFF_CHARS) : bytes.subarray(0, 2 * SNIFF_CHARS)));
  } catch {
    // Binary data or an unknown encoding is no invoice XML.
    return null;
  }
}

/** The invoice in a CII or UBL XML; throws `EInvoiceXmlError` when it cannot be read as one. */
export function readEInvoiceXml(xml: Uint8Array | string): EInvoice {
  const text = decodeXml(xml, XML_LIMITS);
  const { root, node } = parseXml(text, XML_LIMITS);
  const syntax = syntaxOf(text);
  if (syntax === null) throw new EInvoiceXmlError('not_invoice', `the XML is not a CII or UBL invoice (its document element is ${root})`);
  if (syntax === 'ubl') return readUbl(node, root === 'CreditNote');
  return readCii(node, syntax);
}
