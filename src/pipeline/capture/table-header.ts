/**
 * @module The header of a table (table.ts): the visual row naming most of the columns,
 * fuzzily (≥ 0.8) or as the end of a compound word, with the rows of its band (1.5
 * row heights, no figures) adding the columns it lacks, including headers stacked
 * over two or three lines. Each hit gives its column's horizontal span.
 */
import type { TableColumn } from '../../core/project.ts';
import { unionBox, type Word } from '../../core/page.ts';
import { simplify } from './fuzzy.ts';
import { headerSimilarity, isNumberWord, rowHeight, simpleWords, type VisualRow } from './table-rows.ts';

export interface HeaderHit {
  column: TableColumn;
  x0: number;
  x1: number;
  sim: number;
  /** For a text column: where its region starts, the right edge of the header word left of it that names no column kept (Pos, Art-Nr), else the page's edge. */
  from?: number;
}

interface HeaderTarget {
  column: TableColumn;
  /** Each header simplified, with its number of words. */
  targets: { text: string; n: number }[];
}

/** The headers simplified once per table, not once per row. */
function headerTargets(columns: readonly TableColumn[]): HeaderTarget[] {
  return columns.map((column) => ({ column, targets: column.header.map((h) => simplify(h)).filter((t) => t !== '').map((text) => ({ text, n: text.split(' ').length })) }));
}

function headerHits(row: VisualRow, columns: readonly HeaderTarget[]): HeaderHit[] {
  const simple = simpleWords(row.words);
  const hits: HeaderHit[] = [];
  const used = new Set<number>();
  for (const { column, targets } of columns) {
    let best: { s: number; n: number; sim: number } | null = null;
    for (const { text, n } of targets) {
      for (let s = 0; s + n <= simple.length; s++) {
        if (used.has(s) || (n > 1 && used.has(s + n - 1))) continue;
        const sim = headerSimilarity(simple, s, n, text);
        if (sim > 0 && (!best || sim > best.sim)) best = { s, n, sim };
      }
    }
    if (best) {
      for (let i = best.s; i < best.s + best.n; i++) used.add(i);
      const box = unionBox(row.words.slice(best.s, best.s + best.n).map((w) => w.box));
      hits.push({ column, x0: box.x, x1: box.x + box.w, sim: best.sim });
    }
  }
  return hits;
}

/**
 * Headers printed over two or three lines, one under the other ("Prix" over "unitaire",
 * "Positions-" over "betrag"): the words of the band stacked by horizontal overlap,
 * read top to bottom (a trailing hyphen joins), matched whole against the headers.
 */
function stackedHits(band: readonly VisualRow[], columns: readonly HeaderTarget[]): HeaderHit[] {
  const stacks: Word[][] = [];
  for (const w of band.flatMap((r) => r.words)) {
    const under = stacks.find((st) => {
      const top = st[st.length - 1] as Word;
      const overlap = Math.min(top.box.x + top.box.w, w.box.x + w.box.w) - Math.max(top.box.x, w.box.x);
      return w.box.y > top.box.y + top.box.h / 2 && overlap >= 0.5 * Math.min(top.box.w, w.box.w);
    });
    if (under) under.push(w);
    else stacks.push([w]);
  }
  const hits: HeaderHit[] = [];
  for (const st of stacks.filter((x) => x.length > 1)) {
    const text = st.reduce((t, w) => (t === '' ? w.text : t.endsWith('-') ? t.slice(0, -1) + w.text : `${t} ${w.text}`), '');
    const simple = [simplify(text)];
    for (const { column, targets } of columns) {
      if (hits.some((x) => x.column === column) || !targets.some((t) => headerSimilarity(simple, 0, 1, t.text) > 0)) continue;
      const box = unionBox(st.map((w) => w.box));
      hits.push({ column, x0: box.x, x1: box.x + box.w, sim: 0.8 });
    }
  }
  return hits;
}

export interface Header {
  index: number;
  /** Last row of the header band. */
  last: number;
  hits: HeaderHit[];
  /** The header row's words that name no column (or a column already named further left: "Amount" and "Total" both name the amount), left to right: where an unnamed figure column may stand. */
  spare: { x0: number; x1: number }[];
  /** For a table found by its figures (table-headerless.ts): the row of the items' sum, where it ends. */
  until?: number;
}

/**
 * The text column of a header that names its figure columns but not its descriptions, in a
 * word of no project's list ("Artikel", "Leistung", "Article"): of the header row's
 * unnamed words left of every price and amount column, the one with the widest gap before the next
 * header word, as descriptions are a table's widest column ("Pos." before "Artikel" has a
 * narrow one). Without it every description of such a table is lost.
 */
function unnamedText(r: VisualRow, hits: readonly HeaderHit[], columns: readonly TableColumn[], named: (w: Word) => boolean): HeaderHit | null {
  const text = columns.find((c) => c.type === 'text');
  if (!text || hits.some((x) => x.column.type === 'text')) return null;
  // Left of the first price or amount column: a quantity may stand left of the descriptions ("Menge Artikel Einzelpreis Gesamtpreis").
  const priced = hits.filter((x) => x.column.type === 'amount');
  const firstFigure = Math.min(...(priced.length > 0 ? priced : hits).map((x) => x.x0));
  let best: { w: Word; gap: number } | null = null;
  r.words.forEach((w, k) => {
    if (named(w) || isNumberWord(w.text) || w.box.x + w.box.w > firstFigure || !/\p{L}{3}/u.test(w.text)) return;
    const next = r.words[k + 1];
    const gap = (next ? next.box.x : firstFigure) - (w.box.x + w.box.w);
    if (!best || gap > best.gap) best = { w, gap };
  });
  const found = best as { w: Word; gap: number } | null;
  return found ? { column: text, x0: found.w.box.x, x1: found.w.box.x + found.w.box.w, sim: 0.5 } : null;
}

/** The header row with the rows of its band (within 1.5 row heights) adding the columns it lacks. */
export function findHeaders(rows: readonly VisualRow[], columns: readonly TableColumn[]): Header[] {
  const targets = headerTargets(columns);
  // A row of figures only is no header: most rows of a table are, and matching them costs most of the search. Nor is a row with two
  // figures or more: an item whose description holds a header's word ("Festpreis 1 12.122,59 12.122,59" under "preis") took the table's header.
  const own = rows.map((r) => (r.words.filter((w) => isNumberWord(w.text)).length >= Math.min(2, r.words.length) ? [] : headerHits(r, targets)));
  const out: Header[] = [];
  rows.forEach((r, i) => {
    if ((own[i] as HeaderHit[]).length === 0) return;
    const h = rowHeight(r);
    const hits = [...(own[i] as HeaderHit[])];
    let last = i;
    for (let j = i - 2; j <= i + 2; j++) {
      const o = rows[j];
      if (j === i || !o || o.page !== r.page || o.y0 > r.y1 + 1.5 * h || o.y1 < r.y0 - 1.5 * h) continue;
      if (o.words.some((w) => isNumberWord(w.text))) continue;
      for (const hit of own[j] as HeaderHit[]) {
        if (hits.some((x) => x.column === hit.column)) continue;
        hits.push(hit);
        if (j > last) last = j;
      }
    }
    // The header's band: rows within 1.5 heights that hold no figure (the first item may sit that close).
    const bandRows = rows.slice(Math.max(0, i - 2), i + 3).filter((o) => o.page === r.page && o.y0 <= r.y1 + 1.5 * h && o.y1 >= r.y0 - 1.5 * h && (o === r || !o.words.some((w) => isNumberWord(w.text))));
    const band = bandRows.flatMap((o) => o.words);
    // A header word set a little lower than the row ("Tax" under "Price w/o" beside "Unit Price") overlaps it: the header ends below it, else it ends the table as a totals row.
    for (const o of bandRows) if (rows.indexOf(o) > last && o.y0 < (rows[last] as VisualRow).y1) last = rows.indexOf(o);
    for (const hit of stackedHits(bandRows, targets)) if (!hits.some((x) => x.column === hit.column)) hits.push(hit);
    const named = (w: Word): boolean => hits.some((x) => w.box.x >= x.x0 - 0.5 && w.box.x + w.box.w <= x.x1 + 0.5);
    const unnamed = hits.length >= 2 ? unnamedText(r, hits, columns, named) : null;
    if (unnamed) hits.push(unnamed);
    for (const hit of hits) if (hit.column.type === 'text') hit.from = Math.max(-Infinity, ...band.filter((w) => !named(w) && w.box.x + w.box.w <= hit.x0).map((w) => w.box.x + w.box.w + 1));
    const spare = r.words.filter((w) => !named(w) && !isNumberWord(w.text)).map((w) => ({ x0: w.box.x, x1: w.box.x + w.box.w }));
    out.push({ index: i, last, hits: hits.sort((a, b) => a.x0 - b.x0), spare });
  });
  return out;
}

/**
 * Other readings of a header's figure columns, for a table whose rows do not add up
 * under the first (table.ts keeps the reading under which most rows' quantity times
 * unit price gives their amount): each figure column moved to a spare header word,
 * and the word it leaves given to a figure column the header did not name. A header
 * "Amount Product VAT Price Total" names the amount twice; the quantity under
 * "Amount" is found when the amount moves to "Total" and the quantity takes "Amount".
 */
export function headerVariants(header: Header, columns: readonly TableColumn[]): HeaderHit[][] {
  const figures = columns.filter((c) => c.type !== 'text');
  const missing = figures.filter((c) => !header.hits.some((x) => x.column === c));
  const out: HeaderHit[][] = [];
  const moved = (hits: readonly HeaderHit[], column: TableColumn, at: { x0: number; x1: number }): HeaderHit[] =>
    [...hits.filter((x) => x.column !== column), { column, x0: at.x0, x1: at.x1, sim: 0.5 }].sort((a, b) => a.x0 - b.x0);
  // The missing figure columns by position, as nearly every issuer orders them: the line amount over the rightmost
  // spare word right of the named figures, the unit price over the next one left of it ("Anzahl Einzel/€ Gesamt/€").
  const named = header.hits.filter((x) => x.column.type !== 'text');
  const right = header.spare.filter((at) => named.length > 0 && at.x0 > Math.max(...named.map((x) => x.x1))).sort((a, b) => b.x0 - a.x0);
  const byPlace = [...missing].sort((a, b) => columns.indexOf(b) - columns.indexOf(a));
  if (right.length >= byPlace.length && byPlace.length > 0) out.push(byPlace.reduce((hits, column, k) => moved(hits, column, right[k] as { x0: number; x1: number }), [...header.hits]));
  for (const at of header.spare) {
    for (const column of figures) {
      const variant = moved(header.hits, column, at);
      out.push(variant);
      const left = header.hits.find((x) => x.column === column);
      if (left) for (const m of missing) out.push(moved(variant, m, left));
    }
  }
  return out;
}
