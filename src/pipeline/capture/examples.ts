/**
 * @module Training examples for the learned scorer (core/scorer/model.ts) from one
 * labelled document: for every field whose right value is known, the features of
 * each candidate value extraction found and which one was right (or none).
 *
 * An example is derived data only — feature numbers and an index, never the
 * document's text or images — so a project's learning may keep examples from
 * validated documents and retrain on them (`trainScorer`) without keeping the file.
 */
import type { CaptureSettings, DocumentType, FieldDef } from '../../core/project.ts';
import type { ScorerExample } from '../../core/scorer/model.ts';
import { compactExample } from '../../core/scorer/retrain.ts';
import { fieldValues } from './extract.ts';
import { fieldKind } from '../../core/scorer/settings.ts';
import { documentDateOrder, parseDate, parseNumber } from './normalize.ts';
import type { TextLine } from './text.ts';

/** Whether an extracted value is the labelled one: dates as dates, amounts within 0.005, text by letters and digits. */
export type SameValue = (field: FieldDef, found: string | number, truth: unknown) => boolean;

function letters(v: unknown): string {
  return String(v).toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, '');
}

export const sameValue: SameValue = (field, found, truth) => {
  if (field.type === 'date') {
    const a = typeof found === 'string' ? (parseDate(found) ?? found) : null;
    const b = typeof truth === 'string' ? (parseDate(truth) ?? truth) : null;
    return a !== null && a === b;
  }
  if (field.type === 'amount' || field.type === 'number') {
    const a = typeof found === 'number' ? found : parseNumber(String(found));
    const b = typeof truth === 'number' ? truth : parseNumber(String(truth));
    return a !== null && b !== null && Math.abs(a - b) < 0.005;
  }
  return letters(found) !== '' && letters(found) === letters(truth);
};

/**
 * The examples of one document of type `type`: `truth` maps field names to their
 * right values (fields not named are skipped; tables are not scored).
 */
export function scorerExamples(type: DocumentType, lines: TextLine[], settings: CaptureSettings, truth: Record<string, unknown>, same: SameValue = sameValue, pageCount = 1): ScorerExample[] {
  const ctx = { lines, order: documentDateOrder(lines.map((l) => l.text), settings.date_order), lookups: settings.lookups, pageCount };
  const out: ScorerExample[] = [];
  for (const field of type.fields) {
    const want = truth[field.name];
    if (want === undefined || want === null || want === '' || field.type === 'table') continue;
    const { values, features } = fieldValues(field, ctx, true);
    if (values.length === 0) continue;
    out.push({ kind: fieldKind(field), candidates: features, right: values.findIndex((v) => same(field, v.value, want)) });
  }
  return out;
}

/**
 * What one taught document keeps for the scorer's retraining (docs/vendor-memory.md
 * "Scorer examples"): its examples with features rounded to 4 decimals and zeros dropped.
 */
export function taughtExamples(type: DocumentType, lines: TextLine[], settings: CaptureSettings, values: Record<string, unknown>, pageCount: number): ScorerExample[] {
  return scorerExamples(type, lines, settings, values, sameValue, pageCount).map(compactExample);
}
