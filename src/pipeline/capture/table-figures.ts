/**
 * @module The figures of a table: the decimal mark the table uses (one per table, told
 * by its figures: "9,9000" and "5,50" are comma decimals, so "1.198,00" is 1198), a
 * cell's number read with it, and where the items end when a subtotal was read into
 * the rows (the items add up to it: an invoice's lines sum to its net total), and
 * whether each row's quantity times unit price gives its amount.
 */
import type { TableRow } from '../../core/capture.ts';
import type { TableColumn } from '../../core/project.ts';
import type { Word } from '../../core/page.ts';
import { isNumberWord } from './table-rows.ts';

/** The decimal mark of the table's figures: a comma when some figure ends in a comma and one, two or four digits ("9,90", "5,5000"), else a point. */
export function decimalMark(words: readonly Word[]): ',' | '.' {
  return words.some((w) => /,\d{1,2}$|,\d{4,}$/.test(w.text) && isNumberWord(w.text)) ? ',' : '.';
}

/** A cell's figure with the table's decimal mark: "1.234,50" → 1234.5, "(12.00)" and "12.00-" → -12. */
export function cellNumber(text: string, decimal: ',' | '.'): number | null {
  const negative = /^\(|^-|-$|\)$/.test(text.trim());
  const group = decimal === ',' ? /[.' ]/g : /[,' ]/g;
  const digits = text.replace(/[^\d.,' ]/g, '').replace(group, '').replace(',', '.');
  const n = digits === '' ? Number.NaN : Number(digits);
  return Number.isFinite(n) ? (negative ? -n : n) : null;
}

/**
 * How many leading rows are items: `j` rows whose amounts add up to a figure of a
 * later row that is not itself an item (the subtotal, or a tax breakdown's base,
 * read into the table before the end pattern); all rows when no later row holds such a sum.
 */
export function itemsBeforeSubtotal(rows: readonly TableRow[], amount: string, quantity?: string, price?: string): number {
  const sums = [0];
  for (const r of rows) sums.push((sums[sums.length - 1] as number) + (typeof r[amount] === 'number' ? r[amount] : 0));
  // A row whose quantity times unit price gives its amount is an item, whatever it adds up to (2.50 + 5.00 before an item of 7.50):
  // the cut comes after the last such row, as early as a later figure allows (a gross total also sums the tax rows read in).
  // Without such rows, the latest cut a later figure allows.
  const hit = (j: number): boolean => {
    const sum = sums[j] as number;
    return sum !== 0 && rows.slice(j).some((r) => adds(r, amount, quantity, price) !== true && Object.values(r).some((v) => typeof v === 'number' && Math.abs(v - sum) < 0.005));
  };
  const lastItem = rows.findLastIndex((r) => adds(r, amount, quantity, price) === true);
  if (lastItem >= 0) {
    for (let j = lastItem + 1; j < rows.length; j++) if (hit(j)) return j;
    return rows.length;
  }
  for (let j = rows.length - 1; j >= 1; j--) if (hit(j)) return j;
  return rows.length;
}

/** Whether quantity × unit price gives the amount (within 1 %, at least a cent); null when a figure is missing. */
export function adds(r: TableRow, amount: string, quantity?: string, price?: string): boolean | null {
  const [q, p, a] = [quantity === undefined ? null : r[quantity], price === undefined ? null : r[price], r[amount]];
  if (typeof q !== 'number' || typeof p !== 'number' || typeof a !== 'number') return null;
  return Math.abs(q * p - a) <= Math.max(0.01, 0.01 * Math.abs(a));
}

/** The share of rows whose figures add up, among those that have all three; 1 when none has. */
export function arithmeticAgreement(rows: readonly TableRow[], amount: string, quantity?: string, price?: string): number {
  const checked = rows.map((r) => adds(r, amount, quantity, price)).filter((x): x is boolean => x !== null);
  return checked.length === 0 ? 1 : checked.filter(Boolean).length / checked.length;
}

/** The columns a table's figures are checked with, as table.ts reads them: its first number column (quantity), its last amount column (the line amount) and another amount column (the unit price). */
export function figureNames(columns: readonly TableColumn[]): { quantity?: string; price?: string; amount?: string } {
  const amounts = columns.filter((c) => c.type === 'amount');
  const amount = amounts[amounts.length - 1];
  return { quantity: columns.find((c) => c.type === 'number')?.name, price: amounts.find((c) => c !== amount)?.name, amount: amount?.name };
}

/** Whether every row prints its quantity, unit price and amount and quantity × unit price gives the amount: rows internally consistent, read into the right columns. */
export function rowsAddUp(columns: readonly TableColumn[], rows: readonly TableRow[]): boolean {
  const { quantity, price, amount } = figureNames(columns);
  return amount !== undefined && rows.length > 0 && rows.every((r) => adds(r, amount, quantity, price) === true);
}

/**
 * The item's net unit price (EN 16931 BT-146, what an e-invoice's line states) where the page
 * prints the gross price and a discount: quantity × printed price exceeds the amount, and the
 * item shows why, by an allowance row taken off its amount (`discounted`) or by a rate printed
 * on its row that gives the amount from quantity × price ("5 × 4,55 − 10 % = 20,48"). The price
 * becomes amount ÷ quantity, to the printed price's decimals; any other row is left as printed
 * (a misread figure is not hidden by arithmetic).
 */
export function netPrice(r: TableRow, names: { quantity?: string; price?: string; amount?: string }, discounted: boolean, rates: readonly number[], decimals: number): TableRow {
  const { quantity, price, amount } = names;
  if (quantity === undefined || price === undefined || amount === undefined) return r;
  const [q, p, a] = [r[quantity], r[price], r[amount]];
  if (typeof q !== 'number' || typeof p !== 'number' || typeof a !== 'number' || q === 0 || adds(r, amount, quantity, price) !== false) return r;
  const gross = Math.abs(q * p);
  if (Math.abs(a) >= gross) return r;
  const byRate = rates.some((rate) => rate > 0 && rate < 100 && Math.abs(gross * (1 - rate / 100) - Math.abs(a)) <= Math.max(0.01, 0.005 * Math.abs(a)));
  if (!discounted && !byRate) return r;
  const scale = 10 ** Math.max(2, decimals);
  return { ...r, [price]: (Math.sign(p) || 1) * (Math.round((Math.abs(a / q) + 1e-9) * scale) / scale) };
}

/**
 * Rows with an amount alone among items that print a quantity or price (`priced`): a note's
 * figure, an order number in the amount column, a carried-over sum. Their indices, to drop,
 * when the page's own total confirms it: a figure printed below the items (`below`) equals
 * the sum of the other rows and none equals the sum of all (an invoice's lines add up to its
 * net total, EN 16931 BT-106); none otherwise.
 */
export function unsummedRows(values: readonly TableRow[], amount: string, priced: (r: TableRow) => boolean, below: readonly number[]): Set<number> {
  const alone = new Set(values.flatMap((r, i) => (!priced(r) && typeof r[amount] === 'number' ? [i] : [])));
  if (alone.size === 0 || values.filter(priced).length < 2) return new Set();
  const sum = (keep: (i: number) => boolean): number => Math.round(100 * values.reduce((s, r, i) => s + (keep(i) && typeof r[amount] === 'number' ? r[amount] : 0), 0)) / 100;
  const all = sum(() => true);
  const rest = sum((i) => !alone.has(i));
  const printed = (n: number): boolean => below.some((b) => Math.abs(b - n) < 0.005);
  return rest !== 0 && !printed(all) && printed(rest) ? alone : new Set();
}

/**
 * A row that prints its amount alone, in a table with quantity and unit price columns, is one
 * unit at that amount: EN 16931 requires both on every line (BT-129, BT-146), and an invoice's
 * XML states 1 × amount for a fee or premium printed as a sum ("Wohngebäudeversicherung 1.000,00").
 */
export function oneUnit(r: TableRow, names: { quantity?: string; price?: string; amount?: string }): TableRow {
  const { quantity, price, amount } = names;
  if (quantity === undefined || price === undefined || amount === undefined) return r;
  const a = r[amount];
  if (typeof a !== 'number' || a === 0 || (r[quantity] ?? null) !== null || (r[price] ?? null) !== null) return r;
  return { ...r, [quantity]: 1, [price]: a };
}
