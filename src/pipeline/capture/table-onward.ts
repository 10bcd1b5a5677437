/**
 * @module Whether a table goes on past a row that looks like its end. Two such rows
 * stand inside real tables: a group's subtotal ("Zwischensumme Titel 1", "Summe
 * Position 1–3") or a carried sum ("Übertrag"), which equal the sum of the items
 * above them; and a page footer (bank details, "Seite 1 von 2", a registered address
 * with its postcode) whose figures fall under the amount column far below the last
 * item. Ending the table there lost every later group and page (the synthetic ERP
 * layouts, test/capture/table-synthetic-erp.ts). The table goes on only when an item
 * follows: a row whose quantity × unit price gives its amount, before any row of the
 * `end` pattern, and not the table's first item again (a copy of the invoice on the
 * next page). A net total is followed by taxes and a gross total, never by such a row.
 * Also the items table.ts reads and the sums they are checked against (their printed
 * amounts, a subtotal of them, an allowance under one).
 */
import type { TableColumn } from '../../core/project.ts';
import type { Word } from '../../core/page.ts';
import { cellsOf } from './table-columns.ts';
import { cellNumber, decimalMark } from './table-figures.ts';
import type { HeaderHit } from './table-header.ts';
import { isNumberWord, type VisualRow } from './table-rows.ts';

export interface Item {
  cells: Map<string, Word[]>;
  words: Word[];
  page: number;
  /** Figures of the rows under it that reduce its amount (a line allowance: "abzgl. 16,7% Rabatt -2,00"). */
  allowances: Word[];
  /** The visual row it starts on. */
  row: number;
}

/** An item's amount as printed (its first figure in the anchor column), allowances not taken off. */
export function printedAmount(it: Item, anchor: HeaderHit, decimal: ',' | '.'): number {
  return cellNumber(it.cells.get(anchor.column.name)?.find((w) => isNumberWord(w.text))?.text ?? '', decimal) ?? 0;
}

/** An item's amount with its allowances taken off. */
function netAmount(it: Item, anchor: HeaderHit, decimal: ',' | '.'): number {
  return it.allowances.reduce((s, a) => s + (cellNumber(a.text, decimal) ?? 0), printedAmount(it, anchor, decimal));
}

/** A negative figure smaller than the positive amount of the item above it. */
export function isAllowance(w: Word, item: Item, anchor: HeaderHit): boolean {
  const decimal = decimalMark([...(item.cells.get(anchor.column.name) ?? []), w]);
  const value = cellNumber(w.text, decimal);
  const amount = netAmount(item, anchor, decimal);
  return value !== null && value < 0 && amount > 0 && -value < amount;
}

export function isSubtotal(text: string, items: readonly Item[], anchor: HeaderHit): boolean {
  const decimal = decimalMark([...items.flatMap((it) => it.cells.get(anchor.column.name) ?? [])]);
  const value = cellNumber(text, decimal);
  const sum = items.reduce((s, it) => s + netAmount(it, anchor, decimal), 0);
  return value !== null && Math.abs(value - sum) < 0.005 && value !== 0;
}

/** Rows searched for the next item: a page of items with notes under them. */
const AHEAD = 40;

export interface Figures {
  quantity: TableColumn;
  price: TableColumn;
  amount: TableColumn;
}

/** A row's first number under each figure column (as table.ts reads its cells), or null when one of the three is missing. */
export function rowFigures(row: VisualRow, hits: readonly HeaderHit[], figures: Figures): { q: number; p: number; a: number } | null {
  const cells = cellsOf(row, hits);
  const words = [figures.quantity, figures.price, figures.amount].map((c) => cells.get(c.name)?.find((w) => isNumberWord(w.text)));
  if (words.some((w) => w === undefined)) return null;
  const decimal = decimalMark(words as Word[]);
  const [q, p, a] = (words as Word[]).map((w) => cellNumber(w.text, decimal));
  return q === null || p === null || a === null || q === undefined || p === undefined || a === undefined ? null : { q, p, a };
}

/** Whether quantity × unit price gives the amount (within 1 %, at least a cent), a non-zero one. */
function priced(f: { q: number; p: number; a: number }): boolean {
  return f.a !== 0 && Math.abs(f.q * f.p - f.a) <= Math.max(0.01, 0.01 * Math.abs(f.a));
}

/**
 * The index of the next item row from `from` on (at most AHEAD rows, on page `page` when given,
 * else across pages), or -1 when a row of the `end` pattern comes first, none is found, or the
 * first found repeats the table's first item (`first`: its quantity and amount), as a copy of
 * the invoice does.
 */
export function nextItemRow(rows: readonly VisualRow[], from: number, hits: readonly HeaderHit[], figures: Figures, ends: (row: VisualRow) => boolean, first: { q: number; a: number } | null, page?: number): number {
  for (let i = from; i < Math.min(rows.length, from + AHEAD); i++) {
    const row = rows[i] as VisualRow;
    if (ends(row) || (page !== undefined && row.page !== page)) return -1;
    const f = rowFigures(row, hits, figures);
    if (!f || !priced(f)) continue;
    return first && Math.abs(f.q - first.q) < 1e-9 && Math.abs(f.a - first.a) < 0.005 ? -1 : i;
  }
  return -1;
}

/**
 * Where the table goes on after a page footer met at row `at`: the first row of the next page,
 * when the rest of this page prints no total (no row starting with the `end` pattern, `closes`,
 * and no figure equal to the items' sum `sum`) and the next page has an item (nextItemRow); else
 * -1. A footer's middle block may start with an end word ("VAT ID DE 123…") where the table's
 * columns start: only the whole row's start counts here.
 */
export function nextPageStart(rows: readonly VisualRow[], at: number, sum: number, hits: readonly HeaderHit[], figures: Figures, ends: (row: VisualRow) => boolean, first: { q: number; a: number } | null, closes: (row: VisualRow) => boolean): number {
  const page = (rows[at] as VisualRow).page;
  const start = rows.findIndex((r, i) => i > at && r.page !== page);
  if (start < 0 || (rows[start] as VisualRow).page !== page + 1) return -1;
  for (let i = at; i < start; i++) {
    const row = rows[i] as VisualRow;
    const decimal = decimalMark(row.words);
    if (closes(row) || row.words.some((w) => isNumberWord(w.text) && sum !== 0 && Math.abs((cellNumber(w.text, decimal) ?? Number.NaN) - sum) < 0.005)) return -1;
  }
  return nextItemRow(rows, start, hits, figures, ends, first) >= 0 ? start : -1;
}
