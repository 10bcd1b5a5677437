/**
 * @module What the CII and UBL writers share: one fast-xml-parser builder that escapes
 * text and attributes, and the small conversions both syntaxes need. An `EInvoice`
 * built from OCR can hold anything a page printed, so text is made safe for XML 1.0
 * here, once: characters XML 1.0 forbids (C0 controls other than tab, LF and CR, lone
 * surrogates, U+FFFE/U+FFFF; XML 1.0 section 2.2) are dropped, and CR is written as
 * `&#13;` because a parser turns a literal CR into LF (section 2.11), which would make
 * a round trip differ. Elements whose value is absent are left out, never written empty:
 * both schemas reject an empty amount or date, and EN 16931 gives an empty element no meaning.
 */
import { XMLBuilder, type XmlBuilderOptions } from 'fast-xml-parser';

/** A node for the builder: keys are element names (`@_` for attributes, `#text` for text). */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlNode[] | undefined;

/**
 * The builder's own entity table (fast-xml-builder's default, which its typings do not
 * declare) with CR added: `processEntities` applies it to every text and attribute.
 */
const options: XmlBuilderOptions & { entities: { regex: RegExp; val: string }[] } = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  processEntities: true,
  entities: [
    { regex: /&/g, val: '&amp;' },
    { regex: />/g, val: '&gt;' },
    { regex: /</g, val: '&lt;' },
    { regex: /'/g, val: '&apos;' },
    { regex: /"/g, val: '&quot;' },
    { regex: /\r/g, val: '&#13;' },
  ],
};
const builder = new XMLBuilder(options);

/** The code points XML 1.0 forbids in a document (its production Char). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text made safe for XML 1.0, or undefined when nothing is left (so the element is omitted). */
export function text(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const clean = value.replace(NOT_XML, '');
  return clean.trim() === '' ? undefined : clean;
}

/** An element with text and attributes; undefined when the text is absent. Attributes whose value is absent are dropped. */
export function withAttrs(value: string | null | undefined, attrs: Record<string, string | null | undefined>): XmlNode | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const node: XmlNode = { '#text': t };
  for (const [name, v] of Object.entries(attrs)) {
    const a = text(v);
    if (a !== undefined) node[`@_${name}`] = a;
  }
  return node;
}

/** The node without its absent members; undefined when none is left, so an empty group is omitted too. */
export function group(members: XmlNode): XmlNode | undefined {
  const out: XmlNode = {};
  for (const [name, v] of Object.entries(members)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[name] = v;
  }
  return Object.keys(out).some((k) => !k.startsWith('@_')) ? out : undefined;
}

/** ISO "YYYY-MM-DD" → CII format 102 "YYYYMMDD"; undefined for anything else. */
export function date102(iso: string | null): string | undefined {
  const m = iso === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}${m[2]}${m[3]}` : undefined;
}

/** An ISO date as it is, undefined unless it is one (the UBL date type is xs:date). */
export function isoDate(iso: string | null): string | undefined {
  return iso !== null && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : undefined;
}

/** A decimal string as the schemas' xs:decimal accepts it ("1234.50", "-3"), undefined otherwise. */
export function decimal(value: string | null): string | undefined {
  return value !== null && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim()) ? value.trim() : undefined;
}

/** The document with its XML declaration; `root` is the root element's name and content. */
export function buildXml(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(root) as string}`;
}
