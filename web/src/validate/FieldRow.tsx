/**
 * @module One field in the fields panel: label, value input and the messages that
 * say why it is red or orange. The colour is also written out (icon + text for
 * screen readers), never carried by colour alone (WCAG 1.4.1).
 */
import type { KeyboardEvent } from 'react';
import type { FieldSchema, TableRow } from '../api/types.ts';
import { colourOf, storedNote, type DraftField } from './draft.ts';
import { TableGrid } from './TableGrid.tsx';

interface Props {
  doc: number;
  field: DraftField;
  schema: FieldSchema | undefined;
  current: boolean;
  onFocus(): void;
  onText(text: string): void;
  onRows(rows: TableRow[]): void;
  onKeyDown(e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void;
}

const STATUS = { red: 'must change', orange: 'confirm', green: 'ok' } as const;

export function fieldInputId(doc: number, name: string): string {
  return `f-${doc}-${name}`;
}

export function FieldRow({ doc, field, schema, current, onFocus, onText, onRows, onKeyDown }: Props) {
  const colour = colourOf(field);
  const id = fieldInputId(doc, field.name);
  const label = schema?.label ?? field.name.replace(/_/g, ' ');
  const messageId = `${id}-msg`;
  // Why it is orange, as the capture result says it (confidence, other candidates, the text read).
  const reason = field.original.confirmation_reason ?? `confidence ${Math.round(field.original.confidence * 100)} %`;
  const hint = colour === 'orange' ? [`Check: ${reason}. Enter confirms.`] : [];
  const messages = [...field.messages.flatMap((m) => m.split('; ')), ...hint].filter((m, i, all) => all.indexOf(m) === i);
  const stored = storedNote(field);
  const storedId = `${id}-stored`;
  const describedBy = [messages.length > 0 ? messageId : '', stored ? storedId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field ${colour}${current ? ' current' : ''}`} data-colour={colour}>
      <div className="field-head">
        <label htmlFor={id}>{label}{schema?.required && <span className="req" aria-hidden="true"> *</span>}</label>
        <span className={`badge ${colour}`}>{STATUS[colour]}</span>
      </div>
      {field.rows === null ? (
        <>
          {field.type === 'text' && !schema?.values ? (
            // Free text grows to show its whole value (CSS field-sizing), so a long address is never cut off.
            <textarea
              id={id}
              className="field-input grow"
              rows={1}
              data-field-input=""
              data-doc={doc}
              data-field={field.name}
              value={field.text}
              aria-invalid={colour === 'red'}
              aria-required={schema?.required}
              aria-describedby={describedBy || undefined}
              autoComplete="off"
              spellCheck={false}
              onFocus={(e) => { onFocus(); e.currentTarget.select(); }}
              onChange={(e) => onText(e.target.value.replace(/\n/g, ' '))}
              onKeyDown={onKeyDown}
            />
          ) : (
            <input
              id={id}
              className="field-input"
              data-field-input=""
              data-doc={doc}
              data-field={field.name}
              value={field.text}
              list={schema?.values ? `${id}-values` : undefined}
              aria-invalid={colour === 'red'}
              aria-required={schema?.required}
              aria-describedby={describedBy || undefined}
              autoComplete="off"
              spellCheck={false}
              onFocus={(e) => { onFocus(); e.currentTarget.select(); }}
              onChange={(e) => onText(e.target.value)}
              onKeyDown={onKeyDown}
            />
          )}
          {schema?.values && <datalist id={`${id}-values`}>{schema.values.map((v) => <option key={v} value={v} />)}</datalist>}
        </>
      ) : (
        <TableGrid id={id} doc={doc} field={field.name} rows={field.rows} columns={schema?.columns?.map((c) => c.name) ?? Object.keys(field.rows[0] ?? {})} onFocus={onFocus} onRows={onRows} onKeyDown={onKeyDown} />
      )}
      {stored && <p className="stored" id={storedId} data-testid="stored">{stored}</p>}
      {messages.length > 0 && <ul className="messages" id={messageId}>{messages.map((m) => <li key={m}>{m}</li>)}</ul>}
    </div>
  );
}
