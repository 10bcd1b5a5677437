/**
 * @module Vendor memory's data (docs/vendor-memory.md): what a project keeps about the
 * issuers of the documents it learned from. Only derived data: stable anchors of
 * the issuer (tax and registration numbers, IBAN, phone, e-mail and web domains,
 * normalised header lines, a layout fingerprint), the labels and positions values
 * were printed under and at, and the values of static fields. Never a file, a page
 * image or a page's text. Every value carries a count, so that one contradictory
 * validation cannot flip what the memory holds (counts.ts).
 */
import type { FieldOutcome, OutcomeCounts } from '../calibration-outcomes.ts';

/** The anchors a document's issuer is recognised by, strongest first. */
export const ANCHOR_KINDS = ['tax_id', 'iban', 'email_domain', 'web_domain', 'phone', 'header', 'layout'] as const;
export type AnchorKind = (typeof ANCHOR_KINDS)[number];

/** An anchor found on a document. */
export interface Anchor {
  kind: AnchorKind;
  value: string;
}

/** A value seen `n` times, last at `seen` (ms since epoch). */
export interface Counted {
  value: string;
  n: number;
  seen: number;
}

/**
 * What one field of one vendor looked like: `held` is the value the memory gives
 * (static fields), replaced only when a challenger is seen `streak` times in a row
 * (counts.ts); `labels` are the normalised words printed before or above the value;
 * `places` its position on the page (`x,y` tenths, y counted from the top or, for
 * values in the lower half, from the bottom: `b3` = 0.3 of the page above its end).
 */
export interface FieldMemory {
  values: Counted[];
  held: string | null;
  challenger: { value: string; streak: number } | null;
  labels: Counted[];
  places: Counted[];
}

export interface VendorRecord {
  id: string;
  /** Documents learned from. */
  documents: number;
  created: number;
  updated: number;
  anchors: Partial<Record<AnchorKind, Counted[]>>;
  /** Per document type, per field name. */
  fields: Record<string, Record<string, FieldMemory>>;
}

export interface VendorMemory {
  version: 1;
  vendors: VendorRecord[];
  /** How right each field's confidences were (core/calibration-outcomes.ts): counts per confidence bin, never a value. */
  calibration?: OutcomeCounts;
}

/** How a field is remembered: static fields by value, changing fields by label and place. */
export type FieldKind = 'static' | 'changing';

/** One labelled field of a sample, as the pipeline located it on the page. */
export interface FieldObservation {
  name: string;
  kind: FieldKind;
  /** The value as labelled (normalised: ISO date, number as text). */
  value: string;
  /** Words before the value on its line, or of the line above; null when the value was not found on the page. */
  label: string | null;
  place: string | null;
}

/** What the pipeline derives from one labelled document: all that learning reads. */
export interface Observation {
  document_type: string;
  anchors: Anchor[];
  fields: FieldObservation[];
  /** The confidence capture gave each labelled field and whether its value was right (calibration; core/calibration-outcomes.ts). */
  outcomes?: FieldOutcome[];
}

export function emptyMemory(): VendorMemory {
  return { version: 1, vendors: [] };
}

/** Upper bounds that keep one project's memory small (docs/vendor-memory.md): oldest dropped first. */
export const MEMORY_LIMITS = {
  vendors: 5000,
  /** Distinct values kept per anchor kind or per field list. */
  perList: 8,
  /** A stored memory larger than this is set aside at start rather than parsed (8 MiB). */
  bytes: 8 * 1024 * 1024,
} as const;

/** Checks that parsed JSON has the memory's shape; the store sets aside anything else. */
export function isVendorMemory(v: unknown): v is VendorMemory {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { version?: unknown; vendors?: unknown };
  if (m.version !== 1 || !Array.isArray(m.vendors)) return false;
  if (!validCalibration((v as { calibration?: unknown }).calibration)) return false;
  return m.vendors.every((r: unknown) => {
    if (typeof r !== 'object' || r === null) return false;
    const x = r as Partial<VendorRecord>;
    return typeof x.id === 'string' && typeof x.documents === 'number' && typeof x.anchors === 'object' && x.anchors !== null && typeof x.fields === 'object' && x.fields !== null;
  });
}

/** A stored calibration: per field, `known` and `new` lists of [values, right, confidence sum] bins. */
function validCalibration(c: unknown): boolean {
  if (c === undefined) return true;
  if (typeof c !== 'object' || c === null) return false;
  const bins = (b: unknown) => Array.isArray(b) && b.every((x) => Array.isArray(x) && x.length === 3 && x.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0));
  return Object.values(c).every((cell) => typeof cell === 'object' && cell !== null && bins((cell as { known?: unknown }).known) && bins((cell as { new?: unknown }).new));
}
