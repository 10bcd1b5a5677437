/**
 * @module The line-item score of the accuracy harness ("line items that are
 * right before anyone touches them"). The truth is the invoice's own embedded XML
 * (`NAME.gt.xml` beside an e-invoice PDF, read by the e-invoice reader), which holds
 * every line; the extracted table is the `line_items` field read from the pages.
 *
 * Each true line is paired with at most one extracted row (the pairing that keeps
 * the most pairs, greedily by pair quality). A pair counts as a matched row when its
 * amount is equal or its description is similar; a row is all right when every cell
 * is: description similar (≥ 0.8 on the simplified text, or the item name contained
 * in the row's text, since the page may print the name with its description),
 * quantity, unit price and amount equal to the cent (1/1000 for quantities). Extra
 * rows (extracted, paired with no line) are counted apart: they cost a clerk a delete.
 */
import { readFile } from 'node:fs/promises';
import type { DocumentResult, TableRow } from '../src/core/capture.ts';
import type { EInvoiceLine } from '../src/core/einvoice/model.ts';
import { readEInvoiceXml } from '../src/pipeline/einvoice/read.ts';
import { similarity, simplify } from '../src/pipeline/capture/fuzzy.ts';

export interface LineScore {
  documents: number;
  /** Tables read from an e-invoice's own XML (the einvoice stage), not from the pages: run with --ignore-embedded to score the pages. */
  fromXml: number;
  lines: number;
  matched: number;
  right: number;
  extra: number;
  cells: { description: number; quantity: number; unit_price: number; amount: number };
}

export function newLineScore(): LineScore {
  return { documents: 0, fromXml: 0, lines: 0, matched: 0, right: 0, extra: 0, cells: { description: 0, quantity: 0, unit_price: 0, amount: 0 } };
}

/**
 * The priced lines of an e-invoice PDF (those with a net amount): `[]` when its XML has
 * none (MINIMUM / BASIC WL), null when it has no readable gt.xml. Lines without an
 * amount are notes some issuers put among the items (a greeting, terms); a table
 * of items has no row for them, so they are not scored.
 */
export async function trueLines(pdf: string): Promise<EInvoiceLine[] | null> {
  try {
    return readEInvoiceXml(await readFile(pdf.replace(/\.pdf$/i, '.gt.xml'))).lines.filter((l) => num(l.net_amount) !== null);
  } catch {
    return null;
  }
}

function num(v: string | number | null | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A cell against the truth; a truth the XML leaves out (BASIC profiles may omit the unit price) cannot be checked and counts as right. */
function same(a: string | number | null | undefined, b: string | null, eps: number): boolean {
  const x = num(a);
  const y = num(b);
  if (y === null) return true;
  return x !== null && y !== null && Math.abs(Math.abs(x) - Math.abs(y)) < eps;
}

/** The row's description is the line's: similar as a whole, or the item name found word for word in it. */
export function sameDescription(row: string | number | null | undefined, line: string | null): boolean {
  if (typeof row !== 'string' || line === null) return false;
  const a = simplify(row);
  const b = simplify(line);
  if (a === '' || b === '') return false;
  if (similarity(a, b) >= 0.8) return true;
  const name = simplify(line.split('\n')[0] ?? '');
  return name.length >= 3 && (a.includes(name) || (b.includes(a) && a.length >= 0.5 * name.length));
}

function cellsRight(row: TableRow, line: EInvoiceLine): LineScore['cells'] {
  return {
    description: sameDescription(row.description, line.description) ? 1 : 0,
    quantity: same(row.quantity, line.quantity, 0.001) ? 1 : 0,
    unit_price: same(row.unit_price, line.unit_price, 0.005) ? 1 : 0,
    amount: same(row.amount, line.net_amount, 0.005) ? 1 : 0,
  };
}

/** The rows of a document's table field (`line_items` of the demo project's invoice type), none when absent. */
export function tableRows(doc: DocumentResult | undefined, field = 'line_items'): TableRow[] {
  const value = doc?.fields.find((f) => f.name === field)?.value;
  return Array.isArray(value) ? value : [];
}

/** `npm run eval`: scores the document's `line_items` when `file` is an e-invoice PDF whose gt.xml has priced lines. */
export async function addDocumentLines(score: LineScore, file: string, doc: DocumentResult | undefined): Promise<void> {
  const lines = /\.pdf$/i.test(file) ? await trueLines(file) : null;
  if (lines === null || lines.length === 0) return;
  if (doc?.fields.find((f) => f.name === 'line_items')?.source === 'einvoice') score.fromXml++;
  addLines(score, lines, tableRows(doc));
}

/** Adds one document: its true lines against the extracted rows. Returns one note per wrong or missed line. */
export function addLines(score: LineScore, lines: readonly EInvoiceLine[], rows: readonly TableRow[]): string[] {
  score.documents++;
  score.lines += lines.length;
  const pairs: { i: number; j: number; q: number; c: LineScore['cells'] }[] = [];
  lines.forEach((line, i) =>
    rows.forEach((row, j) => {
      const c = cellsRight(row, line);
      if (c.amount + c.description > 0) pairs.push({ i, j, q: 2 * c.amount + 2 * c.description + c.quantity + c.unit_price - Math.abs(i - j) / 1000, c });
    }),
  );
  pairs.sort((a, b) => b.q - a.q);
  const usedLine = new Set<number>();
  const usedRow = new Set<number>();
  const notes: string[] = [];
  for (const p of pairs) {
    if (usedLine.has(p.i) || usedRow.has(p.j)) continue;
    usedLine.add(p.i);
    usedRow.add(p.j);
    score.matched++;
    for (const k of Object.keys(p.c) as (keyof LineScore['cells'])[]) score.cells[k] += p.c[k];
    if (p.c.description + p.c.quantity + p.c.unit_price + p.c.amount === 4) score.right++;
    else notes.push(`line ${p.i + 1}: got ${JSON.stringify(rows[p.j])}, want ${JSON.stringify(pick(lines[p.i] as EInvoiceLine))}`);
  }
  lines.forEach((l, i) => {
    if (!usedLine.has(i)) notes.push(`line ${i + 1} missed: ${JSON.stringify(pick(l))}`);
  });
  score.extra += rows.length - usedRow.size;
  return notes;
}

function pick(l: EInvoiceLine): Record<string, string | null> {
  return { description: l.description, quantity: l.quantity, unit_price: l.unit_price, amount: l.net_amount };
}

const pct = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)} %`);

export function lineReport(s: LineScore): string {
  return [
    `line items: ${s.lines} true lines in ${s.documents} documents${s.fromXml > 0 ? ` (${s.fromXml} tables read from the embedded XML, not the pages: --ignore-embedded scores the pages)` : ''}`,
    `  rows matched          ${pct(s.matched, s.lines)}  (${s.matched})`,
    `  rows with every cell  ${pct(s.right, s.lines)}  (${s.right})`,
    `  extra rows            ${s.extra}`,
    `  cells right: description ${pct(s.cells.description, s.lines)}, quantity ${pct(s.cells.quantity, s.lines)}, unit price ${pct(s.cells.unit_price, s.lines)}, amount ${pct(s.cells.amount, s.lines)}`,
  ].join('\n');
}
