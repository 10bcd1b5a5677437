/**
 * @module Recognising a document's issuer among the vendors a project learned
 * (docs/vendor-memory.md#recognition). Each anchor kind that agrees adds its weight;
 * a strong kind (tax id, IBAN) that both sides have but with different values
 * subtracts, so a new branch of a chain with another registration number is not
 * taken for the one learned. A vendor is recognised at `RECOGNISED` or more: one
 * tax id or IBAN, or two weaker anchors (a phone and a header line, two header lines).
 */
import type { Anchor, AnchorKind, VendorMemory, VendorRecord } from './model.ts';

export const WEIGHTS: Record<AnchorKind, number> = { tax_id: 3, iban: 3, email_domain: 2, web_domain: 1.5, phone: 2, header: 1.5, layout: 0.5 };
/** Score from which a vendor counts as recognised. */
export const RECOGNISED = 3;
/** Header lines counted at most (a receipt's first lines repeat the name and the address). */
const MAX_HEADERS = 2;

/** Sørensen–Dice coefficient of two strings' character bigrams: OCR-tolerant and order-insensitive. */
export function dice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) grams.set(a.slice(i, i + 2), (grams.get(a.slice(i, i + 2)) ?? 0) + 1);
  let hits = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      hits++;
      grams.set(g, n - 1);
    }
  }
  return (2 * hits) / (a.length - 1 + b.length - 1);
}

/** The share of `a`'s character bigrams found in `b` (each used once): how much of a value a longer text holds. */
export function coverage(a: string, b: string): number {
  if (a.length < 2) return a === b ? 1 : 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < b.length - 1; i++) grams.set(b.slice(i, i + 2), (grams.get(b.slice(i, i + 2)) ?? 0) + 1);
  let hits = 0;
  for (let i = 0; i < a.length - 1; i++) {
    const n = grams.get(a.slice(i, i + 2)) ?? 0;
    if (n > 0) {
      hits++;
      grams.set(a.slice(i, i + 2), n - 1);
    }
  }
  return hits / (a.length - 1);
}

/** Whether two anchor values of one kind are the same anchor, allowing OCR noise where the kind has it. */
export function sameAnchor(kind: AnchorKind, a: string, b: string): boolean {
  if (a === b) return true;
  if (kind === 'header') return a.length >= 6 && dice(a, b) >= 0.85;
  if (kind === 'layout') {
    const x = a.split(' ');
    const y = b.split(' ');
    return x.filter((t, i) => y[i] === t).length >= Math.max(4, Math.ceil(0.75 * Math.max(x.length, y.length)));
  }
  // Numbers: one digit misread, or a leading part lost at the edge of the scan.
  if (a.length >= 8 && b.length >= 8) {
    if (a.length === b.length && [...a].filter((c, i) => c !== b[i]).length <= 1) return true;
    return Math.min(a.length, b.length) >= 7 && (a.endsWith(b) || b.endsWith(a));
  }
  return false;
}

export interface Recognition {
  vendor: VendorRecord;
  score: number;
  /** Kinds that agreed. */
  agreed: AnchorKind[];
}

/** How well a document's anchors fit one vendor. */
export function anchorScore(vendor: VendorRecord, anchors: readonly Anchor[]): { score: number; agreed: AnchorKind[] } {
  let score = 0;
  let headers = 0;
  const agreed = new Set<AnchorKind>();
  const kinds = new Set(anchors.map((a) => a.kind));
  for (const kind of kinds) {
    const known = vendor.anchors[kind] ?? [];
    if (known.length === 0) continue;
    const mine = anchors.filter((a) => a.kind === kind);
    const hits = mine.filter((a) => known.some((k) => sameAnchor(kind, k.value, a.value))).length;
    if (hits > 0) {
      agreed.add(kind);
      score += WEIGHTS[kind] * (kind === 'header' ? Math.min(MAX_HEADERS, hits) : 1);
      if (kind === 'header') headers = hits;
    } else if (kind === 'tax_id' || kind === 'iban') score -= WEIGHTS[kind];
  }
  // Header lines alone are weak when only one of several agrees (a chain's common first line).
  if (headers === 1 && agreed.size === 1) score -= 0.5;
  return { score, agreed: [...agreed] };
}

/** The best-fitting vendor, if it is recognised. */
export function recognise(memory: VendorMemory, anchors: readonly Anchor[]): Recognition | null {
  let best: Recognition | null = null;
  for (const vendor of memory.vendors) {
    const { score, agreed } = anchorScore(vendor, anchors);
    if (score >= RECOGNISED && (!best || score > best.score || (score === best.score && vendor.updated > best.vendor.updated))) best = { vendor, score, agreed };
  }
  return best;
}
