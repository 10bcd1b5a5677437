/**
 * @module The extraction methods of a field (docs/project-file.md#fields): label-anchored (the
 * value right of or below a label, scored on distance and alignment), pattern,
 * zone and lookup, and the built-in layout heuristics (company.ts, address.ts,
 * total.ts). Each yields scored candidates; extract.ts ranks them.
 *
 * Scores: a value on the label's own row starts at 1.0, below the label at 0.85,
 * a pattern found anywhere at 0.6 (nothing ties it to its meaning), a lookup at its
 * similarity; each is multiplied by the type quality (values.ts) and decays with
 * the distance from the label in line heights (−1 % per height right, at most −30 %, −12 % per
 * line below). Extra words before a label on its line ("Sub Total" for "Total")
 * cost up to 30 %, so the label that stands alone wins.
 */
import type { Area } from '../../core/capture.ts';
import type { DateOrder, ExtractMethod, FieldDef, Zone } from '../../core/project.ts';
import { unionBox, type Box, type Word } from '../../core/page.ts';
import { addressCandidates } from './address.ts';
import { companyCandidates } from './company.ts';
import { bestLookup, similarityAtLeast, simplify } from './fuzzy.ts';
import { totalCandidates } from './total.ts';
import { subtotalCandidates, taxCandidates } from './tax.ts';
import { ibanCandidates, vatIdCandidates } from './party-ids.ts';
import { buyerCandidates } from './buyer.ts';
import { amountDueCandidates } from './amount-due.ts';
import { meanConfidence, spanWords, splitOnGaps, subLine, type TextLine } from './text.ts';
import { findDates } from './normalize.ts';
import { valuesIn } from './values.ts';
import { projectPattern } from '../../core/project/pattern.ts';

export interface Candidate {
  value: string | number;
  text: string;
  /** Match quality 0..1 before OCR confidence. */
  score: number;
  ocr: number;
  areas: Area[];
  /** Order of appearance in the document, for `pick: first | last`. */
  order: number;
  /** Candidates with the same key pool their evidence; defaults to the value (case-insensitive). */
  key?: string;
  /** The kind of method that found it (`label`, `pattern`, `company`, …): a feature of the learned scorer. */
  via?: string;
}

export interface MethodContext {
  field: FieldDef;
  lines: TextLine[];
  order: DateOrder;
  lookups: Record<string, string[]>;
  pageCount: number;
}

function inZone(zone: Zone | null, line: TextLine, w: Word, pageCount: number): boolean {
  if (!zone) return true;
  if (zone.page !== null) {
    const want = zone.page < 0 ? pageCount + zone.page : zone.page;
    if (line.docPage !== want) return false;
  }
  const cx = (w.box.x + w.box.w / 2) / line.pageWidth;
  const cy = (w.box.y + w.box.h / 2) / line.pageHeight;
  return cx >= zone.x && cx <= zone.x + zone.w && cy >= zone.y && cy <= zone.y + zone.h;
}

function zoned(ctx: MethodContext, zone: Zone | null): TextLine[] {
  if (!zone) return ctx.lines;
  return ctx.lines
    .map((l) => subLine(l, l.words.filter((w) => inZone(zone, l, w, ctx.pageCount))))
    .filter((l) => l.words.length > 0);
}

/** A date that opens a period ("vom 17.12.2018 bis 06.01.2019", "01.10.2018 - 31.10.2018") is seldom the document's own: ×0.5. */
const PERIOD = 0.5;

function opensPeriod(rest: string, order: DateOrder): boolean {
  const m = /^\s*(?:bis|to|until|till|au|tot|[-–])\s*/i.exec(rest);
  return m !== null && findDates(rest.slice(m[0].length, m[0].length + 20), order).some((d) => d.index === 0);
}

function candidatesIn(ctx: MethodContext, m: ExtractMethod, line: TextLine, base: number, order: number): Candidate[] {
  const text = ctx.field.type === 'text' && !m.whole_line && m.pattern === null ? (splitOnGaps(line)[0]?.text ?? '') : line.text;
  return valuesIn(ctx.field, text, ctx.order, m.pattern, m.flags).map((v, i) => {
    const words = spanWords(line, v.start, v.end);
    return {
      value: v.value,
      text: v.text,
      score: base * v.quality * m.weight * (ctx.field.type === 'date' && opensPeriod(text.slice(v.end), ctx.order) ? PERIOD : 1),
      ocr: meanConfidence(words),
      areas: words.length > 0 ? [{ page: line.page, box: unionBox(words.map((w) => w.box)) }] : [],
      order: order + i / 100,
    };
  });
}

interface LabelHit {
  line: TextLine;
  box: Box;
  /** Words of the line after the label. */
  after: Word[];
  quality: number;
}

/** A label found as the head of a compound word scores 0.75, below a label read on the next line (0.85): the compound often names a narrower thing ("Ursprungsbeleg-Nr", the original document's number). */
const COMPOUND = 0.75;

/**
 * German and Dutch write labels as compounds ("Handelsrechnung Nr.", "Mietrechnung", "Gesamtbetrag",
 * "Verkoopfactuur"): a gram whose first word ends with the label's first word, after at least three
 * letters, holds the label. Labels under six letters are left out ("total" would find "subtotal").
 */
function compoundOf(gram: string, target: string): boolean {
  if (target.length < 6 || gram.length < target.length + 3 || !gram.endsWith(target)) return false;
  const head = gram.slice(0, gram.length - target.length);
  return /^\p{L}{3,}$/u.test(head);
}

function findLabels(lines: TextLine[], labels: string[]): LabelHit[] {
  const hits: LabelHit[] = [];
  const targets = labels.map(simplify).filter((t) => t !== '');
  for (const line of lines) {
    // Tokens, not words: "Beleg-Nr" and "Rechnungs-Nr." are one word of two tokens, and a label of two words must find them.
    const tokens: { text: string; word: number }[] = [];
    line.words.forEach((w, i) => {
      for (const text of simplify(w.text).split(' ')) if (text !== '') tokens.push({ text, word: i });
    });
    // The line's n-grams of tokens that begin a word, made once per length and shared by every label of that many words.
    const grams = new Map<number, { gram: string; s: number }[]>();
    for (const target of targets) {
      const n = target.split(' ').length;
      let ofLength = grams.get(n);
      if (!ofLength) {
        ofLength = [];
        for (let s = 0; s + n <= tokens.length; s++) {
          if (s > 0 && tokens[s - 1]?.word === tokens[s]?.word) continue;
          ofLength.push({ gram: tokens.slice(s, s + n).map((t) => t.text).join(' '), s });
        }
        grams.set(n, ofLength);
      }
      for (const { gram, s } of ofLength) {
        const compound = gram !== target && compoundOf(gram, target);
        const sim = gram === target ? 1 : compound ? COMPOUND : target.length >= 5 ? similarityAtLeast(gram, target, 0.8) : 0;
        if (sim < 0.8 && !compound) continue;
        const before = tokens.slice(0, s).reduce((sum, t) => sum + t.text.length, 0);
        const quality = sim * (1 - Math.min(0.3, before / (before + target.length + 1)));
        const first = (tokens[s] as { word: number }).word;
        const last = (tokens[s + n - 1] as { word: number }).word;
        hits.push({ line, box: unionBox(line.words.slice(first, last + 1).map((w) => w.box)), after: line.words.slice(last + 1), quality });
      }
    }
  }
  return hits;
}

function labelCandidates(ctx: MethodContext, m: ExtractMethod, lines: TextLine[]): Candidate[] {
  const out: Candidate[] = [];
  findLabels(lines, m.label).forEach((hit, k) => {
    const h = Math.max(4, hit.box.h);
    if (m.position !== 'below') {
      // The row right of the label: the rest of its line plus words of other lines on the same band.
      const band = lines
        .filter((l) => l.page === hit.line.page && l !== hit.line)
        .flatMap((l) => l.words)
        .filter((w) => Math.abs(w.box.y + w.box.h / 2 - (hit.box.y + hit.box.h / 2)) < h * 0.6 && w.box.x >= hit.box.x + hit.box.w);
      const words = [...hit.after, ...band].sort((a, b) => a.box.x - b.box.x);
      if (words.length > 0) {
        const row = subLine(hit.line, words);
        for (const c of candidatesIn(ctx, m, row, hit.quality, k)) {
          const x = c.areas[0]?.box.x ?? hit.box.x;
          const gap = Math.max(0, x - (hit.box.x + hit.box.w)) / h;
          // Words between label and value ("TOTAL POINTS 0.00", "TOTAL Qty 2") make it another label's value: −25 % each.
          const between = words.filter((w) => w.box.x < x && /\p{L}{2,}/u.test(w.text)).length;
          out.push({ ...c, score: c.score * Math.max(0.7, 1 - 0.01 * gap) * 0.75 ** Math.min(4, between) });
        }
      }
    }
    if (m.position !== 'right') {
      const below = lines
        .filter((l) => l.page === hit.line.page && l.box.y >= hit.box.y + h * 0.5 && l.box.y <= hit.box.y + h * 4.5)
        .sort((a, b) => a.box.y - b.box.y);
      below.forEach((l, j) => {
        const words = l.words.filter((w) => w.box.x + w.box.w > hit.box.x - h && w.box.x < hit.box.x + Math.max(hit.box.w, h * 12));
        if (words.length === 0) return;
        const align = Math.abs((words[0] as Word).box.x - hit.box.x) / h;
        const base = hit.quality * 0.85 * Math.max(0.4, 1 - 0.12 * j) * Math.max(0.6, 1 - 0.05 * align);
        out.push(...candidatesIn(ctx, m, subLine(l, words), base, k + 0.5));
      });
    }
  });
  return out;
}

/** The candidates one method finds. */
export function methodCandidates(ctx: MethodContext, m: ExtractMethod): Candidate[] {
  const lines = zoned(ctx, m.zone);
  // key_values fills table fields (extract.ts), on another field it finds nothing; an `einvoice` term is read from the
  // PDF's XML (einvoice/fields.ts), not from the pages.
  if (m.heuristic === 'key_values' || m.einvoice) return [];
  if (m.heuristic !== null) {
    const found = m.heuristic === 'company' ? companyCandidates(lines) : m.heuristic === 'address' ? addressCandidates(lines)
      : m.heuristic === 'tax' ? taxCandidates(lines) : m.heuristic === 'subtotal' ? subtotalCandidates(lines)
      : m.heuristic === 'vat_id' ? vatIdCandidates(lines) : m.heuristic === 'iban' ? ibanCandidates(lines)
      : m.heuristic === 'buyer' ? buyerCandidates(lines) : m.heuristic === 'amount_due' ? amountDueCandidates(lines) : totalCandidates(lines);
    return found.map((c) => ({ ...c, score: c.score * m.weight }));
  }
  if (m.label.length > 0) return labelCandidates(ctx, m, lines);
  if (m.lookup !== null) {
    const list = ctx.lookups[m.lookup] ?? [];
    return lines.flatMap((line, i): Candidate[] => {
      const hit = bestLookup(line.words.map((w) => w.text), list);
      if (!hit) return [];
      const words = line.words.slice(hit.start, hit.end);
      return [{ value: hit.value, text: words.map((w) => w.text).join(' '), score: hit.score * m.weight, ocr: meanConfidence(words), areas: [{ page: line.page, box: unionBox(words.map((w) => w.box)) }], order: i }];
    });
  }
  const base = m.zone !== null ? 0.8 : 0.6;
  if (m.zone !== null && m.pattern === null && ctx.field.type === 'text') {
    const words = lines.flatMap((l) => l.words);
    if (words.length === 0) return [];
    const text = lines.map((l) => l.text).join(' ');
    return [{ value: text, text, score: base * m.weight, ocr: meanConfidence(words), areas: [{ page: lines[0]?.page ?? 0, box: unionBox(words.map((w) => w.box)) }], order: 0 }];
  }
  const found = lines.flatMap((line, i) => candidatesIn(ctx, m, line, base, i).map((c) => ({ c, i })));
  if (ctx.field.type !== 'text' || m.max_lines <= 1) return found.map((f) => f.c);
  return found.map(({ c, i }) => continueLines(c, lines, i, m));
}

/** Extends a text value over the lines after it (an address block), up to `max_lines` or a line matching `until`. */
function continueLines(c: Candidate, lines: TextLine[], i: number, m: ExtractMethod): Candidate {
  const stop = m.until !== null ? projectPattern(m.until, 'i') : null;
  let text = String(c.value);
  const areas = [...c.areas];
  let ocr = c.ocr;
  const first = lines[i] as TextLine;
  for (let k = i + 1; k < lines.length && k < i + m.max_lines; k++) {
    const next = lines[k] as TextLine;
    const prev = lines[k - 1] as TextLine;
    if (next.page !== first.page || stop?.test(next.text) === true || next.box.y - (prev.box.y + prev.box.h) > 1.5 * Math.max(4, prev.box.h)) break;
    text += ` ${next.text}`;
    areas.push({ page: next.page, box: next.box });
    ocr = Math.min(ocr, meanConfidence(next.words));
  }
  return { ...c, value: text, text, areas, ocr };
}
