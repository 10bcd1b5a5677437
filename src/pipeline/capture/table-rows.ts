/**
 * @module The rows a table is read from: a page's words regrouped into visual rows
 * (words whose vertical centres fall in one band), whatever lines the page engine
 * gave. A PDF text layer often cuts one printed row into several lines, one per text
 * run ("1", "Trennblätter", "9,9000", "198,00" of one item as four lines at the same
 * height), so rows built from lines lost every cell but one (a review saw 5 items read
 * as 29 rows of one value). Also: which words are numbers, and the header match
 * that allows German compounds ("Nettopreis" under "preis").
 */
import type { Word } from '../../core/page.ts';
import { similarityAtLeast, simplify } from './fuzzy.ts';
import type { TextLine } from './text.ts';

export interface VisualRow {
  page: number;
  y0: number;
  y1: number;
  /** Left to right. */
  words: Word[];
  text: string;
}

/** Rows of every page in page order, top to bottom. */
export function visualRows(lines: readonly TextLine[]): VisualRow[] {
  const byPage = new Map<number, Word[]>();
  for (const l of lines) byPage.set(l.page, [...(byPage.get(l.page) ?? []), ...l.words]);
  const out: VisualRow[] = [];
  for (const [page, words] of byPage) {
    const sorted = [...words].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
    const rows: { y0: number; y1: number; words: Word[] }[] = [];
    for (const w of sorted) {
      const mid = w.box.y + w.box.h / 2;
      const last = rows[rows.length - 1];
      // Sorted by centre, so only the last row can still take the word: its centre lies in that row's band.
      if (last && mid >= last.y0 && mid <= last.y1) {
        last.words.push(w);
        last.y1 = Math.max(last.y1, Math.min(w.box.y + w.box.h, mid + (last.y1 - last.y0) / 2));
      } else rows.push({ y0: w.box.y, y1: w.box.y + w.box.h, words: [w] });
    }
    for (const r of rows) {
      const ws = groupedThousands(r.words.sort((a, b) => a.box.x - b.box.x));
      out.push({ page, y0: r.y0, y1: r.y1, words: ws, text: ws.map((w) => w.text).join(' ') });
    }
  }
  return out.sort((a, b) => a.page - b.page || a.y0 - b.y0);
}

/** A figure's leading group ("1", "-12", "€ 125") and a following group of exactly three digits, with the decimals after the last ("000,00"). */
const LEADING_GROUP = /^[-+(]?[€$£]?\d{1,3}(?: \d{3})*$/;
const THOUSANDS_GROUP = /^\d{3}(?:[.,]\d{1,4})?[)€$£-]?$/;

/**
 * Figures printed with a space between thousands ("1 980,00 €", the French and Swiss
 * habit) come from the text layer as two words, "1" and "980,00": each a number of its
 * own, so the amount cell read 1. Joined when the second is a group of three digits set
 * closer than half the row's height to the first (a word space is wider in most fonts,
 * and two figures of a table stand a column apart).
 */
function groupedThousands(words: readonly Word[]): Word[] {
  const out: Word[] = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    const gap = prev ? w.box.x - (prev.box.x + prev.box.w) : Infinity;
    if (prev && gap >= -0.5 && gap < 0.5 * Math.max(prev.box.h, w.box.h) && THOUSANDS_GROUP.test(w.text) && LEADING_GROUP.test(prev.text)) {
      out[out.length - 1] = { ...prev, text: `${prev.text} ${w.text}`, box: { x: prev.box.x, y: Math.min(prev.box.y, w.box.y), w: w.box.x + w.box.w - prev.box.x, h: Math.max(prev.box.y + prev.box.h, w.box.y + w.box.h) - Math.min(prev.box.y, w.box.y) } };
    } else out.push(w);
  }
  return out;
}

/** Typical word height of a row, at least 4 so a degenerate box does not shrink every distance to nothing. */
export function rowHeight(r: VisualRow): number {
  const hs = r.words.map((w) => w.box.h).sort((a, b) => a - b);
  return Math.max(4, hs[Math.floor(hs.length / 2)] ?? 0);
}

/** A number as printed in a price, quantity or amount cell: "1.234,50", "-5,00", "(12.00)", "€9.90", "20". */
const NUMBER = /^[-+(]?[€$£]?\d[\d.,' ]*\)?-?[€$£]?$/;

export function isNumberWord(text: string): boolean {
  return NUMBER.test(text.trim());
}

/** A quantity printed with its unit in one word ("5kg", "2,5h", "10Stk.", "3m²"): the number column it stands in reads its number. */
const WITH_UNIT = /^[-+]?\d[\d.,]*(?:[a-zA-ZäöüÄÖÜ]{1,5}\.?|[a-zA-Z]{0,2}[²³])$/;

export function isQuantityWord(text: string): boolean {
  return WITH_UNIT.test(text.trim());
}

/** A rate ("19%", "7,0 %", a lone "%"), which belongs to no kept column; "%)" in "(30 %)" is part of a description. */
export function isRate(text: string): boolean {
  return text.trim() === '%' || (text.includes('%') && isNumberWord(text.replace('%', '')));
}

/**
 * How well the words `s..s+n` of a row read as a header: the fuzzy similarity (≥ 0.8),
 * or, for a one-word header of at least 4 letters, 0.8 when a longer word ends with
 * it: a compound of the same meaning (Nettopreis, Einzelpreis, Gesamtbetrag).
 */
export function headerSimilarity(simple: readonly string[], s: number, n: number, target: string): number {
  const text = simple.slice(s, s + n).join(' ');
  const sim = similarityAtLeast(text, target, 0.8);
  if (sim > 0) return sim;
  return n === 1 && target.length >= 4 && !target.includes(' ') && text.length >= target.length + 3 && text.endsWith(target) ? 0.8 : 0;
}

export function simpleWords(words: readonly Word[]): string[] {
  return words.map((w) => simplify(w.text));
}
