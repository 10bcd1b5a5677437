/**
 * @module The CSV output (RFC 4180): one row per document, or one per line item (a
 * row of a table field) with the document's own fields repeated on each. Records end
 * in CRLF and a cell is quoted when it holds the delimiter, a quote, a line break or
 * edge spaces, with quotes doubled (RFC 4180 §2.5–2.7). UTF-8 without a BOM.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
 * (and, in some, after a tab or CR) as a formula, so a document that says
 * `=HYPERLINK(…)` would reach the person who opens the export. Following OWASP's CSV
 * Injection guidance, such a text cell is written with a leading `'` unless the export
 * says `formulas: allow`. Values typed as numbers are exempt: `-12.5` from an amount
 * field is a number to the spreadsheet, never a formula; the same text in a text field
 * is escaped like any other.
 */
import type { CsvExport } from '../../core/export-settings.ts';
import type { FieldValue, TableRow } from '../../core/capture.ts';
import type { ExportData, ExportDocument } from './data.ts';

type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell, delimiter: string, formulas: CsvExport['formulas'] = 'escape'): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  const text = formulas === 'escape' && typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text) || /^\s|\s$/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[], delimiter: string, formulas: CsvExport['formulas'] = 'escape'): string {
  return `${cells.map((c) => csvCell(c, delimiter, formulas)).join(delimiter)}\r\n`;
}

function isTable(value: FieldValue): value is TableRow[] {
  return Array.isArray(value);
}

/** Keeps first-seen order, which follows the project's field order. */
function addAll(into: string[], names: Iterable<string>): void {
  for (const n of names) if (!into.includes(n)) into.push(n);
}

function documentCells(doc: ExportDocument): Map<string, Cell> {
  const cells = new Map<string, Cell>([
    ['document_index', doc.index],
    ['document_type', doc.document_type],
    ['first_page', doc.pages[0]],
    ['last_page', doc.pages[1]],
  ]);
  for (const [name, value] of Object.entries(doc.fields)) if (!isTable(value)) cells.set(name, value);
  return cells;
}

function tableOf(doc: ExportDocument, table: string | null): TableRow[] {
  if (table !== null) {
    const v = Object.hasOwn(doc.fields, table) ? doc.fields[table] : undefined;
    return v !== undefined && isTable(v) ? v : [];
  }
  for (const value of Object.values(doc.fields)) if (isTable(value)) return value;
  return [];
}

/** A line item's cells; an item column named like a document column is written `item.<name>`. */
function itemCells(base: Map<string, Cell>, row: TableRow, lineIndex: number): Map<string, Cell> {
  const cells = new Map(base);
  cells.set('line_index', lineIndex);
  for (const [col, value] of Object.entries(row)) cells.set(base.has(col) || col === 'line_index' ? `item.${col}` : col, value);
  return cells;
}

export function renderCsv(data: ExportData, setting: CsvExport): string {
  const records: Map<string, Cell>[] = [];
  for (const doc of data.documents) {
    const base = documentCells(doc);
    if (setting.rows === 'document') records.push(base);
    else tableOf(doc, setting.table).forEach((row, i) => records.push(itemCells(base, row, i)));
  }
  let columns: string[];
  if (setting.columns !== null) columns = setting.columns;
  else {
    columns = setting.rows === 'document' ? ['document_index', 'document_type', 'first_page', 'last_page'] : [];
    for (const r of records) addAll(columns, r.keys());
  }
  let out = setting.header ? csvLine(columns, setting.delimiter, setting.formulas) : '';
  for (const r of records) out += csvLine(columns.map((c) => r.get(c)), setting.delimiter, setting.formulas);
  return out;
}
