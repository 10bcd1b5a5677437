/**
 * @module A table field (line items) as a grid driven by keys (docs/portal.md#keyboard): Tab and
 * Shift+Tab go cell to cell inside it (the whole grid is one field; the field's own
 * Tab jump would skip the rest of the rows), ↑ / ↓ go to the same column in the row
 * above or below, Alt+I adds a row below, Alt+K removes the current row, Enter
 * confirms the table and moves on (Shift+Enter starts a line in a wrapped cell).
 * Each column is as wide as its longest value, up to 18 characters; longer values,
 * and values over several lines, are edited in text areas as high as their text, their
 * line breaks kept, so no description is cut and the whole grid fits the fields
 * panel. Each cell names its document, field and column, so the page can fill the
 * cell last focused (grid-pick.ts).
 */
import { useRef, type KeyboardEvent } from 'react';
import type { TableRow } from '../api/types.ts';

interface Props {
  id: string;
  doc: number;
  field: string;
  rows: TableRow[];
  columns: string[];
  onFocus(): void;
  onRows(r: TableRow[]): void;
  onKeyDown(e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void;
}

/** Characters of the widest column; longer values wrap. */
const WRAP = 18;

export function TableGrid({ id, doc, field, rows, columns, onFocus, onRows, onKeyDown }: Props) {
  const grid = useRef<HTMLDivElement>(null);
  const set = (r: number, c: string, v: string) => onRows(rows.map((row, i) => (i === r ? { ...row, [c]: v === '' ? null : v } : row)));
  const empty = (): TableRow => Object.fromEntries(columns.map((c) => [c, null]));
  const text = (row: TableRow, c: string) => (row[c] === null || row[c] === undefined ? '' : String(row[c]));
  // One width per column, that of its longest printed line (4 to 18 characters), so the columns line up and the
  // whole grid fits the fields panel at 1440 px (its amounts were scrolled out of sight at 48 characters).
  const longest = new Map(columns.map((c) => [c, Math.max(0, ...rows.flatMap((row) => text(row, c).split('\n').map((l) => l.length)))]));
  const widths = new Map(columns.map((c) => [c, Math.min(WRAP, Math.max(4, longest.get(c) ?? 0))]));
  // A column holding a value over several lines ("Widgets\nBlue, large") or longer than the width is edited in text areas,
  // wrapped and as high as their text: a one-line input drops the line breaks and hides the rest.
  const multi = new Set(columns.filter((c) => (longest.get(c) ?? 0) > WRAP || rows.some((row) => text(row, c).includes('\n'))));
  const height = (row: TableRow, c: string) => text(row, c).split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / (widths.get(c) ?? WRAP))), 0);
  // Focus a cell after the rows change (the new row is rendered on the next frame).
  const focusCell = (r: number, c: number) => requestAnimationFrame(() => grid.current?.querySelector<HTMLElement>(`[data-cell="${r}:${c}"]`)?.focus());

  function key(r: number, c: number, e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) {
    const alt = e.altKey && !e.ctrlKey && !e.metaKey;
    if (alt && (e.code === 'KeyI' || e.code === 'Insert')) {
      e.preventDefault();
      e.stopPropagation();
      onRows([...rows.slice(0, r + 1), empty(), ...rows.slice(r + 1)]);
      return focusCell(r + 1, 0);
    }
    if (alt && (e.code === 'KeyK' || e.code === 'Delete')) {
      e.preventDefault();
      e.stopPropagation();
      onRows(rows.filter((_, i) => i !== r));
      return focusCell(Math.max(0, Math.min(r, rows.length - 2)), c);
    }
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      const to = r + (e.key === 'ArrowDown' ? 1 : -1);
      if (to < 0 || to >= rows.length) return;
      e.preventDefault();
      return focusCell(to, c);
    }
    // Tab stays the browser's: cell to cell, then out of the grid after its last control. Shift+Enter in a text area starts a line.
    if (e.key === 'Tab' || (e.key === 'Enter' && e.shiftKey && e.currentTarget.tagName === 'TEXTAREA')) return;
    onKeyDown(e);
  }

  return (
    <div className="table-field" ref={grid}>
      <table aria-label="Rows" aria-describedby={`${id}-grid-keys`}>
        <thead><tr>{columns.map((c) => <th key={c} scope="col">{c.replace(/_/g, ' ')}</th>)}<th><span className="sr-only">Remove</span></th></tr></thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {columns.map((c, ci) => (
                <td key={c}>
                  {(() => {
                    const props = {
                      id: r === 0 && ci === 0 ? id : undefined,
                      'data-cell': `${r}:${ci}`,
                      'data-doc': doc,
                      'data-field': field,
                      'data-column': c,
                      'aria-label': `row ${r + 1} ${c.replace(/_/g, ' ')}`,
                      'data-field-input': r === 0 && ci === 0 ? '' : undefined,
                      style: { width: `calc(${widths.get(c) ?? 4}ch + 1.2rem)` },
                      value: text(row, c),
                      onFocus,
                    };
                    return multi.has(c)
                      ? <textarea {...props} rows={height(row, c)} onChange={(e) => set(r, c, e.target.value)} onKeyDown={(e) => key(r, ci, e)} />
                      : <input {...props} onChange={(e) => set(r, c, e.target.value)} onKeyDown={(e) => key(r, ci, e)} />;
                  })()}
                </td>
              ))}
              <td><button type="button" className="ghost small" aria-label={`Remove row ${r + 1}`} aria-keyshortcuts="Alt+K" onClick={() => onRows(rows.filter((_, i) => i !== r))}>×</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small-text" id={`${id}-grid-keys`}>↑ ↓ rows · Alt+I add a row below · Alt+K remove the row · Alt+W a word from the page · drag over rows to fill the column</p>
      <button type="button" className="ghost small" aria-keyshortcuts="Alt+I" onClick={() => { onRows([...rows, empty()]); focusCell(rows.length, 0); }}>+ Row</button>
    </div>
  );
}
