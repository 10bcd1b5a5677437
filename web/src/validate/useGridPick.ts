/**
 * @module The grid's page tools on the validation screen (grid-pick.ts): it keeps the
 * table cell last focused (the focus leaves it for the viewer when the page is
 * clicked), puts a clicked word into it or a dragged column of printed rows into its
 * column from its row down, and steps it through the words near where it is expected
 * with Alt+W, as fields do (pick.ts). A table field with no cell focused yet takes
 * its first row's first cell.
 */
import { useEffect, useRef, type MutableRefObject } from 'react';
import type { Box, PageWords, TableRow } from '../api/types.ts';
import { setRows, type Target } from './draft.ts';
import { cellNear, cellOf, fillColumn, type GridCell } from './grid-pick.ts';
import { nextPick, type PickCursor } from './pick.ts';
import type { useDraft } from './useDraft.ts';

export function useGridPick(draft: ReturnType<typeof useDraft>, current: Target | null, page: number, words: PageWords | undefined, setPicked: (b: Box | null) => void) {
  const cellAt = useRef<GridCell | null>(null);
  const pickAt: MutableRefObject<PickCursor> = useRef({ key: '', i: -1 });

  useEffect(() => {
    const h = (e: FocusEvent) => {
      const c = cellOf(e.target as Element | null);
      if (c) cellAt.current = c;
    };
    document.addEventListener('focusin', h);
    return () => document.removeEventListener('focusin', h);
  }, []);

  /** The current field's rows and the cell to fill, when the current field is a table. */
  function target(): { cell: GridCell; rows: TableRow[] } | null {
    if (!current || !('field' in current)) return null;
    const f = draft.ref.current[current.doc]?.fields.find((x) => x.name === current.field);
    if (!f || f.rows === null) return null;
    const last = cellAt.current;
    const own = last && last.doc === current.doc && last.field === current.field ? last : null;
    const first = Object.keys(f.rows[0] ?? {})[0];
    const cell = own ?? (first ? { doc: current.doc, field: current.field, row: 0, column: first } : null);
    return cell ? { cell, rows: f.rows } : null;
  }

  function put(cell: GridCell, rows: TableRow[], refocus: boolean) {
    draft.dirty.current = true;
    const d = setRows(draft.ref.current, cell.doc, cell.field, rows);
    draft.setDocs(d);
    void draft.check(d);
    if (!refocus) return;
    // Back to the cell filled, once the rows are rendered, so typing or Alt+W goes on from it.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-doc="${cell.doc}"][data-field="${cell.field}"][data-column="${cell.column}"][data-cell^="${cell.row}:"]`)?.focus());
  }

  /** A word clicked or a box dragged on the page; false when the current field is no table. */
  function pick(text: string, lines: string[]): boolean {
    const t = target();
    if (!t) return false;
    const columns = [...new Set([...Object.keys(t.rows[0] ?? {}), t.cell.column])];
    put(t.cell, fillColumn(t.rows, columns, t.cell.row, t.cell.column, lines.length > 1 ? lines : [text]), true);
    return true;
  }

  /** Alt+W / Alt+Shift+W in a table: the next word or line nearest where the cell is expected; false when the current field is no table. */
  function pickNear(kind: 'word' | 'line'): boolean {
    const t = target();
    if (!t) return false;
    if (!words) return true;
    const f = draft.ref.current[t.cell.doc]?.fields.find((x) => x.name === t.cell.field);
    const near = cellNear(words, f?.original.areas ?? [], t.rows, t.cell.row, t.cell.column, page);
    const next = nextPick(words, near, kind, `${t.cell.doc}/${t.cell.field}/${t.cell.row}/${t.cell.column}/${kind}/${page}`, pickAt.current);
    if (!next) return true;
    pickAt.current = next.cursor;
    put(t.cell, fillColumn(t.rows, Object.keys(t.rows[0] ?? {}), t.cell.row, t.cell.column, [next.item.text]), false);
    setPicked(next.item.box);
    return true;
  }

  return { pick, pickNear };
}
