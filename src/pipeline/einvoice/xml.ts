/**
 * @module Safe XML parsing for e-invoices. An invoice XML comes from outside (a PDF
 * attachment or a bare upload), so before fast-xml-parser sees it the text is
 * refused when it declares a DTD or an entity (XXE, "billion laughs": no invoice
 * syntax needs either, EN 16931 CII and UBL forbid nothing else), is larger than
 * `XML_LIMITS.bytes`, nests deeper than `XML_LIMITS.depth` or holds more than
 * `XML_LIMITS.elements` elements; a linear scan counts these without building
 * anything. The parser itself runs with entity processing off (no expansion of any
 * kind, no network); the five predefined entities and character references, which
 * are plain escapes, are decoded afterwards. Namespace prefixes are dropped: CII and
 * UBL element names are unique within their syntax, and files bind prefixes freely.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * 20 MB is 100× the largest invoice XML of the public corpus (intarsys EXTENDED, ~200 KB)
 * and still parses in well under a second; 64 levels against the ~12 of CII line items;
 * 500 000 elements ≈ 20 000 invoice lines.
 */
export const XML_LIMITS = { bytes: 20 * 1024 * 1024, depth: 64, elements: 500_000 } as const;

export type XmlProblem = 'not_xml' | 'dtd' | 'too_large' | 'too_deep' | 'too_many_elements' | 'not_invoice';

/** Why an XML could not be read as an invoice; `problem` is stable for callers to branch on. */
export class EInvoiceXmlError extends Error {
  readonly problem: XmlProblem;
  constructor(problem: XmlProblem, message: string) {
    super(message);
    this.name = 'EInvoiceXmlError';
    this.problem = problem;
  }
}

/** A parsed element: child elements by local name (always arrays), `@name` attributes, `#text`. */
export interface XmlNode {
  [key: string]: (XmlNode | string)[] | string | undefined;
}

/**
 * The encoding of XML bytes (XML 1.0 appendix F): a byte-order mark, else the
 * declaration's `encoding`, else UTF-8. Invoices are UTF-8 almost always; ISO-8859-1
 * and UTF-16 ones exist.
 */
export function xmlEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString('latin1');
  return /^(?:\xef\xbb\xbf)?<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
}

/** The text of XML bytes in their own encoding; refuses data over the size limit and binary data. */
export function decodeXml(bytes: Uint8Array | string, limits = XML_LIMITS): string {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > limits.bytes) throw new EInvoiceXmlError('too_large', `the XML has ${size} bytes, more than the limit of ${limits.bytes}`);
  let text: string;
  if (typeof bytes === 'string') text = bytes;
  else {
    const encoding = xmlEncoding(bytes);
    try {
      text = new TextDecoder(encoding, { fatal: false }).decode(bytes);
    } catch {
      throw new EInvoiceXmlError('not_xml', `the XML declares an encoding this reader does not know (${encoding})`);
    }
  }
  if (text.includes('\u0000')) throw new EInvoiceXmlError('not_xml', 'the data is binary (it holds NUL characters), not XML');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** One pass over the markup: refuses DTDs and entity declarations, counts depth and elements. */
export function scanMarkup(xml: string, limits = XML_LIMITS): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new EInvoiceXmlError('dtd', 'the XML declares a DTD or entities, which are refused (no invoice syntax needs them)');
  let depth = 0;
  let elements = 0;
  let i = xml.indexOf('<');
  while (i >= 0) {
    const next = xml.charCodeAt(i + 1);
    if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = xml.indexOf(']]>', i + 9);
    else if (next === 0x3f /* ? */) i = xml.indexOf('?>', i + 2);
    else if (next === 0x2f /* / */) {
      depth--;
      i = xml.indexOf('>', i);
    } else {
      let j = i + 1;
      let quote = 0;
      for (; j < xml.length; j++) {
        const c = xml.charCodeAt(j);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3e) break;
      }
      elements++;
      if (xml.charCodeAt(j - 1) !== 0x2f) depth++;
      if (depth > limits.depth) throw new EInvoiceXmlError('too_deep', `the XML nests deeper than ${limits.depth} elements`);
      if (elements > limits.elements) throw new EInvoiceXmlError('too_many_elements', `the XML has more than ${limits.elements} elements`);
      i = j;
    }
    if (i < 0) break;
    i = xml.indexOf('<', i + 1);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined entities and character references: escapes of one character each, never expanded further. */
export function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: XML_LIMITS.depth + 1,
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  tagValueProcessor: (_name: string, value: string) => unescapeXml(value),
  attributeValueProcessor: (_name: string, value: string) => unescapeXml(value),
});

/** The document element's local name and content, or an `EInvoiceXmlError`. */
export function parseXml(bytes: Uint8Array | string, limits = XML_LIMITS): { root: string; node: XmlNode } {
  const xml = decodeXml(bytes, limits);
  scanMarkup(xml, limits);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new EInvoiceXmlError('not_xml', `the data is not well-formed XML (${valid.err.msg}, line ${valid.err.line})`);
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (e) {
    throw new EInvoiceXmlError('not_xml', `the XML could not be parsed (${(e as Error).message})`);
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith('@') && k !== '#text');
  const root = roots[0];
  const node = root === undefined ? undefined : (doc[root] as (XmlNode | string)[] | undefined)?.[0];
  if (root === undefined || node === undefined || roots.length !== 1) throw new EInvoiceXmlError('not_xml', 'the XML has no single document element');
  return { root, node: typeof node === 'string' ? { '#text': node } : node };
}
