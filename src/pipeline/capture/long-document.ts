/**
 * @module Extraction with bounded memory. Extraction looks at a whole document's
 * lines at once, and a document's pages are all in memory while it runs: ~18 MB per
 * 100 text pages of ~400 words (bench/memory `--stage capture`), so a 2,000-page
 * file kept as one document would pass 500 MB. A document longer than
 * `EXTRACT_CHUNK_PAGES` is therefore extracted in parts of that many pages, read
 * from the stored pages one part at a time, and the parts' fields are merged:
 *
 * - a table is read on one page, as in one piece (table.ts): the part with the
 *   most confident table gives it, the earliest on a tie;
 * - any other field takes the part the field's `pick` chooses (`first`, `last`,
 *   `max`, else the most confident), and when parts found different values its
 *   confidence is halved, as a strong second candidate halves it within a part
 *   (extract.ts), so the disagreement goes to a person.
 *
 * Documents up to that length — every receipt, invoice and form in the corpus —
 * are extracted exactly as before, in one piece.
 */
import type { DocumentResult, FieldResult } from '../../core/capture.ts';
import type { PageSet } from '../../core/page-set.ts';
import type { CaptureSettings, FieldDef } from '../../core/project.ts';
import { budgeted } from '../../core/project/pattern-budget.ts';
import { extractDocument } from './extract.ts';
import { documentLines } from './text.ts';

/** 50 pages of ~400 words hold ~9 MB of words and lines: a bounded, ample part. */
export const EXTRACT_CHUNK_PAGES = 50;

function pickOf(field: FieldDef): 'first' | 'last' | 'max' | 'best' {
  const picks = new Set(field.extract.map((m) => m.pick));
  return picks.size === 1 ? [...picks][0]! : 'best';
}

function mergeTable(parts: FieldResult[]): FieldResult {
  const found = parts.filter((p) => Array.isArray(p.value) && p.value.length > 0);
  if (found.length === 0) return parts[0]!;
  return found.reduce((a, b) => (b.confidence > a.confidence ? b : a));
}

function mergeScalar(field: FieldDef, parts: FieldResult[]): FieldResult {
  const found = parts.filter((p) => p.value !== null);
  if (found.length === 0) return parts[0]!;
  const pick = pickOf(field);
  let chosen = found.reduce((a, b) => (b.confidence > a.confidence ? b : a));
  if (pick === 'first') chosen = found[0]!;
  else if (pick === 'last') chosen = found.at(-1)!;
  else if (pick === 'max' && found.every((p) => typeof p.value === 'number')) chosen = found.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
  const key = JSON.stringify(chosen.value);
  const others = found.filter((p) => JSON.stringify(p.value) !== key);
  if (others.length === 0) return chosen;
  return {
    ...chosen,
    confidence: Number((chosen.confidence * 0.5).toFixed(4)),
    alternatives: [...others.map((p) => ({ value: p.value, text: p.text, confidence: p.confidence, areas: p.areas })), ...(chosen.alternatives ?? [])].slice(0, 3),
  };
}

/** One field's result from its results in the parts of a document, parts in page order. */
export function mergeParts(field: FieldDef, parts: FieldResult[]): FieldResult {
  return field.type === 'table' ? mergeTable(parts) : mergeScalar(field, parts);
}

/** Extracts a typed document's fields from the stored pages, in parts when it is long. */
export async function extractStored(settings: CaptureSettings, doc: DocumentResult, pages: PageSet): Promise<FieldResult[]> {
  const type = settings.document_types.find((t) => t.name === doc.document_type);
  if (!type) return [];
  const [first, last] = doc.pages;
  const length = last - first + 1;
  const parts: FieldResult[][] = [];
  for (let start = first; start <= last; start += EXTRACT_CHUNK_PAGES) {
    const own = await pages.range(start, Math.min(last, start + EXTRACT_CHUNK_PAGES - 1));
    parts.push(budgeted(own.length, 'extraction', doc, () => extractDocument(type, documentLines(own, start - first), settings, length)));
  }
  if (parts.length === 1) return parts[0]!;
  return type.fields.map((f, i) => mergeParts(f, parts.map((p) => p[i]!)));
}
