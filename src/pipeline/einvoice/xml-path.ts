/**
 * @module Reading values out of a parsed invoice XML (xml.ts) by slash paths of local
 * names, the way CII and UBL specifications write their business-term paths
 * ("ExchangedDocument/IssueDateTime/DateTimeString"). An empty element counts as
 * absent, as EN 16931 treats it (and the corpus's ground truth keeps only non-empty
 * values); text is trimmed at both ends, inner line breaks kept.
 */
import type { XmlNode } from './xml.ts';

function asNode(v: XmlNode | string): XmlNode {
  return typeof v === 'string' ? { '#text': v } : v;
}

/** The child elements of `node` with this local name. */
export function kids(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? v.map(asNode) : [];
}

/** Every element reached by the path, in document order. */
export function all(node: XmlNode | undefined, path: string): XmlNode[] {
  let level: XmlNode[] = node ? [node] : [];
  for (const step of path.split('/')) level = level.flatMap((n) => kids(n, step));
  return level;
}

/** The first element reached by the path. */
export function one(node: XmlNode | undefined, path: string): XmlNode | undefined {
  return all(node, path)[0];
}

/** An element's own text, trimmed; null when empty or absent. */
export function textOf(node: XmlNode | undefined): string | null {
  const t = node?.['#text'];
  const s = typeof t === 'string' ? t.trim() : '';
  return s === '' ? null : s;
}

/** The text of the first element at the path. */
export function text(node: XmlNode | undefined, path: string): string | null {
  return textOf(one(node, path));
}

/** The text of the first element at the path that has any. */
export function firstText(node: XmlNode | undefined, path: string): string | null {
  for (const n of all(node, path)) {
    const t = textOf(n);
    if (t !== null) return t;
  }
  return null;
}

export function attr(node: XmlNode | undefined, name: string): string | null {
  const v = node?.[`@${name}`];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/**
 * Where an amount occurs more than once (CII `TaxTotalAmount` in the invoice and in
 * the VAT accounting currency, BT-110 and BT-111), the one in `currency`; else the first.
 */
export function amountIn(node: XmlNode | undefined, path: string, currency: string | null): string | null {
  const found = all(node, path).filter((n) => textOf(n) !== null);
  const inCurrency = currency === null ? undefined : found.find((n) => attr(n, 'currencyID') === currency);
  return textOf(inCurrency ?? found[0]);
}

/** CII dates: format 102 (YYYYMMDD) becomes ISO; other formats and ISO text stay as written. */
export function ciiDate(node: XmlNode | undefined): string | null {
  const t = textOf(node);
  if (t === null) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : t;
}
