/**
 * @module Figure columns found from the figures, not from the header's words. A header
 * names its columns in the issuer's words ("Einzel/€", "Gesamt/€", "Price w/o Tax"),
 * and no list of words holds every issuer's; the figures under it are aligned on their
 * right edges whatever the words. So the numbers below a header are grouped by right
 * edge into columns, and the roles quantity, unit price and amount go to the three
 * columns under which most rows add up (quantity × unit price = amount). table.ts keeps
 * that reading when more rows add up under it than under the header's own words; it
 * is arithmetic, so it holds for any issuer's layout and language. Also the column a
 * word belongs to under a reading, and a row's cells.
 */
import type { TableColumn } from '../../core/project.ts';
import type { Word } from '../../core/page.ts';
import { cellNumber, decimalMark } from './table-figures.ts';
import { isNumberWord, isQuantityWord, isRate, rowHeight, type VisualRow } from './table-rows.ts';
import type { HeaderHit } from './table-header.ts';

/** Numbers sharing a right edge: the row index each came from, and the span they cover. */
export interface FigureColumn {
  x0: number;
  x1: number;
  /** Row index → the column's number in that row. */
  cells: Map<number, Word>;
}

/** The numbers of rows `from` up to `to` (exclusive), grouped by right edge (within 0.6 of a row's height); columns of at least two rows. */
export function figureColumns(rows: readonly VisualRow[], from: number, to: number): FigureColumn[] {
  const columns: (FigureColumn & { right: number })[] = [];
  for (let i = from; i < Math.min(to, rows.length); i++) {
    const row = rows[i] as VisualRow;
    const h = rowHeight(row);
    for (const w of row.words) {
      if (!isNumberWord(w.text) || isRate(w.text)) continue;
      const right = w.box.x + w.box.w;
      const column = columns.find((c) => Math.abs(c.right - right) <= 0.6 * h);
      if (!column) columns.push({ right, x0: w.box.x, x1: right, cells: new Map([[i, w]]) });
      else if (!column.cells.has(i)) {
        column.cells.set(i, w);
        column.x0 = Math.min(column.x0, w.box.x);
        column.x1 = Math.max(column.x1, right);
      }
    }
  }
  return columns.filter((c) => c.cells.size >= 2).map(({ x0, x1, cells }) => ({ x0, x1, cells }));
}

export interface Roles {
  quantity: FigureColumn;
  price: FigureColumn;
  amount: FigureColumn;
  /** Rows whose quantity × price gives their amount. */
  adding: number;
}

/**
 * The columns that read as quantity, unit price and amount: the triple under which most
 * rows add up (within 1 %, at least a cent), the price left of the amount. Ties go to the
 * amount furthest right (the line total closes an item's row), then to the quantity
 * left of the price. Null when no row adds up under any triple.
 */
export function figureRoles(columns: readonly FigureColumn[]): Roles | null {
  const decimal = decimalMark(columns.flatMap((c) => [...c.cells.values()]));
  // Each figure read once: the triples below look each up many times.
  const values = new Map(columns.map((c) => [c, new Map([...c.cells].map(([i, w]) => [i, cellNumber(w.text, decimal)]))]));
  let best: Roles | null = null;
  for (const amount of columns) {
    const as = [...(values.get(amount) as Map<number, number | null>)].filter((e): e is [number, number] => e[1] !== null && e[1] !== 0);
    for (const price of columns) {
      if (price === amount || price.x1 >= amount.x1) continue;
      const ps = values.get(price) as Map<number, number | null>;
      for (const quantity of columns) {
        if (quantity === price || quantity === amount) continue;
        const qs = values.get(quantity) as Map<number, number | null>;
        let adding = 0;
        for (const [i, a] of as) {
          const q = qs.get(i);
          const p = ps.get(i);
          if (typeof q === 'number' && typeof p === 'number' && Math.abs(q * p - a) <= Math.max(0.01, 0.01 * Math.abs(a))) adding++;
        }
        const better = !best || adding > best.adding || (adding === best.adding && (amount.x1 > best.amount.x1 || (amount === best.amount && quantity.x1 < price.x1 && best.quantity.x1 > best.price.x1)));
        if (adding > 0 && better) best = { quantity, price, amount, adding };
      }
    }
  }
  return best;
}

/**
 * A reading of the table's columns from its figures: the text columns as the header
 * (or `text`) places them, and the quantity, unit price and amount columns where
 * figureRoles finds them among the rows `from` up to `to`. Null without such a triple.
 */
export function figureReading(rows: readonly VisualRow[], from: number, to: number, columns: readonly TableColumn[], text: readonly HeaderHit[]): HeaderHit[] | null {
  const quantity = columns.find((c) => c.type === 'number');
  const amounts = columns.filter((c) => c.type === 'amount');
  const amount = amounts[amounts.length - 1];
  const price = amounts.find((c) => c !== amount);
  if (!quantity || !amount || !price) return null;
  const roles = figureRoles(figureColumns(rows, from, to));
  if (!roles) return null;
  const hit = (column: TableColumn, c: FigureColumn): HeaderHit => ({ column, x0: c.x0, x1: c.x1, sim: 0.5 });
  return [...text.filter((x) => x.column.type === 'text'), hit(quantity, roles.quantity), hit(price, roles.price), hit(amount, roles.amount)].sort((a, b) => a.x0 - b.x0);
}

/**
 * The column a word belongs to under these headers, or null (a column the table does
 * not keep, such as the VAT rate: a word with "%" belongs to none). `near` marks a
 * number placed by distance rather than overlap, kept only when its column has no
 * overlapping number in the row.
 */
export function columnOf(w: Word, hits: readonly HeaderHit[], h: number): { column: TableColumn; near: boolean } | null {
  const x0 = w.box.x;
  const x1 = w.box.x + w.box.w;
  if (isRate(w.text)) return null;
  if (isNumberWord(w.text)) {
    let best: { column: TableColumn; overlap: number } | null = null;
    for (const hit of hits) {
      if (hit.column.type === 'text') continue;
      const overlap = Math.min(x1, hit.x1 + h / 2) - Math.max(x0, hit.x0 - h / 2);
      if (overlap > 0 && (!best || overlap > best.overlap)) best = { column: hit.column, overlap };
    }
    if (best) return { column: best.column, near: false };
    // No overlap: the nearest numeric header within two heights (a column whose figures sit a little off their header).
    let near: { column: TableColumn; gap: number } | null = null;
    for (const hit of hits) {
      const gap = Math.max(hit.x0 - x1, x0 - hit.x1);
      if (hit.column.type !== 'text' && gap < 2 * h && (!near || gap < near.gap)) near = { column: hit.column, gap };
    }
    if (near) return { column: near.column, near: true };
  }
  // A quantity with its unit in one word ("5kg") under the quantity's header is that column's, not a description's.
  if (isQuantityWord(w.text)) {
    const under = hits.find((hit) => hit.column.type === 'number' && Math.min(x1, hit.x1 + h / 2) - Math.max(x0, hit.x0 - h / 2) > 0);
    if (under) return { column: under.column, near: false };
  }
  const cx = (x0 + x1) / 2;
  for (const [i, hit] of hits.entries()) {
    if (hit.column.type !== 'text') continue;
    const next = hits[i + 1];
    // Left of its header, a description starts where the header row leaves room; a lone figure there is a position number.
    // A figure under the header word left of it ("Nr." over the position numbers) is that column's, not the description's.
    const from = isNumberWord(w.text) ? Math.max(hit.x0 - 2 * h, hit.from ?? -Infinity) : Math.min(hit.x0 - 2 * h, hit.from ?? -Infinity);
    if (cx >= from && (!next || cx < next.x0 - h / 2)) return { column: hit.column, near: false };
  }
  return null;
}

/** A row's words by the column each belongs to; a number placed only by nearness yields to one overlapping its column. */
export function cellsOf(row: VisualRow, hits: readonly HeaderHit[]): Map<string, Word[]> {
  const h = rowHeight(row);
  const cells = new Map<string, Word[]>();
  const near = new Map<string, Word[]>();
  let prev: { w: Word; column: TableColumn | null } | null = null;
  for (const w of row.words) {
    let c = columnOf(w, hits, h);
    // A description printed past its column's end ("D. Muster" over the quantity's header), or a figure within it left of its header ("POT KETCHUP 3 LT"):
    // a word in no column, one space after a word of a text column, is that column's.
    if (!c && prev?.column?.type === 'text' && !isRate(w.text) && w.box.x - (prev.w.box.x + prev.w.box.w) < 0.8 * h) c = { column: prev.column, near: false };
    const into = c?.near === true ? near : cells;
    if (c) into.set(c.column.name, [...(into.get(c.column.name) ?? []), w]);
    prev = { w, column: c?.column ?? null };
  }
  for (const [name, ws] of near) if (!cells.has(name)) cells.set(name, ws);
  return cells;
}
