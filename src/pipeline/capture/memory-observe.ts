/**
 * @module What a labelled document teaches vendor memory (docs/vendor-memory.md#learning):
 * its issuer's anchors, and for each labelled field where it stands. A static field
 * (a text field read by the `company` or `address` heuristic, or named like one) is
 * kept by value when the page supports it; a changing field (date, number, total)
 * by the words printed before it on its line (or the line above it when none) and
 * its place on the page. A value that is nowhere on the page teaches nothing.
 */
import type { Box } from '../../core/page.ts';
import type { Area, FieldResult } from '../../core/capture.ts';
import type { FieldOutcome } from '../../core/calibration-outcomes.ts';
import type { FieldDef } from '../../core/project.ts';
import { findAnchors, foldLetters } from '../../core/memory/anchors.ts';
import type { FieldKind, FieldObservation, Observation } from '../../core/memory/model.ts';
import { coverage } from '../../core/memory/recognise.ts';
import type { DateOrder } from '../../core/project.ts';
import { simplify } from './fuzzy.ts';
import { spanWords, type TextLine } from './text.ts';
import { normalizeValue, valuesIn } from './values.ts';
import { unionBox } from '../../core/page.ts';

const STATIC_NAMES = /^(company|supplier|issuer|vendor|seller|merchant|address|supplier_address|seller_address|vendor_address)$/;

export function fieldKind(def: FieldDef): FieldKind {
  if (def.type !== 'text') return 'changing';
  return def.extract.some((m) => m.heuristic === 'company' || m.heuristic === 'address') || STATIC_NAMES.test(def.name) ? 'static' : 'changing';
}

/** A value's place in tenths of the page: `x,y` from the top, `x,bN` for the lower half counted from the bottom. */
export function placeOf(line: TextLine, box: Box): string {
  const x = Math.min(9, Math.floor(((box.x + box.w / 2) / line.pageWidth) * 10));
  const y = (box.y + box.h / 2) / line.pageHeight;
  return y < 0.5 ? `${x},${Math.floor(y * 10)}` : `${x},b${Math.floor((1 - y) * 10)}`;
}

/** The label words before character `start` of a line (the last three), or `^` and the line above's when there are none. */
export function labelAt(lines: readonly TextLine[], i: number, start: number): string | null {
  const line = lines[i] as TextLine;
  const before = simplify(line.text.slice(0, start)).replace(/[^\p{L} ]/gu, ' ').trim().split(/\s+/).filter((w) => w.length > 1).slice(-3).join(' ');
  if (before !== '') return before;
  const above = lines[i - 1];
  if (!above || above.page !== line.page) return null;
  const words = simplify(above.text).replace(/[^\p{L} ]/gu, ' ').trim().split(/\s+/).filter((w) => w.length > 1).slice(-3).join(' ');
  return words === '' ? null : `^${words}`;
}

/**
 * How much of a static value the page holds: the best share of its folded letters'
 * pairs found in a run of one to four consecutive lines (an address spans several) at
 * most 1.6 times as long plus 4 (a name beside its registration number), and the
 * first line of that run.
 */
export function pageSupport(value: string, lines: readonly TextLine[]): { score: number; line: number } {
  const want = foldLetters(value);
  let best = { score: 0, line: -1 };
  if (want.length < 3) return best;
  const folded = lines.map((l) => foldLetters(l.text));
  for (let i = 0; i < lines.length; i++) {
    let run = '';
    for (let k = i; k < Math.min(lines.length, i + 4); k++) {
      if (lines[k]?.page !== lines[i]?.page) break;
      run += folded[k];
      if (run.length > want.length * 1.6 + 4) break;
      const s = coverage(want, run);
      if (s > best.score) best = { score: s, line: i };
    }
  }
  return best;
}

/** A static value counts as on the page at this support. */
export const SUPPORTED = 0.8;

export function sameValue(a: string | number, b: string | number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  return simplify(String(a)) === simplify(String(b));
}

/**
 * Whether a line may hold a value at all, before the type's finders run on it: the
 * integer digits of an amount, the day of a date, the letters and digits of a text,
 * an enum's value or a currency sign.
 * Learning reads every line for every changing field, and the finders are most of
 * its time on a long invoice.
 */
export function mayHold(def: FieldDef, value: string | number, text: string): boolean {
  if (def.type === 'amount' || def.type === 'number') return text.replace(/\D/g, '').includes(String(Math.floor(Math.abs(Number(value)))));
  if (def.type === 'date') return text.includes(String(Number(String(value).slice(8, 10))));
  if (def.type === 'text') return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '').includes(String(value).toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''));
  // An enum (a currency code) by its text, or a currency sign standing for it.
  return text.toLowerCase().includes(String(value).toLowerCase()) || /[€$£¥₹]/u.test(text);
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Where a changing value stands: among its occurrences, the one extraction read it
 * from (`hint`, when extraction got it right), else one under a label holding a word
 * of the field's name or label ("total" for `total`), else the first under any label,
 * else the first (by place only).
 */
function observeField(def: FieldDef, given: string | number, lines: readonly TextLine[], order: DateOrder, hint: readonly Area[]): FieldObservation | null {
  const kind = fieldKind(def);
  const value = typeof given === 'number' ? given : normalizeValue(def, String(given), order);
  if (value === null) return null;
  if (kind === 'static') {
    const s = pageSupport(String(value), lines);
    const line = lines[s.line];
    return { name: def.name, kind, value: String(value), label: null, place: s.score >= SUPPORTED && line ? placeOf(line, line.box) : null };
  }
  const own = new Set(simplify(`${def.name.replace(/_/g, ' ')} ${def.label}`).split(' ').filter((w) => w.length > 2));
  let best: { rank: number; o: FieldObservation } = { rank: 9, o: { name: def.name, kind, value: String(value), label: null, place: null } };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as TextLine;
    if (!mayHold(def, value, line.text)) continue;
    for (const v of valuesIn(def, line.text, order, null, 'i')) {
      if (!sameValue(v.value, value)) continue;
      const words = spanWords(line, v.start, v.end);
      const box = words.length > 0 ? unionBox(words.map((w) => w.box)) : line.box;
      const label = labelAt(lines, i, v.start);
      const rank = hint.some((a) => a.page === line.page && overlaps(a.box, box)) ? 0 : label === null ? 3 : label.split(' ').some((w) => own.has(w.replace(/^\^/, ''))) ? 1 : 2;
      if (rank < best.rank) best = { rank, o: { name: def.name, kind, value: String(value), label, place: placeOf(line, box) } };
    }
  }
  return best.o;
}

/** The observation of one document of `type`, from its lines and its labelled values (field name → value). */
export function observe(typeName: string, fields: readonly FieldDef[], lines: readonly TextLine[], values: Readonly<Record<string, unknown>>, order: DateOrder, hints: Readonly<Record<string, readonly Area[]>> = {}): Observation {
  const out: FieldObservation[] = [];
  for (const def of fields) {
    const given = values[def.name];
    if (def.type === 'table' || (typeof given !== 'string' && typeof given !== 'number') || given === '') continue;
    const o = observeField(def, given, lines, order, hints[def.name] ?? []);
    if (o) out.push(o);
  }
  return { document_type: typeName, anchors: findAnchors(lines), fields: out };
}

/**
 * How right capture was on a labelled document (calibration, core/calibration-outcomes.ts):
 * for each field that capture filled and the label gives, the confidence capture gave it
 * (before any calibration mapped it) and whether its value equals the label. Fields a
 * person had confirmed before, and tables, say nothing about confidence.
 */
export function fieldOutcomes(fields: readonly FieldDef[], captured: readonly FieldResult[], values: Readonly<Record<string, unknown>>, order: DateOrder): FieldOutcome[] {
  const out: FieldOutcome[] = [];
  for (const def of fields) {
    const given = values[def.name];
    const f = captured.find((x) => x.name === def.name);
    if (def.type === 'table' || !f || f.confirmed || (typeof f.value !== 'string' && typeof f.value !== 'number')) continue;
    if ((typeof given !== 'string' && typeof given !== 'number') || given === '') continue;
    const value = typeof given === 'number' ? given : normalizeValue(def, String(given), order);
    if (value === null) continue;
    out.push({ field: def.name, confidence: f.raw_confidence ?? f.confidence, ok: sameValue(f.value, value) });
  }
  return out;
}

/** Names of labelled fields found nowhere on the pages (the 422 of a sample that teaches nothing). */
export function unmatched(o: Observation, given: readonly string[]): string[] {
  return given.filter((n) => !o.fields.some((f) => f.name === n && (f.label !== null || f.place !== null)));
}
