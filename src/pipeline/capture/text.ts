/**
 * @module The text view extraction works on: a document's lines, each with its
 * words and the character offset of every word, so that a regex match on a line's
 * text maps back to word boxes (the areas a value came from) and OCR confidences.
 * Lines come from the page model; a page with words but no lines (some engines
 * give none) is grouped into lines here by vertical overlap.
 */
import { unionBox, type Box, type Page, type Word } from '../../core/page.ts';

export interface TextLine {
  /** 0-based page index in the file. */
  page: number;
  /** 0-based page index within the document. */
  docPage: number;
  text: string;
  words: Word[];
  /** Character offset of each word in `text` (words are joined by one space). */
  starts: number[];
  box: Box;
  pageWidth: number;
  pageHeight: number;
}

/** The words joined by single spaces, with where each word starts in that text. */
function joinWords(words: readonly Word[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let text = '';
  for (const w of words) {
    if (text !== '') text += ' ';
    starts.push(text.length);
    text += w.text;
  }
  return { text, starts };
}

function makeLine(page: Page, docPage: number, words: Word[]): TextLine {
  const { text, starts } = joinWords(words);
  return { page: page.index, docPage, text, words, starts, box: unionBox(words.map((w) => w.box)), pageWidth: page.width, pageHeight: page.height };
}

/** Groups words into lines by vertical overlap, left to right: for pages without lines. */
function groupWords(words: readonly Word[]): Word[][] {
  const sorted = [...words].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  const lines: { words: Word[]; y0: number; y1: number }[] = [];
  for (const w of sorted) {
    const mid = w.box.y + w.box.h / 2;
    const line = lines.find((l) => mid >= l.y0 && mid <= l.y1);
    if (line) line.words.push(w);
    else lines.push({ words: [w], y0: w.box.y, y1: w.box.y + w.box.h });
  }
  return lines.map((l) => l.words.sort((a, b) => a.box.x - b.box.x));
}

/**
 * The lines of a document's pages, in page then reading order. `firstDocPage` is
 * the first page's position in its document when `pages` are a part of it.
 */
export function documentLines(pages: readonly Page[], firstDocPage = 0): TextLine[] {
  const out: TextLine[] = [];
  pages.forEach((page, i) => {
    const docPage = firstDocPage + i;
    const groups =
      page.lines.length > 0
        ? page.lines.map((l) => l.words.map((i) => page.words[i]).filter((w): w is Word => w !== undefined && w.text.trim() !== ''))
        : groupWords(page.words.filter((w) => w.text.trim() !== ''));
    for (const g of groups) if (g.length > 0) out.push(makeLine(page, docPage, g));
  });
  return out;
}

/** The words of a line that overlap the character span [start, end). */
export function spanWords(line: TextLine, start: number, end: number): Word[] {
  const out: Word[] = [];
  line.words.forEach((w, i) => {
    const s = line.starts[i] as number;
    if (s < end && s + w.text.length > start) out.push(w);
  });
  return out;
}

/**
 * The lowest confidence among a text's words: one misread word makes a name or an
 * address wrong, so for a text value the weakest word, not the mean, says how
 * likely it is right (SROIE addresses: wrong ones had a mean word confidence as
 * high as right ones, 0.7–0.8).
 */
export function minConfidence(words: readonly Word[]): number {
  if (words.length === 0) return 0;
  return words.reduce((m, w) => (/[\p{L}\p{N}]/u.test(w.text) ? Math.min(m, w.confidence) : m), 1);
}

export function meanConfidence(words: readonly Word[]): number {
  if (words.length === 0) return 0;
  return words.reduce((s, w) => s + w.confidence, 0) / words.length;
}

/** A line made of some of another's words (the part right of a label, a table cell). */
export function subLine(line: TextLine, words: Word[]): TextLine {
  const { text, starts } = joinWords(words);
  return { ...line, text, words, starts, box: unionBox(words.map((w) => w.box)) };
}

/** Splits a line where the horizontal gap between words exceeds `factor` × the line height. */
export function splitOnGaps(line: TextLine, factor = 1.5): TextLine[] {
  const parts: Word[][] = [];
  let cur: Word[] = [];
  const h = Math.max(1, line.box.h);
  line.words.forEach((w, i) => {
    const prev = line.words[i - 1];
    if (prev && w.box.x - (prev.box.x + prev.box.w) > factor * h) {
      parts.push(cur);
      cur = [];
    }
    cur.push(w);
  });
  if (cur.length > 0) parts.push(cur);
  return parts.map((p) => subLine(line, p));
}

/**
 * `find` computed once per document's lines (a WeakMap on the array): several fields start from the same reading (the
 * totals for `total`, `tax`, `subtotal` and `amount_due`; the names for `company` and `buyer`). Callers do not change
 * what it returns.
 */
export function oncePerLines<T>(find: (lines: TextLine[]) => T): (lines: TextLine[]) => T {
  const known = new WeakMap<TextLine[], T>();
  return (lines) => {
    if (known.has(lines)) return known.get(lines) as T;
    const out = find(lines);
    known.set(lines, out);
    return out;
  };
}
