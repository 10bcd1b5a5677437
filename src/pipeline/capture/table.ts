/**
 * @module Tables and line items: find the header row (the line naming most of the
 * columns, at least two, or the only one when the table has one column), derive
 * each column's x-range from its header's position (borders halfway between
 * neighbouring headers), then read the rows below it until the `end` pattern or a
 * gap of more than three line heights. A line with a number in a numeric column is
 * an item; a text-only line right under an item continues its text columns
 * (wrapped descriptions).
 */
import type { Area, TableRow } from '../../core/capture.ts';
import type { DateOrder, FieldDef, TableColumn } from '../../core/project.ts';
import { unionBox, type Word } from '../../core/page.ts';
import { similarityAtLeast, simplify } from './fuzzy.ts';
import { normalizeValue } from './values.ts';
import { projectPattern } from '../../core/project/pattern.ts';
import { meanConfidence, type TextLine } from './text.ts';

export interface TableResult {
  rows: TableRow[];
  areas: Area[];
  confidence: number;
}

interface HeaderHit {
  column: TableColumn;
  x0: number;
  x1: number;
}

function headerHits(line: TextLine, columns: readonly TableColumn[]): HeaderHit[] {
  const simple = line.words.map((w) => simplify(w.text));
  const hits: HeaderHit[] = [];
  const used = new Set<number>();
  for (const column of columns) {
    let best: { s: number; n: number; sim: number } | null = null;
    for (const h of column.header) {
      const target = simplify(h);
      const n = target.split(' ').length;
      for (let s = 0; s + n <= simple.length; s++) {
        if (used.has(s)) continue;
        const sim = similarityAtLeast(simple.slice(s, s + n).join(' '), target, 0.8);
        if (sim > 0 && (!best || sim > best.sim)) best = { s, n, sim };
      }
    }
    if (best) {
      const words = line.words.slice(best.s, best.s + best.n);
      for (let i = best.s; i < best.s + best.n; i++) used.add(i);
      const box = unionBox(words.map((w) => w.box));
      hits.push({ column, x0: box.x, x1: box.x + box.w });
    }
  }
  return hits.sort((a, b) => a.x0 - b.x0);
}

export function extractTable(field: FieldDef, lines: readonly TextLine[], order: DateOrder): TableResult | null {
  const spec = field.table;
  if (!spec || spec.columns.length === 0) return null;
  const need = Math.min(2, spec.columns.length);
  let header: { index: number; hits: HeaderHit[] } | null = null;
  lines.forEach((line, index) => {
    const hits = headerHits(line, spec.columns);
    if (hits.length >= need && (!header || hits.length > header.hits.length)) header = { index, hits };
  });
  if (!header) return null;
  const { index: headerIndex, hits } = header as { index: number; hits: HeaderHit[] };
  const bounds = hits.map((h, i) => {
    const prev = hits[i - 1];
    const next = hits[i + 1];
    return { column: h.column, left: prev ? (prev.x1 + h.x0) / 2 : -Infinity, right: next ? (h.x1 + next.x0) / 2 : Infinity };
  });
  const headerLine = lines[headerIndex] as TextLine;
  const end = spec.end !== null ? projectPattern(spec.end, 'i') : null;
  const rows: TableRow[] = [];
  const rowWords: Word[][] = [];
  let lastBottom = headerLine.box.y + headerLine.box.h;
  let lastWasItem = false;
  for (const line of lines.slice(headerIndex + 1)) {
    if (line.page !== headerLine.page) break;
    if (end?.test(line.text) === true) break;
    const h = Math.max(4, line.box.h);
    if (line.box.y - lastBottom > 3 * h) break;
    const cells = new Map<string, Word[]>();
    for (const w of line.words) {
      const cx = w.box.x + w.box.w / 2;
      const b = bounds.find((x) => cx >= x.left && cx < x.right);
      if (b) cells.set(b.column.name, [...(cells.get(b.column.name) ?? []), w]);
    }
    const row: TableRow = {};
    let numeric = false;
    for (const { column } of bounds) {
      const text = (cells.get(column.name) ?? []).map((w) => w.text).join(' ');
      const value = text === '' ? null : column.type === 'text' ? text : normalizeValue({ type: column.type, values: [] }, text, order);
      row[column.name] = value;
      if (value !== null && column.type !== 'text') numeric = true;
    }
    const continuation = !numeric && lastWasItem && line.box.y - lastBottom < 1.5 * h;
    if (numeric) {
      rows.push(row);
      rowWords.push([...line.words]);
      lastWasItem = true;
    } else if (continuation) {
      const prev = rows[rows.length - 1] as TableRow;
      for (const { column } of bounds) {
        const add = row[column.name];
        if (column.type === 'text' && typeof add === 'string') prev[column.name] = prev[column.name] ? `${prev[column.name]}\n${add}` : add;
      }
      (rowWords[rowWords.length - 1] as Word[]).push(...line.words);
    } else if (rows.length > 0) break;
    lastBottom = line.box.y + line.box.h;
  }
  if (rows.length === 0) return null;
  const required = spec.columns.filter((c) => c.required).map((c) => c.name);
  const complete = rows.filter((r) => required.every((n) => r[n] !== null && r[n] !== undefined)).length / rows.length;
  const words = rowWords.flat();
  return {
    rows,
    areas: rowWords.map((ws) => ({ page: headerLine.page, box: unionBox(ws.map((w) => w.box)) })),
    confidence: meanConfidence(words) * (0.5 + 0.5 * complete) * Math.min(1, hits.length / Math.min(3, spec.columns.length)),
  };
}
