/**
 * @module Field extraction for one document of a known type: every method of every
 * field yields candidates (methods.ts, table.ts), candidates with the same value
 * pool their evidence, and the values are ranked. With a learned scorer
 * (core/scorer, the default) the scorer sees every value with its features
 * (features.ts) and its calibrated probability of being right is the confidence;
 * with `scorer: none` the hand scores rank them and the confidence combines match
 * quality with OCR confidence, lowered when a different value came close. Either
 * way a value one digit from another of the field's own readings is halved (a
 * misread), and up to three other values are kept as alternatives.
 */
import type { FieldResult } from '../../core/capture.ts';
import type { CaptureSettings, DocumentType, ExtractMethod, FieldDef } from '../../core/project.ts';
import { documentDateOrder } from './normalize.ts';
import { methodCandidates, type Candidate, type MethodContext } from './methods.ts';
import { keyValuePairs } from './pairs.ts';
import { extractTable } from './table.ts';
import type { TextLine } from './text.ts';
import { scanCandidates, valueFeatures, type ValueEvidence } from './features.ts';
import { candidateProbabilities, type Features } from '../../core/scorer/model.ts';
import { calibrated } from '../../core/scorer/calibration.ts';
import { fieldKind, scorerOf, type ScorerSetting } from '../../core/scorer/settings.ts';

/** Used when a field names no method: its label, anywhere around it. */
function defaultMethods(field: FieldDef): ExtractMethod[] {
  const base: ExtractMethod = { label: [field.label], pattern: null, flags: 'i', zone: null, lookup: null, position: 'any', pick: 'best', weight: 1, whole_line: false, max_lines: 1, until: null, heuristic: null };
  if (field.label.toLowerCase() !== field.name.replace(/_/g, ' ').toLowerCase()) return [base, { ...base, label: [field.name.replace(/_/g, ' ')] }];
  return [base];
}

type Pooled = ValueEvidence;

function pool(cands: Candidate[], pick: ExtractMethod['pick']): Pooled[] {
  const byValue = new Map<string, Candidate[]>();
  for (const c of cands) {
    const key = c.key ?? (typeof c.value === 'string' ? c.value.toLowerCase() : String(c.value));
    byValue.set(key, [...(byValue.get(key) ?? []), c]);
  }
  const pooled = [...byValue.values()].map((list): Pooled => {
    const sorted = [...list].sort((a, b) => b.score - a.score);
    const top = sorted[0] as Candidate;
    // Independent evidence for one value: 1 − Π(1 − s), the strongest counted in full.
    const support = 1 - sorted.slice(0, 4).reduce((p, c) => p * (1 - Math.min(0.95, c.score)), 1);
    return { value: top.value, support: Math.max(top.score, support), best: top, count: list.length };
  });
  if (pick === 'first') pooled.sort((a, b) => a.best.order - b.best.order);
  else if (pick === 'last') pooled.sort((a, b) => b.best.order - a.best.order);
  else if (pick === 'max') pooled.sort((a, b) => Number(b.value) - Number(a.value) || b.support - a.support);
  else pooled.sort((a, b) => b.support - a.support);
  return pooled;
}

/**
 * Two values one digit apart (2016-06-01 and 2016-05-01, 30.96 and 30.90) are the
 * same printed value read twice, once wrong; which one is unknown, so the winner's
 * confidence is halved (SROIE 402: the misread date led at 0.65 and was accepted).
 */
function oneDigitApart(a: string | number, b: string | number): boolean {
  const x = typeof a === 'number' ? a.toFixed(2) : a;
  const y = typeof b === 'number' ? b.toFixed(2) : b;
  if (x.length !== y.length || x === y) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff += /\d/.test(x[i] as string) && /\d/.test(y[i] as string) ? 1 : 2;
  return diff === 1;
}

/** A field's distinct candidate values, best first by the hand scores, with their scorer features. */
export function fieldValues(field: FieldDef, ctx: Omit<MethodContext, 'field'>, broad = false): { values: Pooled[]; features: Features[] } {
  const methods = field.extract.length > 0 ? field.extract : defaultMethods(field);
  const mctx: MethodContext = { ...ctx, field };
  const cands: Candidate[] = methods.flatMap((m) => methodCandidates(mctx, m).map((c) => ({ ...c, via: m.heuristic ?? (m.label.length > 0 ? 'label' : m.lookup !== null ? 'lookup' : m.zone !== null ? 'zone' : 'pattern') })));
  // The scorer also sees every value of the field's type (scan.ts); the hand ranking keeps to its methods' candidates.
  if (broad) cands.push(...scanCandidates(field, ctx.lines, ctx.order));
  if (cands.length === 0) return { values: [], features: [] };
  const picks = new Set(methods.map((m) => m.pick));
  const values = pool(cands, picks.size === 1 ? (methods[0] as ExtractMethod).pick : 'best');
  const features = valueFeatures(field, values, ctx.lines);
  // A misread is two readings of one printed value by the field's own methods: every amount of the page (scan.ts) is no second reading.
  const own = values.filter((v) => v.best.via !== 'scan');
  if (field.type !== 'text') values.forEach((v, i) => {
    if (v.best.via !== 'scan' && own.some((o) => o !== v && oneDigitApart(o.value, v.value))) (features[i] as Features).misread = 1;
  });
  features.forEach((f, i) => {
    f.hand_rank = i === 0 ? 1 : 0;
  });
  return { values, features };
}

export function extractField(field: FieldDef, ctx: Omit<MethodContext, 'field'>, scorer: ScorerSetting = 'none'): FieldResult {
  const empty: FieldResult = { name: field.name, type: field.type, value: null, text: null, confidence: 0, areas: [], valid: true, messages: [], needs_confirmation: false };
  if (field.type === 'table' && field.extract.some((m) => m.heuristic === 'key_values')) {
    const pairs = keyValuePairs(ctx.lines);
    if (pairs.length === 0) return empty;
    const [key, value] = (field.table?.columns ?? []).map((c) => c.name);
    const rows = pairs.map((p) => ({ [key ?? 'key']: p.key, [value ?? 'value']: p.value }));
    return { ...empty, value: rows, confidence: Number(Math.min(...pairs.map((p) => p.confidence)).toFixed(4)), areas: pairs.flatMap((p) => p.areas) };
  }
  if (field.type === 'table') {
    const t = extractTable(field, ctx.lines, ctx.order);
    if (!t) return empty;
    return { ...empty, value: t.rows, text: null, confidence: t.confidence, areas: t.areas };
  }
  const weights = scorerOf(scorer);
  const kind = fieldKind(field);
  const model = weights?.kinds[kind];
  const { values, features } = fieldValues(field, ctx, model !== undefined);
  if (values.length === 0) return empty;
  if (weights && model) {
    // The learned scorer ranks the values; the winner's probability, calibrated, is the confidence.
    const { p } = candidateProbabilities(model, features);
    const order = values.map((_, i) => i).sort((a, b) => (p[b] as number) - (p[a] as number));
    // Two values one digit apart are one printed value read twice, which one unknown: halved, as by the hand scores (oneDigitApart).
    const conf = (i: number) => Number((calibrated(weights.calibration[kind], p[i] as number) * ((features[i] as Features).misread ? 0.5 : 1)).toFixed(4));
    const [top, ...rest] = order.map((i) => ({ v: values[i] as Pooled, c: conf(i) }));
    if (!top) return empty;
    return { ...empty, value: top.v.value, text: top.v.best.text, confidence: top.c, areas: top.v.best.areas, alternatives: rest.slice(0, 3).map(({ v, c }) => ({ value: v.value, text: v.best.text, confidence: c, areas: v.best.areas })) };
  }
  const top = values[0] as Pooled;
  const second = values[1];
  const misread = field.type !== 'text' && values.slice(1).some((p) => oneDigitApart(p.value, top.value));
  const margin = (second ? 1 - 0.5 * Math.min(1, second.support / Math.max(1e-6, top.support)) : 1) * (misread ? 0.5 : 1);
  const confidence = Math.min(1, top.support) * (0.4 + 0.6 * top.best.ocr) * margin;
  return {
    ...empty,
    value: top.value,
    text: top.best.text,
    confidence: Number(confidence.toFixed(4)),
    areas: top.best.areas,
    alternatives: values.slice(1, 4).map((p) => ({ value: p.value, text: p.best.text, confidence: Number((Math.min(1, p.support) * (0.4 + 0.6 * p.best.ocr)).toFixed(4)), areas: p.best.areas })),
  };
}

/** Every field of the type, in the project's order. */
export function extractDocument(type: DocumentType, lines: TextLine[], settings: CaptureSettings, pageCount: number): FieldResult[] {
  const ctx = { lines, order: documentDateOrder(lines.map((l) => l.text), settings.date_order), lookups: settings.lookups, pageCount };
  return type.fields.map((f) => extractField(f, ctx, settings.scorer ?? 'none'));
}
