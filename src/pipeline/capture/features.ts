/**
 * @module The features the learned scorer (core/scorer/model.ts) sees of a field's
 * candidate values: what the method that found it says (its heuristic score, the
 * pooled support, how many times the value was found, which kind of method), where
 * it is (page position, first page, text size against the document's lines, order
 * among the values), what its line and neighbours say (the field's own label,
 * total/subtotal/tax words, buyer and seller words, VAT and registration numbers,
 * IBAN, e-mail and web domains within three lines) and what it is (OCR confidence,
 * a legal form in a name, digits in a name, largest amount, earliest date).
 *
 * Every feature is a number near 0..1, so that one L2 penalty fits all of them.
 *
 * The scorer also sees weak candidates of its own (`scanCandidates`, via `scan`):
 * every value of the field's type anywhere (every amount, every date, every
 * identifier-like token for a field read by label and pattern). The hand-written
 * methods find few candidates, chosen by their own rules, and when none is right
 * no scorer can pick it: on the e-invoices' dev half the right total was among the
 * `total` heuristic's candidates in 19 of 36 fields, 33 with the scan.
 */
import { unionBox } from '../../core/page.ts';
import type { DateOrder, FieldDef } from '../../core/project.ts';
import type { Features } from '../../core/scorer/model.ts';
import { simplify } from './fuzzy.ts';
import type { Candidate } from './methods.ts';
import { meanConfidence, spanWords, type TextLine } from './text.ts';
import { valuesIn } from './values.ts';

/** A distinct value of a field with the candidates that found it (extract.ts pools them). */
export interface ValueEvidence {
  value: string | number;
  support: number;
  best: Candidate;
  count: number;
}

const LEGAL_FORM = /\b(?:gmbh|ag|kg|ohg|ug|e\.?\s?k|sdn\.?\s?bhd|bhd|berhad|ltd|limited|inc|llc|llp|plc|corp|corporation|co\.|company|s\.?a\.?s?|sarl|s\.?à\s?r\.?l|eurl|srl|spa|b\.?v|n\.?v|bvba|sprl|vof|pty|pte|enterprise|trading|restaurant|services?)\b\.?/i;
const VAT = /\b(?:[A-Z]{2}\s?\d[\dA-Z .]{7,13}|vat|ust|tva|btw|mwst|uid|siren|siret|kvk|hrb|gst|reg(?:istration)?\.? ?no|company no|co\.? ?no|steuer)/i;
const IBAN = /\b(?:iban|bic|swift|[A-Z]{2}\d{2}\s?(?:[A-Z0-9]{4}\s?){3,})/i;
const CONTACT = /@|\bwww\.|\.(?:com|de|fr|nl|be|eu|org|net|my|co\.uk)\b|\b(?:tel|phone|fax|telefon|téléphone)\b/i;
const BUYER = /\b(?:bill(?:ed)? to|invoice to|ship to|sold to|customer|client|kunde|rechnungsempfänger|empfänger|klant|acheteur|destinataire|buyer|deliver(?:y)? to|to:)/i;
const SELLER = /\b(?:from|seller|supplier|vendor|lieferant|verkäufer|fournisseur|vendeur|leverancier|issued by)\b/i;
const TOTAL = /total|totaal|gesamt|summe|brutto|\bttc\b|grand|amount due|balance|zahlbetrag|endbetrag|montant|net to pay|payer|zu zahlen|te betalen|jumlah|payable/i;
const SUBTOTAL = /sub\s?total|subtotaal|zwischensumme|\bnet(?:to)?\b|\bht\b|excl|before tax|untaxed|ohne|warenwert|positionen/i;
const TAX = /\b(?:vat|tax|gst|sst|mwst|ust|tva|btw)\b|%/i;
const PAYMENT = /\b(?:paid|cash|change|tendered|rounding|payment|bezahlt|rendu|wisselgeld|credit|card|visa)\b/i;

function lineOf(lines: readonly TextLine[], c: Candidate): number {
  const a = c.areas[0];
  if (!a) return -1;
  const cx = a.box.x + a.box.w / 2;
  const cy = a.box.y + a.box.h / 2;
  return lines.findIndex((l) => l.page === a.page && cy >= l.box.y - 1 && cy <= l.box.y + l.box.h + 1 && cx >= l.box.x - 1 && cx <= l.box.x + l.box.w + 1);
}

function near(lines: readonly TextLine[], i: number, re: RegExp, before = 3, after = 3, skip = ''): number {
  if (i < 0) return 0;
  for (let k = Math.max(0, i - before); k <= Math.min(lines.length - 1, i + after); k++) {
    const text = k === i && skip !== '' ? (lines[k] as TextLine).text.replace(skip, ' ') : (lines[k] as TextLine).text;
    if (re.test(text)) return 1;
  }
  return 0;
}

/** The median height of the document's lines, the unit of text size. */
function medianHeight(lines: readonly TextLine[]): number {
  const h = lines.map((l) => l.box.h).sort((a, b) => a - b);
  return Math.max(1, h[Math.floor(h.length / 2)] ?? 1);
}

function labelsOf(field: FieldDef): string[] {
  return [field.label, field.name.replace(/_/g, ' '), ...field.extract.flatMap((m) => m.label)].map(simplify).filter((l) => l.length >= 2);
}

/** The field's own label on the value's line or the line above it (0..1: label words found). */
function labelNear(lines: readonly TextLine[], i: number, labels: readonly string[]): number {
  if (i < 0 || labels.length === 0) return 0;
  const own = simplify((lines[i] as TextLine).text);
  const above = i > 0 ? simplify((lines[i - 1] as TextLine).text) : '';
  if (labels.some((l) => ` ${own} `.includes(` ${l} `))) return 1;
  return labels.some((l) => ` ${above} `.includes(` ${l} `)) ? 0.6 : 0;
}

interface LabelBox {
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the field's labels are printed: the words of each line that spell one. */
function labelBoxes(lines: readonly TextLine[], labels: readonly string[]): LabelBox[] {
  const out: LabelBox[] = [];
  for (const line of lines) {
    const simple = ` ${simplify(line.text)} `;
    const label = labels.find((l) => simple.includes(` ${l} `));
    if (!label) continue;
    const parts = new Set(label.split(' '));
    const words = line.words.filter((w) => parts.has(simplify(w.text)));
    const box = words.length > 0 ? words.reduce((b, w) => ({ x: Math.min(b.x, w.box.x), y: Math.min(b.y, w.box.y), r: Math.max(b.r, w.box.x + w.box.w), d: Math.max(b.d, w.box.y + w.box.h) }), { x: Infinity, y: Infinity, r: -Infinity, d: -Infinity }) : { x: line.box.x, y: line.box.y, r: line.box.x + line.box.w, d: line.box.y + line.box.h };
    out.push({ page: line.page, x: box.x, y: box.y, w: box.r - box.x, h: box.d - box.y });
  }
  return out;
}

/** A label on the value's row to its left (1 beside it, less with distance) and one above it (1 on the line above, less further down). */
function labelGeometry(hits: readonly LabelBox[], page: number, box: { x: number; y: number; w: number; h: number } | undefined, pageWidth: number): { left: number; above: number } {
  let left = 0;
  let above = 0;
  if (!box) return { left, above };
  for (const l of hits) {
    if (l.page !== page) continue;
    const h = Math.max(4, l.h);
    if (Math.abs(l.y + l.h / 2 - (box.y + box.h / 2)) < 0.6 * h && l.x + l.w <= box.x + 2) left = Math.max(left, 1 - Math.min(1, (box.x - l.x - l.w) / Math.max(1, 0.6 * pageWidth)));
    const gap = box.y - (l.y + l.h);
    if (gap >= -2 && gap < 5 * h && box.x + box.w > l.x - h && box.x < l.x + Math.max(l.w, 12 * h)) above = Math.max(above, 1 - Math.min(1, gap / (5 * h)));
  }
  return { left, above };
}

/** The features of each of a field's values (same order). */
export function valueFeatures(field: FieldDef, values: readonly ValueEvidence[], lines: readonly TextLine[]): Features[] {
  const unit = medianHeight(lines);
  const labels = labelsOf(field);
  const hits = labelBoxes(lines, labels);
  const numbers = values.map((v) => (typeof v.value === 'number' ? v.value : NaN)).filter((n) => !Number.isNaN(n));
  const maxNumber = numbers.length > 0 ? Math.max(...numbers) : NaN;
  const strings = values.map((v) => String(v.value)).sort();
  const orders = values.map((v) => v.best.order).sort((a, b) => a - b);
  return values.map((v): Features => {
    const c = v.best;
    const i = lineOf(lines, c);
    const line = i >= 0 ? (lines[i] as TextLine) : null;
    const box = c.areas[0]?.box;
    const x: Features = {
      support: Math.min(1, v.support),
      score: Math.min(1, c.score),
      count: Math.min(1, Math.log2(1 + v.count) / 3),
      ocr: c.ocr,
      [`via_${c.via ?? 'other'}`]: 1,
      first_page: line === null || line.docPage === 0 ? 1 : 0,
      y: box && line ? box.y / Math.max(1, line.pageHeight) : 0.5,
      x: box && line ? box.x / Math.max(1, line.pageWidth) : 0.5,
      size: box ? Math.min(3, box.h / unit) / 3 : 0.33,
      first: values.length > 1 ? (orders.indexOf(c.order) === 0 ? 1 : 0) : 1,
      last: values.length > 1 ? (orders.indexOf(c.order) === orders.length - 1 ? 1 : 0) : 1,
      label: labelNear(lines, i, labels),
      ...(() => {
        const g = labelGeometry(hits, c.areas[0]?.page ?? -1, box, line?.pageWidth ?? 1000);
        return { label_left: g.left, label_above: g.above };
      })(),
      alone: values.length === 1 ? 1 : 0,
    };
    if (field.type === 'amount' || field.type === 'number') {
      x.largest = typeof v.value === 'number' && v.value === maxNumber ? 1 : 0;
      x.line_total = near(lines, i, TOTAL, 0, 0);
      x.line_subtotal = near(lines, i, SUBTOTAL, 0, 0);
      x.line_tax = near(lines, i, TAX, 0, 0);
      x.line_payment = near(lines, i, PAYMENT, 0, 0);
      x.rightmost = line && box ? (line.words.every((w) => w.box.x <= box.x + 1 || !/\d/.test(w.text)) ? 1 : 0) : 0;
      x.above_total = near(lines, i, TOTAL, 1, -1);
      x.negative = typeof v.value === 'number' && v.value < 0 ? 1 : 0;
    } else if (field.type === 'date') {
      x.earliest = strings[0] === String(v.value) ? 1 : 0;
      x.latest = strings.at(-1) === String(v.value) ? 1 : 0;
      x.line_due = line && /\b(?:due|fällig|échéance|verval|pay by|payable)\b/i.test(line.text) ? 1 : 0;
    } else if (field.type === 'text') {
      const text = String(v.value);
      const words = text.split(/\s+/).filter((w) => w !== '');
      x.legal_form = LEGAL_FORM.test(text) ? 1 : 0;
      x.words = Math.min(8, words.length) / 8;
      x.digits = text.replace(/[^0-9]/g, '').length / Math.max(1, text.replace(/\s/g, '').length);
      x.upper = text.replace(/[^A-Z]/g, '').length / Math.max(1, text.replace(/[^A-Za-z]/g, '').length);
      x.vat_near = near(lines, i, VAT, 1, 4, text);
      x.iban_near = near(lines, i, IBAN, 3, 3, text);
      x.contact_near = near(lines, i, CONTACT, 2, 4, text);
      x.buyer_near = near(lines, i, BUYER, 2, 0);
      x.seller_near = near(lines, i, SELLER, 2, 0);
      x.amount_like = /\d+[.,]\d{2}\b/.test(text) ? 1 : 0;
    }
    return x;
  });
}

/** A document number: letters, digits and separators, with a digit, 4 to 30 characters. */
const ID = /(?<![\p{L}\p{N}])[A-Z0-9][A-Z0-9\-/._]{2,29}(?![\p{L}\p{N}])/giu;
const NOT_ID = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d+[.,]\d{2}$|^\d{1,3}$/;

/** Whether the field is read by labels with a pattern (a document number), so identifier-like tokens are its candidates. */
function idField(field: FieldDef): boolean {
  return field.type === 'text' && field.extract.length > 0 && field.extract.every((m) => m.label.length > 0 && m.pattern !== null);
}

/** Scans per document (its lines array) and field type: a document's amount fields (total, subtotal, tax) share one scan. */
const scans = new WeakMap<readonly TextLine[], Map<string, Candidate[]>>();

export function scanCandidates(field: FieldDef, lines: readonly TextLine[], order: DateOrder): Candidate[] {
  // A field read by a bare pattern, a zone, a lookup or an e-invoice term is where its project said to look: no scan adds
  // to it. Checked before the cache, which is shared by every field of the same type and would hand it another field's scan.
  if (field.extract.some((m) => m.label.length === 0 && m.heuristic === null)) return [];
  const key = `${field.type}|${idField(field)}|${order}`;
  const known = scans.get(lines)?.get(key);
  if (known) return known;
  const found = scanLines(field, lines, order);
  scans.set(lines, (scans.get(lines) ?? new Map<string, Candidate[]>()).set(key, found));
  return found;
}

function scanLines(field: FieldDef, lines: readonly TextLine[], order: DateOrder): Candidate[] {
  const out: Candidate[] = [];
  const numeric = field.type === 'amount' || field.type === 'number' || field.type === 'date';
  const id = idField(field);
  if (!numeric && !id) return out;
  lines.forEach((line, i) => {
    const found = numeric
      ? valuesIn(field, line.text, order, null, 'i').map((v) => ({ value: v.value, text: v.text, start: v.start, end: v.end, quality: v.quality }))
      : [...line.text.matchAll(ID)].filter((m) => /\d/.test(m[0]) && !NOT_ID.test(m[0])).map((m) => ({ value: m[0], text: m[0], start: m.index, end: m.index + m[0].length, quality: 1 }));
    found.forEach((v, k) => {
      const words = spanWords(line, v.start, v.end);
      if (words.length === 0) return;
      out.push({ value: v.value, text: v.text, score: 0.3 * v.quality, ocr: meanConfidence(words), areas: [{ page: line.page, box: unionBox(words.map((w) => w.box)) }], order: i + k / 100, via: 'scan' });
    });
  });
  return out;
}
