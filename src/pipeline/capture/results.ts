/**
 * @module Checking a person's Validation Results (docs/architecture.md#http-api): the
 * specification's `documents` array sent back unchanged or with values, types and
 * page ranges changed. Structure first (page ranges in the file, in order, not
 * overlapping; known types and fields), then documents whose type or pages changed
 * are extracted again, typed values are normalised like extracted ones, and the
 * same rules run. Every problem is reported with its path; a field a person sent
 * is confirmed and is never sent back for confirmation. A field capture gave keeps the
 * review threshold capture compared its confidence with (`review_threshold`, the learned
 * one when validations set it), so the rules that name an unsure value and the review
 * decide here as they did at capture.
 */
import type { CaptureResult, DocumentResult, FieldResult, FieldValue, TableRow } from '../../core/capture.ts';
import type { ResultsChecker, ResultsProblem } from '../../core/ports/task-results.ts';
import { captureSettings, type CaptureSettings, type FieldDef, type Project } from '../../core/project.ts';
import { buildActions } from '../decide.ts';
import { markEInvoiceTerms } from '../outputs/einvoice.ts';
import { validateDocument } from './stages.ts';
import { extractStored } from './long-document.ts';
import { normalizeValue } from './values.ts';
import { isRecord } from '../../shared/records.ts';

type Problems = ResultsProblem[];
type CheckInput = Parameters<ResultsChecker>[0];

/** Submitted fields as name → { value, present }: accepts the specification's list form and a plain object. */
function submittedFields(raw: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (Array.isArray(raw)) for (const f of raw) if (isRecord(f) && typeof f.name === 'string') out.set(f.name, f.value);
  if (isRecord(raw)) for (const [k, v] of Object.entries(raw)) out.set(k, isRecord(v) && 'value' in v ? v.value : v);
  return out;
}

function normalizeInput(def: FieldDef, value: unknown, settings: CaptureSettings, path: string, problems: Problems): FieldValue {
  if (value === null || value === undefined || value === '') return null;
  if (def.type === 'table') {
    if (!Array.isArray(value)) {
      problems.push({ path, message: 'must be a list of rows' });
      return null;
    }
    return value.map((row, i): TableRow => {
      const out: TableRow = {};
      for (const col of def.table?.columns ?? []) {
        const cell = isRecord(row) ? row[col.name] : undefined;
        if (cell === null || cell === undefined || cell === '') out[col.name] = null;
        else {
          const v = col.type === 'text' ? String(cell) : typeof cell === 'number' ? cell : normalizeValue({ type: col.type, values: [] }, String(cell), settings.date_order);
          if (v === null) problems.push({ path: `${path}[${i}].${col.name}`, message: `not a valid ${col.type}` });
          out[col.name] = v;
        }
      }
      return out;
    });
  }
  if (typeof value === 'number' && (def.type === 'amount' || def.type === 'number')) return value;
  if (typeof value !== 'string' && typeof value !== 'number') {
    problems.push({ path, message: `must be a ${def.type}` });
    return null;
  }
  const v = normalizeValue(def, String(value), settings.date_order);
  if (v === null) problems.push({ path, message: def.type === 'enum' ? `must be one of ${def.values.join(', ')}` : `not a valid ${def.type}` });
  return v;
}

function checkRanges(docs: unknown[], pageCount: number, problems: Problems): [number, number][] {
  let last = -1;
  return docs.map((d, i) => {
    const p = isRecord(d) ? d.pages : undefined;
    const ok = Array.isArray(p) && p.length === 2 && p.every((x) => Number.isInteger(x)) && (p[0] as number) <= (p[1] as number);
    if (!ok) {
      problems.push({ path: `documents[${i}].pages`, message: 'must be [first, last] page indexes' });
      return [0, 0];
    }
    const [a, b] = p as [number, number];
    if (a < 0 || b >= pageCount) problems.push({ path: `documents[${i}].pages`, message: `pages must be within 0..${pageCount - 1}` });
    else if (a <= last) problems.push({ path: `documents[${i}].pages`, message: 'documents must be in page order and must not overlap' });
    last = Math.max(last, b);
    return [a, b];
  });
}

interface Checked {
  documents: DocumentResult[];
  problems: Problems;
}

/**
 * The check itself. With `extract` false nothing is extracted: a document whose type
 * or pages changed gets only the fields the person sent, and its rules run only when
 * the person sent every field of its type (else extraction would supply the rest, so
 * the rules wait for the worker's finish phase).
 */
async function check(input: CheckInput, extract: boolean): Promise<Checked | Problems> {
  const settings = captureSettings(input.project);
  const problems: Problems = [];
  const raw = isRecord(input.submitted) ? input.submitted.documents : input.submitted;
  if (!Array.isArray(raw)) return [{ path: 'documents', message: 'must be the list of documents' }];
  const pageCount = input.result.pages.length || input.pages.count;
  const ranges = checkRanges(raw, pageCount, problems);
  const today = new Date().toISOString().slice(0, 10);
  const documents: DocumentResult[] = [];
  for (const [i, d] of raw.entries()) {
    const sub = isRecord(d) ? d : {};
    const range = ranges[i] as [number, number];
    const typeName = sub.document_type === undefined ? null : sub.document_type;
    const type = settings.document_types.find((t) => t.name === typeName);
    if (typeName !== null && !type) problems.push({ path: `documents[${i}].document_type`, message: `unknown document type ${JSON.stringify(typeName)}` });
    if (typeName === null && settings.document_types.length > 0) problems.push({ path: `documents[${i}].document_type`, message: 'choose a document type' });
    const before = input.result.documents.find((o) => o.pages[0] === range[0] && o.pages[1] === range[1]);
    const changed = !before || before.document_type !== typeName;
    let doc: DocumentResult;
    if (!changed) doc = structuredClone(before);
    else {
      doc = { index: i, pages: range, document_type: type ? type.name : null, type_confidence: 1, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false, fields: [], messages: [] };
      if (extract) doc.fields = await extractStored(settings, doc, input.pages);
    }
    Object.assign(doc, { index: i, pages: range, document_type: type ? type.name : null, type_confidence: 1, type_needs_confirmation: false, boundary_confidence: 1, boundary_needs_review: false });
    const given = submittedFields(sub.fields);
    // Fields whose sent text could not be read as their type: that problem alone is theirs (not also "is required").
    const unreadable = new Set<string>();
    for (const name of given.keys()) {
      if (type && !type.fields.some((f) => f.name === name)) problems.push({ path: `documents[${i}].fields.${name}`, message: `unknown field for ${type.name}` });
    }
    for (const def of type?.fields ?? []) {
      if (!given.has(def.name)) continue;
      const path = `documents[${i}].fields.${def.name}`;
      const before = problems.length;
      const value = normalizeInput(def, given.get(def.name), settings, path, problems);
      if (problems.length > before) unreadable.add(def.name);
      let f: FieldResult | undefined = doc.fields.find((x) => x.name === def.name);
      if (!f) {
        f = { name: def.name, type: def.type, value: null, text: null, confidence: 0, areas: [], valid: true, messages: [], needs_confirmation: false };
        doc.fields.push(f);
      }
      if (JSON.stringify(f.value) !== JSON.stringify(value)) {
        Object.assign(f, { value, text: typeof value === 'string' || typeof value === 'number' ? String(value) : null, confidence: 1 });
        // A value a person changed no longer comes from the e-invoice XML, nor has a confidence calibration mapped.
        delete f.source;
        delete f.raw_confidence;
      }
      f.confirmed = true;
    }
    if (extract || !changed || (type?.fields ?? []).every((def) => given.has(def.name))) {
      validateDocument(input.project, settings, doc, today);
      markEInvoiceTerms(input.project, doc);
      doc.fields.forEach((f) => {
        if (!f.valid && !unreadable.has(f.name)) problems.push({ path: `documents[${i}].fields.${f.name}`, message: f.messages.join('; ') });
      });
      doc.messages.forEach((m) => problems.push({ path: `documents[${i}]`, message: m }));
    }
    documents.push(doc);
  }
  return { documents, problems };
}

function corrected(result: CaptureResult, documents: DocumentResult[]): CaptureResult {
  const out: CaptureResult = { ...result, documents, actions: [], needs_validation: false };
  out.actions = buildActions(out).filter((a) => a.kind !== 'confirm_field');
  return out;
}

/** The full check: documents whose type or pages changed are extracted again (the worker's finish phase, the portal's preview). */
export const checkValidationResults: ResultsChecker = async (input) => {
  const checked = await check(input, true);
  if (Array.isArray(checked)) return { ok: false, problems: checked };
  if (checked.problems.length > 0) return { ok: false, problems: checked.problems, documents: checked.documents };
  return { ok: true, result: corrected(input.result, checked.documents) };
};

/**
 * The check a completion request gets, without extraction (so without the page
 * reads and the CPU it takes): structure, types, fields, values, and the rules of
 * every document that needs no extraction. Its `result` is what the person sent,
 * not yet re-extracted; the finish phase applies the submission with
 * `applyValidationResults`.
 */
export const checkSubmittedResults: ResultsChecker = async (input) => {
  const checked = await check(input, false);
  if (Array.isArray(checked)) return { ok: false, problems: checked };
  if (checked.problems.length > 0) return { ok: false, problems: checked.problems };
  return { ok: true, result: corrected(input.result, checked.documents) };
};

/**
 * Applies a submission `checkSubmittedResults` accepted, extracting documents whose
 * type or pages changed. A rule that only the extracted values break cannot be
 * answered with a 422 any more (the request has ended), so then the result comes
 * back marked for validation, with the problems on their fields and documents, and
 * the task goes back to a person.
 */
export async function applyValidationResults(input: CheckInput): Promise<{ result: CaptureResult; problems: Problems }> {
  const checked = await check(input, true);
  if (Array.isArray(checked)) return { result: { ...input.result, needs_validation: true }, problems: checked };
  if (checked.problems.length === 0) return { result: corrected(input.result, checked.documents), problems: [] };
  const result: CaptureResult = { ...input.result, documents: checked.documents, actions: [], needs_validation: true };
  result.actions = buildActions(result);
  return { result, problems: checked.problems };
}
