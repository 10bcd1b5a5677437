/**
 * @module The validation draft: what a person has done to a task's documents so far,
 * kept as plain data and changed only by the functions here (pure, so the screen
 * stays a thin view). Colours follow docs/portal.md#validation-every-user: red = invalid (must change),
 * orange = needs confirmation, green = fine. The actions still open are recomputed
 * from the draft, which is what the "N actions remaining" counter shows.
 */
import type { DocumentResult, FieldResult, FieldValue, TableRow } from '../api/types.ts';

export interface DraftField {
  name: string;
  type: string;
  /** The value as shown in the input: text for scalars, rows for tables. */
  text: string;
  rows: TableRow[] | null;
  original: FieldResult;
  valid: boolean;
  messages: string[];
  needsConfirmation: boolean;
  confirmed: boolean;
  edited: boolean;
  /** The value the service would store for the text, as its last check normalised it; undefined while unchecked. */
  stored: FieldValue | undefined;
}

export interface DraftDoc {
  /** Stable key across splits and merges, for React lists. */
  key: string;
  pages: [number, number];
  type: string | null;
  typeNeedsConfirmation: boolean;
  boundaryNeedsReview: boolean;
  fields: DraftField[];
  messages: string[];
  /** Type or pages changed: its fields come from the service's next check (read again for the new type or range). */
  pendingExtract: boolean;
}

export type Colour = 'red' | 'orange' | 'green';

export type Target = { doc: number; field: string } | { doc: number; part: 'type' | 'boundary' };

export interface OpenAction {
  target: Target;
  kind: 'invalid_field' | 'confirm_field' | 'unknown_type' | 'confirm_type' | 'review_boundary';
}

let keys = 0;

export function valueText(v: FieldValue): string {
  if (v === null || Array.isArray(v)) return '';
  return String(v);
}

function fieldOf(f: FieldResult): DraftField {
  return {
    name: f.name, type: f.type, text: valueText(f.value), rows: Array.isArray(f.value) ? structuredClone(f.value) : f.type === 'table' ? [] : null,
    original: f, valid: f.valid, messages: [...f.messages], needsConfirmation: f.needs_confirmation, confirmed: f.confirmed === true, edited: false,
    stored: f.value,
  };
}

export function docOf(d: DocumentResult): DraftDoc {
  return {
    key: `d${++keys}`, pages: [d.pages[0], d.pages[1]], type: d.document_type,
    typeNeedsConfirmation: d.type_needs_confirmation, boundaryNeedsReview: d.boundary_needs_review,
    fields: d.fields.map(fieldOf), messages: [...d.messages], pendingExtract: false,
  };
}

export function colourOf(f: DraftField): Colour {
  if (!f.valid) return 'red';
  if (f.needsConfirmation && !f.confirmed) return 'orange';
  return 'green';
}

/** Open actions in reading order: per document its type, boundary, then fields top to bottom. */
export function openActions(docs: DraftDoc[]): OpenAction[] {
  const out: OpenAction[] = [];
  docs.forEach((d, i) => {
    if (d.type === null) out.push({ kind: 'unknown_type', target: { doc: i, part: 'type' } });
    else if (d.typeNeedsConfirmation) out.push({ kind: 'confirm_type', target: { doc: i, part: 'type' } });
    if (d.boundaryNeedsReview) out.push({ kind: 'review_boundary', target: { doc: i, part: 'boundary' } });
    for (const f of d.fields) {
      const c = colourOf(f);
      if (c === 'red') out.push({ kind: 'invalid_field', target: { doc: i, field: f.name } });
      else if (c === 'orange') out.push({ kind: 'confirm_field', target: { doc: i, field: f.name } });
    }
  });
  return out;
}

export function sameTarget(a: Target | null, b: Target | null): boolean {
  if (!a || !b || a.doc !== b.doc) return false;
  if ('field' in a) return 'field' in b && a.field === b.field;
  return 'part' in b && a.part === b.part;
}

/** Every place the cursor can stand, in order: the next action is the first open one after the current place. */
function places(docs: DraftDoc[]): Target[] {
  return docs.flatMap((d, i): Target[] => [{ doc: i, part: 'type' }, { doc: i, part: 'boundary' }, ...d.fields.map((f) => ({ doc: i, field: f.name }))]);
}

export function nextAction(docs: DraftDoc[], from: Target | null): OpenAction | null {
  const open = openActions(docs);
  if (open.length === 0) return null;
  if (!from) return open[0] ?? null;
  const order = places(docs);
  const at = order.findIndex((t) => sameTarget(t, from));
  const rank = (t: Target) => {
    const i = order.findIndex((x) => sameTarget(x, t));
    return i > at ? i - at : i - at + order.length;
  };
  return [...open].sort((a, b) => rank(a.target) - rank(b.target))[0] ?? null;
}

function mapField(docs: DraftDoc[], doc: number, name: string, fn: (f: DraftField) => DraftField): DraftDoc[] {
  return docs.map((d, i) => (i !== doc ? d : { ...d, fields: d.fields.map((f) => (f.name === name ? fn(f) : f)) }));
}

/** A person typed or picked a value: it is theirs now (confirmed); validity waits for the next check. */
export function setText(docs: DraftDoc[], doc: number, name: string, text: string): DraftDoc[] {
  return mapField(docs, doc, name, (f) => ({ ...f, text, edited: f.edited || text !== valueText(f.original.value), confirmed: true, stored: undefined }));
}

export function setRows(docs: DraftDoc[], doc: number, name: string, rows: TableRow[]): DraftDoc[] {
  return mapField(docs, doc, name, (f) => ({ ...f, rows, edited: true, confirmed: true }));
}

export function confirmField(docs: DraftDoc[], doc: number, name: string): DraftDoc[] {
  return mapField(docs, doc, name, (f) => ({ ...f, confirmed: true }));
}

export function setType(docs: DraftDoc[], doc: number, type: string | null): DraftDoc[] {
  return docs.map((d, i) => (i === doc && d.type !== type ? { ...d, type, typeNeedsConfirmation: false, fields: [], pendingExtract: true } : d));
}

export function confirmType(docs: DraftDoc[], doc: number): DraftDoc[] {
  return docs.map((d, i) => (i === doc && d.type !== null ? { ...d, typeNeedsConfirmation: false } : d));
}

export function confirmBoundary(docs: DraftDoc[], doc: number): DraftDoc[] {
  return docs.map((d, i) => (i === doc ? { ...d, boundaryNeedsReview: false } : d));
}

/** Splits a document so that a new one starts at `page` (which must be inside it, not its first page). */
export function splitAt(docs: DraftDoc[], page: number): DraftDoc[] {
  const i = docs.findIndex((d) => d.pages[0] < page && page <= d.pages[1]);
  if (i < 0) return docs;
  const d = docs[i] as DraftDoc;
  const head: DraftDoc = { ...d, pages: [d.pages[0], page - 1], fields: [], pendingExtract: true };
  const tail: DraftDoc = { ...d, key: `d${++keys}`, pages: [page, d.pages[1]], fields: [], boundaryNeedsReview: false, pendingExtract: true };
  return [...docs.slice(0, i), head, tail, ...docs.slice(i + 1)];
}

/** Joins document `doc` with the one after it; the first one's type is kept. */
export function mergeWithNext(docs: DraftDoc[], doc: number): DraftDoc[] {
  const a = docs[doc];
  const b = docs[doc + 1];
  if (!a || !b) return docs;
  return [...docs.slice(0, doc), { ...a, pages: [a.pages[0], b.pages[1]], fields: [], pendingExtract: true }, ...docs.slice(doc + 2)];
}

function fieldValue(f: DraftField): FieldValue {
  if (f.rows !== null) return f.edited ? f.rows : f.original.value;
  if (!f.edited) return f.original.value;
  return f.text.trim() === '' ? null : f.text.trim();
}

/** The Validation Results to send (docs/architecture.md#http-api): page ranges, types and every field's value. */
export function toResults(docs: DraftDoc[]) {
  return {
    documents: docs.map((d) => ({
      pages: d.pages,
      document_type: d.type,
      fields: Object.fromEntries(d.fields.map((f) => [f.name, fieldValue(f)])),
    })),
  };
}

const PATH = /^documents\[(\d+)\](?:\.fields\.([A-Za-z0-9_.-]+?))?(?:\[\d+\].*)?$/;

/**
 * Applies a check's answer: documents waiting for extraction take the service's fields,
 * and every field's validity becomes what the problems say (a field with no problem is valid).
 */
export function applyCheck(docs: DraftDoc[], problems: { path: string; message: string }[], fresh?: DocumentResult[]): DraftDoc[] {
  let next = docs.map((d, i) => {
    const replaced = d.pendingExtract ? fresh?.[i] : undefined;
    return replaced ? { ...docOf(replaced), key: d.key, type: d.type, typeNeedsConfirmation: false, boundaryNeedsReview: d.boundaryNeedsReview } : d;
  });
  // Each field takes the value the check would store for its text (the service's normalisation), where it answered one.
  next = next.map((d, i) => ({ ...d, messages: [], fields: d.fields.map((f) => {
    const sent = fresh?.[i]?.fields.find((x) => x.name === f.name);
    return { ...f, valid: true, messages: [], stored: sent && !d.pendingExtract ? sent.value : f.stored };
  }) }));
  for (const p of problems) {
    const m = PATH.exec(p.path);
    if (!m) continue;
    const i = Number(m[1]);
    const name = m[2];
    next = next.map((d, j) => {
      if (j !== i) return d;
      if (name && d.fields.some((f) => f.name === name)) {
        return { ...d, fields: d.fields.map((f) => (f.name === name ? { ...f, valid: false, messages: f.messages.includes(p.message) ? f.messages : [...f.messages, p.message] } : f)) };
      }
      return { ...d, messages: d.messages.includes(p.message) ? d.messages : [...d.messages, p.message] };
    });
  }
  return next;
}

/** How the stored value reads beside the input: null when it says what the input says. */
export function storedNote(f: DraftField): string | null {
  if (f.rows !== null || f.stored === undefined) return null;
  const text = f.text.trim();
  const stored = f.stored === null ? '' : typeof f.stored === 'number' && f.type === 'amount' ? f.stored.toFixed(2) : valueText(f.stored);
  if (stored === text || String(f.stored ?? '') === text) return null;
  return stored === '' ? 'Will be stored empty' : `Will be stored as ${stored}`;
}

/** Document messages a field already shows: a rule's message appears on the fields it concerns, once. */
export function documentOnlyMessages(d: DraftDoc): string[] {
  return d.messages.filter((m) => !d.fields.some((f) => f.messages.some((x) => x === m || x.split('; ').includes(m))));
}

/** Problems not tied to a field (structure, document rules), for the banner. */
export function generalProblems(problems: { path: string; message: string }[]): string[] {
  return problems.filter((p) => !/\.fields\./.test(p.path)).map((p) => `${p.path}: ${p.message}`);
}
