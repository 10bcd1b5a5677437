/**
 * @module Where a target of the validation screen lives: its element (field input,
 * type select or boundary button), the page it sits on, and what it is called in the
 * "checks still open" question.
 */
import { type DraftDoc, type OpenAction, type Target } from './draft.ts';
import { boundaryButtonId, typeSelectId } from './DocumentCard.tsx';
import { fieldInputId } from './FieldRow.tsx';

export function elementOf(t: Target): HTMLElement | null {
  const id = 'field' in t ? fieldInputId(t.doc, t.field) : t.part === 'type' ? typeSelectId(t.doc) : boundaryButtonId(t.doc);
  return document.getElementById(id) ?? document.getElementById(typeSelectId(t.doc));
}

/** The page of the target's first source box when it is inside its document, else the document's first page. */
export function pageOf(docs: DraftDoc[], t: Target): number | null {
  const d = docs[t.doc];
  if (!d) return null;
  const area = 'field' in t ? d.fields.find((f) => f.name === t.field)?.original.areas[0] : undefined;
  return area && area.page >= d.pages[0] && area.page <= d.pages[1] ? area.page : d.pages[0];
}

export function openLabel(docs: DraftDoc[], a: OpenAction): string {
  const n = docs.length > 1 ? ` (document ${a.target.doc + 1})` : '';
  if ('field' in a.target) return `${a.target.field.replace(/_/g, ' ')}${n}`;
  return `${a.target.part === 'type' ? 'document type' : 'where the document starts'}${n}`;
}

/** The checks a person may still leave open when submitting (asked about once); invalid values are the service's to refuse. */
export function uncheckedLabels(docs: DraftDoc[], open: OpenAction[]): string[] {
  return open.filter((a) => a.kind === 'confirm_field' || a.kind === 'confirm_type' || a.kind === 'review_boundary').map((a) => openLabel(docs, a));
}
