/**
 * @module Field extraction for one document of a known type: every method of every
 * field yields candidates (methods.ts, table.ts), candidates with the same value
 * pool their evidence, the best value wins and up to three others are kept as
 * alternatives. The confidence combines match quality with OCR confidence and is
 * lowered when a different value came close (an ambiguous field should be looked
 * at), so that the review threshold means "probably right" (docs/eval.md targets ≤ 2 %
 * wrong among fields accepted without review).
 */
import type { FieldResult } from '../../core/capture.ts';
import type { CaptureSettings, DocumentType, ExtractMethod, FieldDef } from '../../core/project.ts';
import { methodCandidates, type Candidate, type MethodContext } from './methods.ts';
import { keyValuePairs } from './pairs.ts';
import { extractTable } from './table.ts';
import type { TextLine } from './text.ts';

/** Used when a field names no method: its label, anywhere around it. */
function defaultMethods(field: FieldDef): ExtractMethod[] {
  const base: ExtractMethod = { label: [field.label], pattern: null, flags: 'i', zone: null, lookup: null, position: 'any', pick: 'best', weight: 1, whole_line: false, max_lines: 1, until: null, heuristic: null };
  if (field.label.toLowerCase() !== field.name.replace(/_/g, ' ').toLowerCase()) return [base, { ...base, label: [field.name.replace(/_/g, ' ')] }];
  return [base];
}

interface Pooled {
  value: string | number;
  support: number;
  best: Candidate;
}

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
    return { value: top.value, support: Math.max(top.score, support), best: top };
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

export function extractField(field: FieldDef, ctx: Omit<MethodContext, 'field'>): FieldResult {
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
  const methods = field.extract.length > 0 ? field.extract : defaultMethods(field);
  const mctx: MethodContext = { ...ctx, field };
  const cands = methods.flatMap((m) => methodCandidates(mctx, m));
  if (cands.length === 0) return empty;
  const picks = new Set(methods.map((m) => m.pick));
  const pooled = pool(cands, picks.size === 1 ? (methods[0] as ExtractMethod).pick : 'best');
  const top = pooled[0] as Pooled;
  const second = pooled[1];
  const misread = field.type !== 'text' && pooled.slice(1).some((p) => oneDigitApart(p.value, top.value));
  const margin = (second ? 1 - 0.5 * Math.min(1, second.support / Math.max(1e-6, top.support)) : 1) * (misread ? 0.5 : 1);
  const confidence = Math.min(1, top.support) * (0.4 + 0.6 * top.best.ocr) * margin;
  return {
    ...empty,
    value: top.value,
    text: top.best.text,
    confidence: Number(confidence.toFixed(4)),
    areas: top.best.areas,
    alternatives: pooled.slice(1, 4).map((p) => ({ value: p.value, text: p.best.text, confidence: Number((Math.min(1, p.support) * (0.4 + 0.6 * p.best.ocr)).toFixed(4)), areas: p.best.areas })),
  };
}

/** Every field of the type, in the project's order. */
export function extractDocument(type: DocumentType, lines: TextLine[], settings: CaptureSettings, pageCount: number): FieldResult[] {
  const ctx = { lines, order: settings.date_order, lookups: settings.lookups, pageCount };
  return type.fields.map((f) => extractField(f, ctx));
}
