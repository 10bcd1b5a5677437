/**
 * @module Tables printed without a header row (an insurer's premium lines, a short
 * list of services): the items are found by their figures. On a page, the amounts of
 * the items stand in one column (one right edge), one under the other, and the next
 * figure of that column is their sum ("Gesamtbeitrag 1.000,00", "Beitrag inklusive
 * Versicherungsteuer 220,00"). The longest such run of rows, ending in its sum, is the
 * table: its amount column is that column, its quantity and unit price the columns
 * where quantity × price = amount on its rows (table-columns.ts), and its description
 * what the rows print left of their figures. table.ts reads the items as under a header
 * and cuts the sum off. A totals block (net, tax, gross: net + tax = gross) is no table:
 * rows whose words say total, sum, VAT or tax (the table's `end` pattern) are no items.
 */
import type { TableColumn, TableSpec } from '../../core/project.ts';
import { projectPattern } from '../../core/project/pattern.ts';
import { cellNumber, decimalMark } from './table-figures.ts';
import { figureColumns, figureRoles, type FigureColumn } from './table-columns.ts';
import type { Header, HeaderHit } from './table-header.ts';
import { isNumberWord, type VisualRow } from './table-rows.ts';

interface Run {
  column: FigureColumn;
  /** Row indexes of the items, top to bottom. */
  items: number[];
  /** Row index of their sum. */
  sum: number;
}

/** The longest run of a column's figures that the column's next figure sums, with no totals row among them. */
function longestRun(column: FigureColumn, rows: readonly VisualRow[], ends: (row: VisualRow) => boolean): Run | null {
  const at = [...column.cells.keys()].sort((a, b) => a - b);
  const decimal = decimalMark([...column.cells.values()]);
  const values = at.map((i) => cellNumber((column.cells.get(i) as { text: string }).text, decimal) ?? Number.NaN);
  // Figures that sum those just above them are subtotals, no items: the net total over a tax line and the gross total is a totals block.
  const sums = new Set<number>();
  for (let e = 1; e < at.length; e++) {
    for (let s = e - 1, sum = 0; s >= 0; s--) {
      sum += values[s] as number;
      if (values[e] !== 0 && Math.abs((values[e] as number) - sum) < 0.005) sums.add(e);
    }
  }
  let best: Run | null = null;
  for (let s = 0; s < at.length; s++) {
    let sum = 0;
    for (let e = s; e < at.length - 1; e++) {
      const row = rows[at[e] as number] as VisualRow;
      // An item prints words left of its figures (its description), and no totals word.
      if (sums.has(e) || ends(row) || !row.words.some((w) => !isNumberWord(w.text) && w.box.x + w.box.w < column.x0)) break;
      sum += values[e] as number;
      const total = values[e + 1] as number;
      if (total !== 0 && Math.abs(total - sum) < 0.005 && (!best || e + 1 - s > best.items.length)) best = { column, items: at.slice(s, e + 1), sum: at[e + 1] as number };
    }
  }
  return best;
}

/**
 * A header for a table printed without one, placed just above its first item, with
 * the columns its figures show; null when no page holds a run of amounts and their sum.
 */
export function headerlessHeader(rows: readonly VisualRow[], spec: TableSpec): Header | null {
  const columns = spec.columns;
  const text = columns.find((c) => c.type === 'text');
  const amounts = columns.filter((c) => c.type === 'amount');
  const amount = amounts[amounts.length - 1];
  if (!text || !amount) return null;
  const end = spec.end !== null ? projectPattern(spec.end, 'i') : null;
  const ends = (row: VisualRow): boolean => end?.test(row.text) === true;
  let best: Run | null = null;
  for (const page of new Set(rows.map((r) => r.page))) {
    const from = rows.findIndex((r) => r.page === page);
    const to = rows.findLastIndex((r) => r.page === page) + 1;
    for (const column of figureColumns(rows, from, to)) {
      const run = longestRun(column, rows, ends);
      if (run && (!best || run.items.length > best.items.length)) best = run;
    }
  }
  if (!best) return null;
  const first = best.items[0] as number;
  if (first === 0) return null;
  const hit = (column: TableColumn, c: { x0: number; x1: number }): HeaderHit => ({ column, x0: c.x0, x1: c.x1, sim: 0.5 });
  const hits: HeaderHit[] = [hit(amount, best.column)];
  // Quantity and price where they multiply to the amounts of these rows (a run of one item needs that to hold there too).
  const run = best;
  const roles = figureRoles(figureColumns(rows, first, run.sum + 1).filter((c) => c.x1 <= run.column.x1 + 1));
  const quantity = columns.find((c) => c.type === 'number');
  const price = amounts.find((c) => c !== amount);
  if (roles && roles.amount.x0 <= run.column.x1 && roles.amount.x1 >= run.column.x0 && quantity && price) hits.push(hit(quantity, roles.quantity), hit(price, roles.price));
  const left = Math.min(...best.items.map((i) => (rows[i] as VisualRow).words[0]?.box.x ?? 0));
  hits.push({ ...hit(text, { x0: left, x1: left + 1 }), from: -Infinity });
  return { index: first - 1, last: first - 1, hits: hits.sort((a, b) => a.x0 - b.x0), spare: [], until: run.sum };
}
