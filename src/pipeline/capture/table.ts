/**
 * @module Tables and line items: rows found as rows. The page's words are
 * regrouped into visual rows (table-rows.ts); the header is the row naming most of
 * the columns (at least two, or the only one), with the rows just above and below
 * it for headers printed on two or three lines ("Positions- / betrag"). Each
 * column's span is its header's; a number belongs to the numeric column whose span
 * it overlaps (right-aligned amounts overlap their header's right end), a word to the
 * text column whose region (its header's left edge up to the next header) holds its
 * centre. A row is anchored on its amount: a visual row with a number in the
 * rightmost amount column starts an item; rows with text only continue the item above
 * (wrapped descriptions, notes), or begin the one below when set nearer it (figures
 * centred in a description). The table runs on across pages, past a repeated header or
 * none, until the `end` pattern, a figure far below the last item, or a subtotal the
 * items add up to, unless an item follows (a group's subtotal, a page footer: table-onward.ts).
 * When rows do not add up, the columns are read again: other readings of the header,
 * and the columns the figures line up in, with roles by quantity × price = amount
 * (table-columns.ts); the reading under which most rows add up wins. A table printed
 * without a header row is found by a run of amounts and their sum (table-headerless.ts).
 */
import type { Area, TableRow } from '../../core/capture.ts';
import type { DateOrder, FieldDef, TableColumn, TableSpec } from '../../core/project.ts';
import { unionBox, type Word } from '../../core/page.ts';
import { normalizeValue } from './values.ts';
import { projectPattern } from '../../core/project/pattern.ts';
import { meanConfidence, type TextLine } from './text.ts';
import { adds, arithmeticAgreement, cellNumber, decimalMark, figureNames, itemsBeforeSubtotal, netPrice, oneUnit, unsummedRows } from './table-figures.ts';
import { isNumberWord, isQuantityWord, isRate, rowHeight, visualRows, type VisualRow } from './table-rows.ts';
import { findHeaders, headerVariants, type Header, type HeaderHit } from './table-header.ts';
import { cellsOf, columnOf, figureReading } from './table-columns.ts';
import { headerlessHeader } from './table-headerless.ts';
import { isAllowance, isSubtotal, nextItemRow, nextPageStart, printedAmount, rowFigures, type Item } from './table-onward.ts';

/** Rows under a header searched for its figure columns: a page of items. */
const FIGURE_ROWS = 60;

export interface TableResult {
  rows: TableRow[];
  areas: Area[];
  confidence: number;
}


function rowValue(item: Item, columns: readonly TableColumn[], order: DateOrder, decimal: ',' | '.', anchor?: string): TableRow {
  const row: TableRow = {};
  for (const column of columns) {
    const words = item.cells.get(column.name) ?? [];
    const numbers = words.filter((w) => isNumberWord(w.text) || (column.type === 'number' && isQuantityWord(w.text)));
    // A text cell keeps its printed lines: a wrapped description reads "Widgets\nBlue, large".
    const text = column.type === 'text' ? words.map((w, i) => (i === 0 ? '' : w.box.y >= (words[i - 1] as Word).box.y + 0.8 * (words[i - 1] as Word).box.h ? '\n' : ' ') + w.text).join('') : numbers.map((w) => w.text).join(' ');
    if (text === '') row[column.name] = null;
    else if (column.type === 'text') row[column.name] = text;
    else if (column.type === 'amount' || column.type === 'number') {
      const n = cellNumber((numbers[0] as Word).text, decimal);
      row[column.name] = n === null || column.name !== anchor ? n : Math.round(100 * item.allowances.reduce((sum, w) => sum + (cellNumber(w.text, decimal) ?? 0), n)) / 100;
    }
    else row[column.name] = normalizeValue({ type: column.type, values: [] }, text, order);
  }
  return row;
}

interface Read {
  items: Item[];
  values: TableRow[];
  anchor: HeaderHit | undefined;
  quantity: HeaderHit | undefined;
  price: HeaderHit | undefined;
  /** Rows whose quantity times unit price gives their amount. */
  adding: number;
}

/**
 * The items under the header `first` read with the columns `start` (its own hits, or
 * another reading of them: `fixed` keeps that reading past a header repeated on a later page).
 */
function readItems(spec: TableSpec, rows: readonly VisualRow[], headers: readonly Header[], first: Header, start: HeaderHit[], fixed: boolean, order: DateOrder): Read | null {
  const numeric = start.filter((h) => h.column.type !== 'text');
  // The anchor is the project's last amount column (the line total; the unit price comes before it), wherever the page prints it.
  const byOrder = [...numeric].sort((a, b) => spec.columns.indexOf(a.column) - spec.columns.indexOf(b.column));
  const anchor = [...byOrder].reverse().find((h) => h.column.type === 'amount') ?? byOrder[byOrder.length - 1];
  const quantity = numeric.find((h) => h.column.type === 'number');
  const price = numeric.find((h) => h !== anchor && h.column.type === 'amount');
  const end = spec.end !== null ? projectPattern(spec.end, 'i') : null;
  let items: Item[] = [];
  let hits = start;
  // Past a group's subtotal or a page footer only when an item follows (table-onward.ts); from the group's first item the subtotal sums.
  const columns3 = anchor && quantity && price ? { quantity: quantity.column, price: price.column, amount: anchor.column } : null;
  const ends = (r: VisualRow): boolean => end !== null && [r.text, r.words.filter((w) => w.box.x + w.box.w > Math.min(...hits.map((x) => x.x0)) - 2 * rowHeight(r)).map((w) => w.text).join(' ')].some((t) => end.test(t) === true);
  const firstItem = (): { q: number; a: number } | null => (columns3 && items[0] ? rowFigures(rows[items[0].row] as VisualRow, hits, columns3) : null);
  let group = 0;
  let lead: { cells: Map<string, Word[]>; words: Word[] } = { cells: new Map(), words: [] };
  let leadUntil = -1;
  const textOnly = (cells: Map<string, Word[]>): boolean => cells.size > 0 && [...cells.keys()].every((n) => spec.columns.find((c) => c.name === n)?.type === 'text');
  let page = (rows[first.index] as VisualRow).page;
  let lastBottom = (rows[first.last] as VisualRow).y1;
  let attached = true;
  for (let i = first.last + 1; i < (first.until ?? rows.length); i++) {
    const row = rows[i] as VisualRow;
    const h = rowHeight(row);
    if (row.page !== page) {
      // A new page: past its repeated header when it has one, else on with the same columns.
      page = row.page;
      const again = headers.find((x) => x.index >= i && (rows[x.index] as VisualRow).page === page && x.hits.length >= first.hits.length - 1);
      if (again) {
        if (!fixed) hits = again.hits;
        i = again.last;
        lastBottom = (rows[again.last] as VisualRow).y1;
        continue;
      }
      attached = false;
    }
    const cells = cellsOf(row, hits);
    const amountWord = anchor ? (cells.get(anchor.column.name) ?? []).find((w) => isNumberWord(w.text)) : undefined;
    const amount = amountWord !== undefined;
    const last = items[items.length - 1];
    // A subtotal: of the items so far, or of those since the last subtotal (a group's, "Summe Position 4–6", in the end pattern's words too).
    // Passed over when an item follows (on its page for a sum of all the items, which may be the net total; a sum carried to the next page is met below).
    const whole = amountWord && items.length > 0 && quantity && !cells.has(quantity.column.name) && isSubtotal(amountWord.text, items, anchor as HeaderHit);
    const subtotal = whole || (amountWord && quantity && !cells.has(quantity.column.name) && items.length - group >= 2 && isSubtotal(amountWord.text, items.slice(group), anchor as HeaderHit));
    if (subtotal && columns3 && nextItemRow(rows, i + 1, hits, columns3, ends, firstItem(), whole ? row.page : undefined) >= 0) {
      [group, attached, lastBottom] = [items.length, false, row.y1];
      continue;
    }
    if (ends(row)) break;
    // A figure twelve rows of nothing below the last item is another table's (items with notes under them sit up to 8 rows apart); a page footer, with no figure, is passed over.
    if (amount && items.length > 0 && row.page === (last as Item).page && row.y0 - lastBottom > 12 * h) {
      const sum = items.reduce((s, it) => s + printedAmount(it, anchor as HeaderHit, decimalMark(row.words)), 0);
      const onward = columns3 ? nextPageStart(rows, i, Math.round(100 * sum) / 100, hits, columns3, ends, firstItem(), (r) => end?.test(r.text) === true) : -1;
      if (onward < 0) break;
      i = onward - 1;
      continue;
    }
    // A figure with no quantity that equals the sum of the items so far is their subtotal: the table has ended. Unless it is carried
    // over ("Übertrag"): at the foot of a page whose next page repeats the header, or at the head of a page before its first item.
    if (subtotal) {
      if (!whole) break;
      const onward = headers.some((x) => (rows[x.index] as VisualRow).page === row.page + 1 && x.hits.length >= first.hits.length - 1);
      if (!onward && (last as Item).page === row.page) break;
      lastBottom = row.y1;
      continue;
    }
    // That sum printed outside the figure columns ("Nettobetrag: 358,00 €" under the descriptions) ends it too: it is no wrapped description.
    if (!amountWord && anchor && items.length > 0 && row.words.some((w) => isNumberWord(w.text) && (columnOf(w, hits, h)?.column.type ?? 'text') === 'text' && isSubtotal(w.text, items, anchor))) break;
    // A negative amount with no quantity or price just under an item is that item's allowance: its amount is net of it (EN 16931 BT-131), and it is no row of its own.
    // Only under a priced item (a quantity and a positive amount larger than the allowance): rows of a credit note are all negative.
    const allowance = amountWord && last && anchor && quantity && last.cells.has(quantity.column.name) && row.page === last.page && row.y0 - lastBottom < 3 * h && isAllowance(amountWord, last, anchor) && ![...cells.keys()].some((n) => n !== anchor.column.name && spec.columns.find((c) => c.name === n)?.type !== 'text');
    // Text rows set nearer the item row under them (each within 1.5 heights and under half the gap above the first) are that item's first
    // lines: a description whose figures stand in its middle, as a word processor's table centres them.
    const close = (k: number): boolean => (rows[k] as VisualRow).page === row.page && (rows[k] as VisualRow).y0 - (rows[k - 1] as VisualRow).y1 < Math.min(1.5 * h, 0.5 * (row.y0 - lastBottom));
    if (i > leadUntil && !amount && textOnly(cells) && anchor) {
      let j = i;
      while (j + 1 < rows.length && close(j + 1) && textOnly(cellsOf(rows[j + 1] as VisualRow, hits))) j++;
      if (j + 1 < rows.length && close(j + 1) && (cellsOf(rows[j + 1] as VisualRow, hits).get(anchor.column.name) ?? []).some((w) => isNumberWord(w.text))) leadUntil = j;
    }
    if (i <= leadUntil) {
      for (const [name, ws] of cells) lead.cells.set(name, [...(lead.cells.get(name) ?? []), ...ws]);
      lead.words.push(...row.words);
      continue;
    }
    if (allowance) {
      last.allowances.push(amountWord);
      last.words.push(...row.words);
    } else if (amount) {
      for (const [name, ws] of lead.cells) cells.set(name, [...ws, ...(cells.get(name) ?? [])]);
      items.push({ cells, words: [...lead.words, ...row.words], page: row.page, allowances: [], row: i });
      attached = true;
    } else if (last && attached && row.y0 - lastBottom < 2.5 * h && cells.size > 0) {
      for (const [name, ws] of cells) last.cells.set(name, [...(last.cells.get(name) ?? []), ...ws]);
      if (row.page === last.page) last.words.push(...row.words);
    } else if (items.length > 0) attached = false;
    if (amount || attached) lastBottom = row.y1;
    lead = { cells: new Map(), words: [] };
  }
  if (items.length === 0) return null;
  const decimal = decimalMark(items.flatMap((it) => [...it.cells.values()].flat()));
  const all = items.map((it) => rowValue(it, spec.columns, order, decimal, anchor?.column.name));
  let keep = anchor ? itemsBeforeSubtotal(all, anchor.column.name, quantity?.column.name, price?.column.name) : all.length;
  // Where the items print a quantity or a price, rows after the last that does with an amount alone are totals, taxes or fees read on, not items.
  const figures = (r: TableRow): boolean => [quantity, price].some((x) => x !== undefined && typeof r[x.column.name] === 'number');
  const lastFull = all.slice(0, keep).findLastIndex(figures);
  if (lastFull >= 0 && all.slice(0, keep).filter(figures).length >= 2) keep = lastFull + 1;
  items.length = keep;
  let values = all.slice(0, keep);
  const after = (items[items.length - 1]?.row ?? first.last) + 1;
  const drop = anchor ? unsummedRows(values, anchor.column.name, figures, rows.slice(after, after + 40).flatMap((r) => r.words.filter((w) => isNumberWord(w.text)).map((w) => cellNumber(w.text, decimal) ?? 0))) : new Set<number>();
  if (drop.size > 0) [values, items] = [values.filter((_, k) => !drop.has(k)), items.filter((_, k) => !drop.has(k))];
  const adding = anchor ? values.filter((r) => adds(r, anchor.column.name, quantity?.column.name, price?.column.name) === true).length : 0;
  return { items, values, anchor, quantity, price, adding };
}

export function extractTable(field: FieldDef, lines: readonly TextLine[], order: DateOrder): TableResult | null {
  const spec = field.table;
  if (!spec || spec.columns.length === 0) return null;
  const need = Math.min(2, spec.columns.length);
  const rows = visualRows(lines);
  const headers = findHeaders(rows, spec.columns).filter((h) => h.hits.length >= need);
  // The header naming most columns; without one, a table found by its figures (table-headerless.ts).
  const first = headers.reduce<Header | null>((b, h) => (!b || h.hits.length > b.hits.length ? h : b), null) ?? headerlessHeader(rows, spec);
  if (!first) return null;
  let read = readItems(spec, rows, headers, first, first.hits, false, order);
  // Rows that do not add up may have been read into the wrong columns: another reading of the header, or the columns its figures
  // line up in (table-columns.ts), under which more of them add up (at least half) is the table's.
  if (!read || read.adding < read.values.length) {
    const page = (rows[first.index] as VisualRow).page;
    const end = rows.findIndex((r, i) => i > first.last && r.page !== page);
    const byFigures = figureReading(rows, first.last + 1, Math.min(end < 0 ? rows.length : end, first.last + 1 + FIGURE_ROWS), spec.columns, first.hits);
    // With no items under the header's own reading, its variants find none either (they move figure columns only): its figures may.
    // On a tie, the reading that keeps more columns under their own header words ("Menge" stays the quantity when 1 × 5,00 and 5,00 × 1 both add up).
    const kept = (hits: readonly HeaderHit[]): number => hits.filter((x) => first.hits.some((f) => f.column === x.column && f.x0 === x.x0)).length;
    let keptBest = kept(first.hits);
    for (const hits of [...(read ? headerVariants(first, spec.columns) : []), ...(byFigures ? [byFigures] : [])]) {
      const other = readItems(spec, rows, headers, first, hits, true, order);
      if (other && (!read || other.adding > read.adding || (other.adding === read.adding && kept(hits) > keptBest)) && 2 * other.adding >= other.values.length) [read, keptBest] = [other, kept(hits)];
    }
  }
  if (!read) return null;
  const { items, anchor, quantity, price } = read;
  const decimal = decimalMark(items.flatMap((it) => [...it.cells.values()].flat()));
  const names = { quantity: quantity?.column.name, price: price?.column.name, amount: anchor?.column.name };
  // A gross price with its discount beside it: the row's price is the net one its amount gives; an amount alone is one unit (table-figures.ts).
  const values = read.values.map((r, i) => {
    const it = items[i] as Item;
    const rates = it.words.filter((w) => isRate(w.text)).map((w) => cellNumber(w.text.replace('%', ''), decimal) ?? 0);
    const printed = (price ? it.cells.get(price.column.name)?.find((w) => isNumberWord(w.text))?.text : undefined) ?? '';
    return oneUnit(netPrice(r, names, it.allowances.length > 0, rates, printed.split(decimal)[1]?.replace(/\D/g, '').length ?? 2), figureNames(spec.columns));
  });
  const agree = anchor ? arithmeticAgreement(values, anchor.column.name, quantity?.column.name, price?.column.name) : 1;
  const required = spec.columns.filter((c) => c.required).map((c) => c.name);
  const complete = values.filter((r) => required.every((n) => r[n] !== null && r[n] !== undefined)).length / values.length;
  return {
    rows: values,
    areas: items.map((it) => ({ page: it.page, box: unionBox(it.words.map((w) => w.box)) })),
    // Rows whose quantity times unit price is not their amount were likely read into the wrong columns: each costs confidence.
    confidence: meanConfidence(items.flatMap((it) => it.words)) * (0.5 + 0.5 * complete) * (0.5 + 0.5 * agree) * Math.min(1, first.hits.length / Math.min(3, spec.columns.length)),
  };
}
