/**
 * @module The comparison rules and tallies of the accuracy harness (docs/eval.md):
 * ground-truth keys mapped to the project's field names, values compared after
 * normalisation (case-insensitive, whitespace collapsed, surrounding punctuation
 * dropped; dates as dates; amounts as numbers), and per-field precision, recall and
 * F1, automation rate and the error rate of fields accepted without review.
 */
import type { DocumentResult } from '../src/core/capture.ts';
import type { FieldOutcome } from '../src/core/project/thresholds.ts';
import { similarity } from '../src/pipeline/capture/fuzzy.ts';
import { parseDate, parseNumber } from '../src/pipeline/capture/normalize.ts';

/** Ground-truth key → field names that carry it (first found wins). */
export const ALIASES: Record<string, string[]> = {
  issuer: ['supplier', 'company', 'issuer'],
  amount: ['total', 'amount'],
  date: ['date', 'invoice_date'],
  amount_untaxed: ['subtotal', 'amount_untaxed'],
  date_due: ['due_date', 'date_due'],
  // The e-invoice labels (labeled/einvoices, docs/einvoices.md).
  due_date: ['due_date', 'date_due'],
  seller_vat_id: ['supplier_vat_id', 'seller_vat_id', 'vat_id'],
  amount_tax: ['tax', 'amount_tax'],
  line_count: ['line_items'],
};

/** Keys of the labels that the harness scores; other label keys are template metadata. */
export const SCORED = new Set(['company', 'date', 'address', 'total', 'issuer', 'invoice_number', 'amount', 'currency', 'amount_untaxed', 'date_due', 'buyer', 'seller_vat_id', 'due_date', 'amount_tax', 'amount_due', 'iban', 'line_count']);

export type Kind = 'text' | 'date' | 'amount';

export function kindOf(key: string): Kind {
  if (/date/.test(key)) return 'date';
  if (/amount|total|tax/.test(key)) return 'amount';
  return 'text';
}

/**
 * Letters and digits only, lower case: SROIE's labels space and punctuate freely
 * ("LOT NO. : G1 . 116A,GROUND FLOOR ," for "LOT NO.:G1.116A,GROUND FLOOR,"), so
 * spacing and punctuation are not part of a text value's identity.
 */
export function simpleText(v: unknown): string {
  return String(v).toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Legal-form words dropped from a company name for comparison (the issuer label names a company, not its form). */
const LEGAL = /\b(?:sdn|bhd|berhad|s\/b|pvt|pte|pty|private|ltd|limited|inc|llc|llp|plc|gmbh|ag|kg|b\.?v|n\.?v|s\.?a|sas|sarl|srl|s\.?p\.?a|corp|corporation|co)\b\.?/gi;

function nameWords(v: unknown): string[] {
  return String(v).replace(LEGAL, ' ').split(/[^\p{L}\p{N}&]+/u).map(simpleText).filter((w) => w !== '');
}

/**
 * invoice2data's `issuer` is the name of the template that read the invoice, not a
 * text of the page: "Amazon Web Services" for "Amazon Web Services, Inc.", "Free"
 * for "Free SAS". A predicted name matches when, legal forms dropped, it equals the
 * issuer or begins with all of the issuer's words.
 */
export function sameIssuer(predicted: unknown, truth: unknown): boolean {
  const p = nameWords(predicted);
  const t = nameWords(truth);
  return t.length > 0 && p.length >= t.length && t.every((w, i) => p[i] === w);
}

export function same(kind: Kind, predicted: unknown, truth: unknown, key = ''): boolean {
  if (predicted === null || predicted === undefined) return false;
  if (key === 'issuer') return sameIssuer(predicted, truth);
  if (kind === 'date') {
    const a = typeof predicted === 'string' ? parseDate(predicted) : null;
    const b = typeof truth === 'string' ? parseDate(truth) : null;
    return a !== null && a === b;
  }
  if (kind === 'amount') {
    const a = typeof predicted === 'number' ? predicted : parseNumber(String(predicted));
    const b = typeof truth === 'number' ? truth : parseNumber(String(truth));
    return a !== null && b !== null && Math.abs(a - b) < 0.005;
  }
  return simpleText(predicted) === simpleText(truth);
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  /** True positives when a text may differ from the label by ≤ 10 % of its characters (OCR slips). */
  near: number;
}

/** A text value within 10 % character edits of the label (letters and digits only): what OCR errors alone would cost. */
export function nearText(predicted: unknown, truth: unknown): boolean {
  if (predicted === null || predicted === undefined) return false;
  return similarity(simpleText(predicted), simpleText(truth)) >= 0.9;
}

/** What the trade-off curve needs of one document: whether anything but field confidence sends it to review, and its fields. */
export interface CurveDocument {
  /** An unsure or unknown type, an invalid field, an unsure boundary or a cross-field message. */
  blocked: boolean;
  /** Every non-empty field not yet confirmed: its confidence, and for scored ones whether it is right. */
  fields: { confidence: number; ok: boolean | null }[];
}

export interface Evaluation {
  fields: Map<string, Tally>;
  documents: number;
  automated: number;
  accepted: number;
  acceptedWrong: number;
  typeCounts: Map<string, number>;
  curve: CurveDocument[];
  /** Labelled field values by `type.field`: confidence and rightness, what `--fit` fits thresholds on. */
  outcomes: Map<string, FieldOutcome[]>;
  /** Key → value pairing against FUNSD-style annotations (question/answer entities and their links). */
  pairs: { found: number; gold: number; matched: number; near: number; documents: number };
}

export function newEvaluation(): Evaluation {
  return { fields: new Map(), documents: 0, automated: 0, accepted: 0, acceptedWrong: 0, typeCounts: new Map(), curve: [], outcomes: new Map(), pairs: { found: 0, gold: 0, matched: 0, near: 0, documents: 0 } };
}

/** Adds one labelled document: `truth` is the label object, `doc` the first captured document. */
export function addDocument(ev: Evaluation, truth: Record<string, unknown>, doc: DocumentResult | undefined, needsValidation: boolean): string[] {
  ev.documents++;
  if (!needsValidation) ev.automated++;
  const type = doc?.document_type ?? 'unknown';
  ev.typeCounts.set(type, (ev.typeCounts.get(type) ?? 0) + 1);
  const notes: string[] = [];
  const scored = new Map<string, boolean>();
  for (const [key, value] of Object.entries(truth)) {
    if (!SCORED.has(key) || value === null || value === '') continue;
    const names = ALIASES[key] ?? [key];
    const field = doc?.fields.find((f) => names.includes(f.name));
    const t = ev.fields.get(key) ?? { tp: 0, fp: 0, fn: 0, near: 0 };
    // A table is scored by its row count (`line_count`).
    const predicted = Array.isArray(field?.value) ? field.value.length : (field?.value ?? null);
    const ok = same(kindOf(key), predicted, value, key);
    if (ok || (kindOf(key) === 'text' && key !== 'issuer' && nearText(predicted, value))) t.near++;
    if (ok) t.tp++;
    else {
      if (predicted !== null) t.fp++;
      t.fn++;
      notes.push(`${key}: got ${JSON.stringify(predicted)} want ${JSON.stringify(value)}`);
    }
    ev.fields.set(key, t);
    if (field && predicted !== null) {
      scored.set(field.name, ok);
      const key = `${type}.${field.name}`;
      ev.outcomes.set(key, [...(ev.outcomes.get(key) ?? []), { confidence: field.confidence, ok }]);
    }
    const reviewed = !doc || doc.type_needs_confirmation || !field || !field.valid || field.needs_confirmation;
    if (!reviewed && predicted !== null) {
      ev.accepted++;
      if (!ok) ev.acceptedWrong++;
    }
  }
  const blocked = !doc || doc.type_needs_confirmation || doc.boundary_needs_review || doc.messages.length > 0 || doc.fields.some((f) => !f.valid);
  const present = (doc?.fields ?? []).filter((f) => f.value !== null && !(Array.isArray(f.value) && f.value.length === 0) && !f.confirmed);
  ev.curve.push({ blocked, fields: present.map((f) => ({ confidence: f.confidence, ok: scored.get(f.name) ?? null })) });
  return notes;
}

/**
 * Automation rate and error among accepted fields if every field had the review
 * threshold `t` instead of its own: the trade-off between the two (docs/eval.md).
 */
export function curvePoint(ev: Evaluation, t: number): { automation: number; accepted: number; wrong: number } {
  let automated = 0;
  let accepted = 0;
  let wrong = 0;
  for (const d of ev.curve) {
    if (!d.blocked && d.fields.every((f) => f.confidence >= t)) automated++;
    if (d.blocked) continue;
    for (const f of d.fields) {
      if (f.ok === null || f.confidence < t) continue;
      accepted++;
      if (!f.ok) wrong++;
    }
  }
  return { automation: ev.curve.length === 0 ? 0 : automated / ev.curve.length, accepted, wrong };
}

export function curveReport(ev: Evaluation): string {
  const rows = ['one review threshold for every field:', 'threshold  automation  accepted  wrong among accepted'];
  for (let t = 0.3; t <= 1.0001; t += 0.05) {
    const p = curvePoint(ev, t);
    rows.push(`${t.toFixed(2).padStart(9)}  ${p.automation.toFixed(3).padStart(10)}  ${String(p.accepted).padStart(8)}  ${p.accepted === 0 ? 'n/a' : `${((100 * p.wrong) / p.accepted).toFixed(1)} % (${p.wrong})`}`);
  }
  return rows.join('\n');
}

export function report(ev: Evaluation): string {
  const rows = [`field            precision  recall     F1    (tp/fp/fn)`];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let near = 0;
  const f1 = (t: Omit<Tally, 'near'>): [number, number, number] => {
    const p = t.tp + t.fp === 0 ? 0 : t.tp / (t.tp + t.fp);
    const r = t.tp + t.fn === 0 ? 0 : t.tp / (t.tp + t.fn);
    return [p, r, p + r === 0 ? 0 : (2 * p * r) / (p + r)];
  };
  for (const [key, t] of [...ev.fields.entries()].sort()) {
    const [p, r, f] = f1(t);
    rows.push(`${key.padEnd(16)} ${p.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(7)} ${f.toFixed(3).padStart(6)}    (${t.tp}/${t.fp}/${t.fn})`);
    tp += t.tp;
    fp += t.fp;
    fn += t.fn;
    near += t.near;
  }
  const [p, r, f] = f1({ tp, fp, fn });
  rows.push(`${'overall'.padEnd(16)} ${p.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(7)} ${f.toFixed(3).padStart(6)}    (${tp}/${fp}/${fn})`);
  const [np, nr, nf] = f1({ tp: near, fp: fp - (near - tp), fn: fn - (near - tp) });
  rows.push(`${'OCR-tolerant'.padEnd(16)} ${np.toFixed(3).padStart(9)} ${nr.toFixed(3).padStart(7)} ${nf.toFixed(3).padStart(6)}    (texts within 10 % character edits count as found)`);
  rows.push(`documents: ${ev.documents}; types: ${[...ev.typeCounts.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  rows.push(`automation rate (no validation needed): ${ev.documents === 0 ? '0.000' : (ev.automated / ev.documents).toFixed(3)} (${ev.automated}/${ev.documents})`);
  rows.push(`wrong among fields accepted without review: ${ev.accepted === 0 ? 'n/a' : ((100 * ev.acceptedWrong) / ev.accepted).toFixed(1) + ' %'} (${ev.acceptedWrong}/${ev.accepted})`);
  return rows.join('\n');
}

interface Entity {
  id: number;
  text: string;
  label: string;
  linking: [number, number][];
}

/** The annotated question → answer pairs of a FUNSD label (`form` entities and their `linking`), texts simplified; empty texts skipped. */
export function goldPairs(truth: Record<string, unknown>): string[] | null {
  if (!Array.isArray(truth.form)) return null;
  const entities = new Map((truth.form as Entity[]).map((e) => [e.id, e]));
  const out = new Set<string>();
  for (const e of entities.values()) {
    if (e.label !== 'question') continue;
    for (const [from, to] of e.linking ?? []) {
      const a = entities.get(from === e.id ? to : from);
      if (a?.label !== 'answer') continue;
      const k = simpleText(e.text);
      const v = simpleText(a.text);
      if (k !== '' && v !== '') out.add(`${k}\u0000${v}`);
    }
  }
  return [...out];
}

/**
 * Scores found pairs against the annotation: a pair matches when key and value equal
 * an annotated question and its linked answer, letters and digits only (as text
 * fields are compared), each annotated pair matched at most once.
 */
export function addPairs(ev: Evaluation, truth: Record<string, unknown>, found: readonly { key: string; value: string }[]): string[] {
  const gold = goldPairs(truth);
  if (gold === null) return [];
  const left = new Set(gold);
  const nearLeft = gold.map((g) => g.split('\u0000') as [string, string]);
  const notes: string[] = [];
  let matched = 0;
  let near = 0;
  for (const p of found) {
    const k = simpleText(p.key);
    const v = simpleText(p.value);
    if (left.delete(`${k}\u0000${v}`)) matched++;
    else notes.push(`pair not annotated: ${JSON.stringify(p.key)} → ${JSON.stringify(p.value)}`);
    // OCR-tolerant: key and value each within 20 % character edits of an annotated pair.
    const i = nearLeft.findIndex(([gk, gv]) => similarity(k, gk) >= 0.8 && similarity(v, gv) >= 0.8);
    if (i >= 0) {
      near++;
      nearLeft.splice(i, 1);
    }
  }
  ev.pairs.found += found.length;
  ev.pairs.gold += gold.length;
  ev.pairs.matched += matched;
  ev.pairs.near += near;
  ev.pairs.documents++;
  return notes;
}

export function pairsReport(ev: Evaluation): string {
  const { found, gold, matched, near, documents } = ev.pairs;
  const line = (name: string, m: number): string => {
    const p = found === 0 ? 0 : m / found;
    const r = gold === 0 ? 0 : m / gold;
    const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
    return `${name.padEnd(16)} ${p.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(7)} ${f.toFixed(3).padStart(6)}    (${m} matched of ${found} found, ${gold} annotated)`;
  };
  return [`key → value pairs, ${documents} documents: precision  recall     F1`, line('pairs', matched), line('OCR-tolerant', near)].join('\n');
}
