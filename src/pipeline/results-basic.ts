/**
 * @module The structural check of a person's Validation Results (DESIGN §3, §5):
 * documents must cover the file's pages in order without gaps or overlaps, each with
 * a type (or null) and field values. Fields may come back as the specification sent
 * them (an array of field objects) or as a `{name: value}` map. A field the person
 * sent is taken as confirmed. The capture engine layers re-extraction and the
 * project's rules on top of this check.
 */
import type { CaptureResult, DocumentResult, FieldResult, FieldValue } from '../core/capture.ts';

export type Problems = { path: string; message: string }[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isValue(v: unknown): v is FieldValue {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.every(isRecord));
}

function fieldsOf(raw: unknown, path: string, problems: Problems): Map<string, FieldValue> {
  const out = new Map<string, FieldValue>();
  if (raw === undefined) return out;
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((f, i) => (isRecord(f) && typeof f.name === 'string' ? [f.name, f.value] : [`#${i}`, Symbol.for('bad')]))
    : isRecord(raw) ? Object.entries(raw) : [];
  if (!Array.isArray(raw) && !isRecord(raw)) problems.push({ path, message: 'must be an array of fields or an object of name: value' });
  for (const [name, value] of entries) {
    if (!isValue(value)) problems.push({ path: `${path}.${name}`, message: 'must be a string, number, boolean, null or a table of row objects' });
    else out.set(name, value);
  }
  return out;
}

/** Checks the results' structure and merges them into `result`; `pageCount` bounds the page ranges. */
export function applyResultsStructure(result: CaptureResult, submitted: unknown): { ok: true; result: CaptureResult } | { ok: false; problems: Problems } {
  const problems: Problems = [];
  const docs = isRecord(submitted) ? submitted.documents : undefined;
  if (!Array.isArray(docs) || docs.length === 0) return { ok: false, problems: [{ path: 'documents', message: 'required: a non-empty array of documents' }] };
  const pageCount = result.pages.length;
  let next = 0;
  const documents: DocumentResult[] = [];
  docs.forEach((raw, i) => {
    const path = `documents[${i}]`;
    if (!isRecord(raw)) return void problems.push({ path, message: 'must be an object' });
    const pages = raw.pages;
    if (!Array.isArray(pages) || pages.length !== 2 || !pages.every(Number.isInteger)) return void problems.push({ path: `${path}.pages`, message: 'must be [first, last] page indices' });
    const [first, last] = pages as [number, number];
    if (first !== next) problems.push({ path: `${path}.pages`, message: `must start at page ${next} (documents cover the pages in order, without gaps or overlaps)` });
    if (last < first || last >= pageCount) problems.push({ path: `${path}.pages`, message: `last page must be from ${first} to ${pageCount - 1}` });
    next = last + 1;
    const type = raw.document_type ?? null;
    if (type !== null && typeof type !== 'string') problems.push({ path: `${path}.document_type`, message: 'must be a string or null' });
    const values = fieldsOf(raw.fields, `${path}.fields`, problems);
    const before = result.documents.find((d) => d.pages[0] === first && d.document_type === type);
    const fields: FieldResult[] = (before?.fields ?? []).map((f) => (values.has(f.name) ? { ...f, value: values.get(f.name) as FieldValue, confirmed: true, needs_confirmation: false } : f));
    for (const [name, value] of values) {
      if (!fields.some((f) => f.name === name)) fields.push({ name, type: 'text', value, text: null, confidence: 1, areas: [], valid: true, messages: [], needs_confirmation: false, confirmed: true });
    }
    documents.push({
      index: i, pages: [first, last], document_type: type as string | null, type_confidence: 1, type_needs_confirmation: false,
      boundary_confidence: 1, boundary_needs_review: false, fields, messages: [],
    });
  });
  if (next !== pageCount && problems.length === 0) problems.push({ path: 'documents', message: `the documents end at page ${next - 1}; the file has ${pageCount} pages` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, result: { ...result, documents, actions: [], needs_validation: false } };
}
