/**
 * @module The field-level audit of a validation (docs/portal.md#admin-admin-role): what a person
 * changed, from what, to what, written into the timeline with the `complete_action`
 * event so the admin's task detail shows who changed it. Compared per document
 * matched by page range: a document whose type or pages changed is named as such
 * (its fields are read again by a worker), and a field is listed when the value the
 * person's submission stores differs from the captured one.
 */
import type { CaptureResult, DocumentResult, FieldValue } from './capture.ts';

/** At most this many characters of audit in one event reason; the rest is counted. */
const MAX_CHARS = 1500;

function shown(v: FieldValue | undefined): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (Array.isArray(v)) return `${v.length} row${v.length === 1 ? '' : 's'}`;
  return JSON.stringify(v);
}

function docChanges(before: DocumentResult | undefined, after: DocumentResult, n: number): string[] {
  const where = `document ${n + 1}`;
  if (!before) return [`${where}: pages ${after.pages[0] + 1}–${after.pages[1] + 1} made a new document`];
  if (before.document_type !== after.document_type) return [`${where}: type ${before.document_type ?? '(none)'} → ${after.document_type ?? '(none)'}`];
  const out: string[] = [];
  for (const f of after.fields) {
    const old = before.fields.find((x) => x.name === f.name)?.value;
    if (JSON.stringify(old ?? null) !== JSON.stringify(f.value ?? null)) out.push(`${f.name} ${shown(old)} → ${shown(f.value)}`);
  }
  return out;
}

/** The changes in words, e.g. `total 130 → 120; document 2: type Receipt → Invoice`; empty when none. */
export function fieldChanges(before: CaptureResult, after: DocumentResult[]): string {
  const parts = after.flatMap((d, i) => docChanges(before.documents.find((b) => b.pages[0] === d.pages[0] && b.pages[1] === d.pages[1]), d, i));
  let text = '';
  for (const [i, p] of parts.entries()) {
    const next = text === '' ? p : `${text}; ${p}`;
    if (next.length > MAX_CHARS) return `${text}; and ${parts.length - i} more`;
    text = next;
  }
  return text;
}
