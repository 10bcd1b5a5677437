/**
 * @module Filling line items from the page (docs/portal.md#keyboard): the grid's tools
 * beside the fields' own picking (pick.ts). A word clicked, or stepped to with Alt+W,
 * fills the focused cell; a box dragged over several printed rows fills the focused
 * cell's column from that row down, one printed row per table row (adding rows when
 * the box holds more than the table has), so a column the extraction missed takes
 * one drag instead of a click and a typed value per row (a review rebuilt a 5-line
 * table with 54 clicks and 202 keys). Alt+W looks first where the cell is expected:
 * on its row's source box, under the words that hold the same column's values in
 * the other rows.
 */
import type { Area, Box, PageWords, TableRow } from '../api/types.ts';

/** The cell last focused in a table field: which document, field, row and column. */
export interface GridCell {
  doc: number;
  field: string;
  row: number;
  column: string;
}

/** The grid cell an element stands for (its data attributes), or null for any other element. */
export function cellOf(el: Element | null): GridCell | null {
  const at = el?.getAttribute('data-cell');
  const doc = el?.getAttribute('data-doc');
  const field = el?.getAttribute('data-field');
  const column = el?.getAttribute('data-column');
  if (!at || doc == null || !field || !column) return null;
  return { doc: Number(doc), field, row: Number(at.split(':')[0]), column };
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * The words inside a box as printed rows, top to bottom: words whose vertical centres
 * lie within half a word height of a row's are that row's, read left to right.
 */
export function linesIn(words: PageWords, box: Box): string[] {
  const hit = words.words.filter((w) => w.text.trim() !== '' && intersects(w.box, box));
  hit.sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  const rows: { mid: number; h: number; words: typeof hit }[] = [];
  for (const w of hit) {
    const mid = w.box.y + w.box.h / 2;
    const last = rows[rows.length - 1];
    if (last && Math.abs(mid - last.mid) <= Math.min(last.h, w.box.h) / 2) last.words.push(w);
    else rows.push({ mid, h: w.box.h, words: [w] });
  }
  return rows.map((r) => r.words.sort((a, b) => a.box.x - b.box.x).map((w) => w.text).join(' '));
}

function emptyRow(columns: readonly string[]): TableRow {
  return Object.fromEntries(columns.map((c) => [c, null]));
}

/** `texts` into `column` from row `from` down, one per row, adding empty rows past the last. */
export function fillColumn(rows: readonly TableRow[], columns: readonly string[], from: number, column: string, texts: readonly string[]): TableRow[] {
  const out = rows.map((r) => ({ ...r }));
  texts.forEach((t, i) => {
    while (out.length <= from + i) out.push(emptyRow(columns));
    (out[from + i] as TableRow)[column] = t === '' ? null : t;
  });
  return out;
}

/** The digits of a value as printed with 0 to 4 decimals, to find a cell's figure among the page's words ("1.198,00" holds 1198). */
function printedAs(word: string, value: string | number): boolean {
  const digits = (s: string) => s.replace(/\D/g, '');
  const w = digits(word);
  if (w === '') return false;
  if (typeof value === 'number') return [0, 1, 2, 3, 4].some((n) => digits(Math.abs(value).toFixed(n)) === w);
  const first = value.trim().split(/\s+/)[0] ?? '';
  return first !== '' && word.trim() === first;
}

/**
 * Where a cell is expected on `page`: its row's source box (the table's areas are one
 * per row), narrowed to the column's place, which the same column's values of the
 * other rows show (the median centre of their words). Without a box for the row, the
 * table's boxes; none at all gives [] (reading order).
 */
export function cellNear(words: PageWords, areas: readonly Area[], rows: readonly TableRow[], row: number, column: string, page: number): Box[] {
  const onPage = areas.map((a, i) => ({ a, i })).filter((x) => x.a.page === page);
  if (onPage.length === 0) return [];
  const xs: number[] = [];
  for (const { a, i } of onPage) {
    const v = rows[i]?.[column];
    if (i === row || v === null || v === undefined || v === '') continue;
    const w = words.words.find((x) => intersects(x.box, a.box) && printedAs(x.text, v));
    if (w) xs.push(w.box.x + w.box.w / 2);
  }
  xs.sort((a, b) => a - b);
  const x = xs[Math.floor(xs.length / 2)];
  const own = onPage.find((p) => p.i === row)?.a.box;
  const boxes = own ? [own] : onPage.map((p) => p.a.box);
  return x === undefined ? boxes : boxes.map((b) => ({ x: x - 1, y: b.y, w: 2, h: b.h }));
}
