/**
 * @module Fuzzy text matching for labels, lookup lists and enum values: OCR turns
 * "Total" into "Tota1" or "TOTAL:", and supplier names come with or without "Ltd".
 * Levenshtein distance (bounded, two rows) normalised by the longer length gives a
 * 0..1 similarity; `bestLookup` scans a line's word n-grams against a list.
 */
import { simplify } from '../../core/project/keywords.ts';

/** Lower case, punctuation dropped, whitespace collapsed (in core: classification's keywords compare the same way). */
export { simplify };

/** Edit distance, stopping early once it exceeds `max`. */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

export function similarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  if (n === 0) return 1;
  return 1 - levenshtein(a, b) / n;
}

/**
 * `similarity(a, b)` when it is at least `min`, else 0, computed with the distance
 * bounded by what `min` allows: label matching compares every word n-gram of a page
 * with every label, and most pairs are ruled out by their lengths or in a few rows
 * (label search was half of capture's time with the unbounded distance).
 */
export function similarityAtLeast(a: string, b: string, min: number): number {
  const n = Math.max(a.length, b.length);
  if (n === 0) return 1;
  const max = Math.floor((1 - min) * n + 1e-9);
  if (Math.abs(a.length - b.length) > max) return 0;
  const d = levenshtein(a, b, max);
  return d > max ? 0 : 1 - d / n;
}

export interface LookupMatch {
  value: string;
  score: number;
  /** Word range [start, end) of the matching n-gram in the given words. */
  start: number;
  end: number;
}

/** The list entry best matching a run of consecutive words (n-grams up to the entry's length + 1). */
export function bestLookup(words: readonly string[], list: readonly string[], minScore = 0.8): LookupMatch | null {
  const simple = words.map(simplify);
  let best: LookupMatch | null = null;
  for (const entry of list) {
    const target = simplify(entry);
    if (target === '') continue;
    const n = target.split(' ').length;
    for (let len = Math.max(1, n - 1); len <= n + 1; len++) {
      for (let s = 0; s + len <= simple.length; s++) {
        const gram = simple.slice(s, s + len).join(' ').trim();
        if (Math.abs(gram.length - target.length) > target.length * (1 - minScore) + 1) continue;
        const score = similarity(gram, target);
        if (score >= minScore && (!best || score > best.score)) best = { value: entry, score, start: s, end: s + len };
      }
    }
  }
  return best;
}
