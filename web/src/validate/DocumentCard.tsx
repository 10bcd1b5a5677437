/**
 * @module One document in the fields panel: its pages and type (a select; changing
 * it re-extracts the fields for the new type), boundary actions (confirm an unsure
 * boundary, split at the current page, merge with the next document), document
 * messages, then its fields.
 */
import type { KeyboardEvent } from 'react';
import type { DocumentTypeSchema, TableRow } from '../api/types.ts';
import { documentOnlyMessages, type DraftDoc, type Target } from './draft.ts';
import { FieldRow } from './FieldRow.tsx';

interface Props {
  index: number;
  doc: DraftDoc;
  count: number;
  types: DocumentTypeSchema[];
  current: Target | null;
  page: number;
  onTarget(t: Target): void;
  onType(type: string | null): void;
  onTypeKey(e: KeyboardEvent<HTMLSelectElement>): void;
  onConfirmType(): void;
  onConfirmBoundary(): void;
  onSplit(): void;
  onMerge(): void;
  onText(field: string, text: string): void;
  onRows(field: string, rows: TableRow[]): void;
  onFieldKey(field: string, e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void;
}

export function typeSelectId(doc: number): string {
  return `type-${doc}`;
}

export function boundaryButtonId(doc: number): string {
  return `boundary-${doc}`;
}

export function DocumentCard(p: Props) {
  const { index, doc, types } = p;
  const schema = types.find((t) => t.name === doc.type);
  const isCurrent = p.current?.doc === index;
  const pages = doc.pages[0] === doc.pages[1] ? `page ${doc.pages[0] + 1}` : `pages ${doc.pages[0] + 1}–${doc.pages[1] + 1}`;
  const typeState = doc.type === null ? 'red' : doc.typeNeedsConfirmation ? 'orange' : 'green';
  const canSplit = p.page > doc.pages[0] && p.page <= doc.pages[1];
  const docMessages = documentOnlyMessages(doc);
  return (
    <section className={isCurrent ? 'doc current' : 'doc'} aria-labelledby={`doc-${index}-title`} data-doc={index}>
      <header className="doc-head">
        <h2 id={`doc-${index}-title`}>Document {index + 1} <span className="muted">of {p.count} · {pages}</span></h2>
        <div className={`doc-type ${typeState}`}>
          <label htmlFor={typeSelectId(index)}>Type</label>
          <select
            id={typeSelectId(index)}
            value={doc.type ?? ''}
            aria-invalid={doc.type === null}
            onFocus={() => p.onTarget({ doc: index, part: 'type' })}
            onChange={(e) => p.onType(e.target.value === '' ? null : e.target.value)}
            onKeyDown={p.onTypeKey}
          >
            <option value="">Unknown — choose a type</option>
            {types.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
          </select>
          {doc.typeNeedsConfirmation && doc.type !== null && <button type="button" className="small" onClick={p.onConfirmType}>Confirm type</button>}
        </div>
        <div className="doc-actions">
          {doc.boundaryNeedsReview && (
            <button type="button" id={boundaryButtonId(index)} className="small warn" onFocus={() => p.onTarget({ doc: index, part: 'boundary' })} onClick={p.onConfirmBoundary}>
              Confirm this document starts on page {doc.pages[0] + 1}
            </button>
          )}
          <button type="button" className="small ghost" disabled={!canSplit} title="Alt+S" aria-keyshortcuts="Alt+S" onClick={p.onSplit}>Split at page {p.page + 1}</button>
          <button type="button" className="small ghost" disabled={index + 1 >= p.count} title="Alt+M" aria-keyshortcuts="Alt+M" onClick={p.onMerge}>Merge with next</button>
        </div>
      </header>
      {docMessages.length > 0 && <ul className="messages doc-messages">{docMessages.map((m) => <li key={m}>{m}</li>)}</ul>}
      {doc.fields.length === 0 && doc.type !== null && <p className="muted small-text">{schema && schema.fields.length > 0 ? 'Reading fields…' : 'This type has no fields.'}</p>}
      <div className="fields">
        {doc.fields.map((f) => (
          <FieldRow
            key={f.name}
            doc={index}
            field={f}
            schema={schema?.fields.find((s) => s.name === f.name)}
            current={isCurrent && p.current !== null && 'field' in p.current && p.current.field === f.name}
            onFocus={() => p.onTarget({ doc: index, field: f.name })}
            onText={(t) => p.onText(f.name, t)}
            onRows={(r) => p.onRows(f.name, r)}
            onKeyDown={(e) => p.onFieldKey(f.name, e)}
          />
        ))}
      </div>
    </section>
  );
}
