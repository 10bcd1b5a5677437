/**
 * @module Generic key → value pairing by geometry (the `key_values` heuristic): the
 * labelled boxes of a form ("Date:", "NAME OF EVENT:", "MEDIA TYPE") paired with the
 * text right of them on their row or, failing that, just below them. Forms differ
 * too much for per-label rules, so a key is recognised by its shape: a phrase ending
 * in a colon, or (FUNSD: 137 of 221 annotated keys have none) a short phrase of
 * capitalised words that is not a sentence, a date or a name with a number.
 *
 * Phrases are the parts of a line between wide gaps (1.2 line heights: a form's
 * columns), so "To: J. Smith     Date: 3/18/97" is two phrases. A phrase "key: value"
 * or "LABEL IN CAPITALS 123" pairs at once; a key phrase takes the nearest free
 * phrase right of it on its row (within 40 % of the page width), else the nearest
 * one below it (within 3 line heights for a colon key, 1.5 for a bare label,
 * overlapping its left edge), never another key. Each phrase is a value at most
 * once; closer pairs are made first, colon keys before bare labels, and a bare label
 * never takes another label-like phrase or a sentence as its value ("Fax Number
 * Voice Number" is two labels side by side). On the 12 FUNSD forms this took pairing
 * recall from 0.125 to 0.22 at precision 0.33 (was 0.47): F1 0.197 → 0.26.
  */
import type { Area } from '../../core/capture.ts';
import { unionBox, type Box } from '../../core/page.ts';
import { minConfidence, splitOnGaps, type TextLine } from './text.ts';

export interface KeyValuePair {
  key: string;
  value: string;
  /** 0..1: the weaker OCR confidence of the two, lowered 15 % for a value below its key. */
  confidence: number;
  areas: Area[];
}

interface Phrase {
  line: TextLine;
  text: string;
  box: Box;
  confidence: number;
}

/** Letters in at most six words before the colon: a label, not a sentence or a time ("10:21"). */
const INLINE = /^([^:]{1,60}?\p{L}[^:]{0,60}?)\s*:\s*(\S.*)$/u;
const MAX_KEY_WORDS = 6;
/** Added to the distance of a value below its key, so that every value on a key's row is linked first. */
const BELOW = 1000;
const BARE = 10_000;

function phrasesOf(lines: readonly TextLine[]): Phrase[] {
  return lines.flatMap((l) => splitOnGaps(l, 1.2)).map((p) => ({ line: p, text: p.text.trim(), box: p.box, confidence: minConfidence(p.words) }));
}

function isKey(text: string): boolean {
  return /\p{L}.*:$/u.test(text) && text.split(/\s+/).length <= MAX_KEY_WORDS;
}

/**
 * A label printed without a colon (FUNSD: 137 of 221 annotated keys): a short
 * phrase of capitalised words ("MEDIA TYPE", "Fax Number", "DATE SERVED"), mostly
 * letters, not a sentence (no final full stop, at most five words).
 */
function isBareLabel(text: string): boolean {
  const words = text.split(/\s+/);
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const chars = text.replace(/\s+/g, '').length;
  if (words.length > 5 || text.length > 40 || letters < 3 || letters / chars < 0.7 || /[.!?,;]$/.test(text)) return false;
  return words.every((w) => !/^\p{Ll}/u.test(w) || /^(?:of|and|or|to|the|for|in|no|per|by|a)$/.test(w)) && /^\p{Lu}/u.test(words[0] as string);
}

/**
 * "CUSTOMER SHIPPING NUMBER 198-1160006": label words in capitals, then a value that
 * starts with a digit or a currency sign. Capitals only: "Susan Smith 335-7733" is
 * a name and a phone number in a list, not a label and its value.
 */
const BARE_INLINE = /^((?:\p{Lu}[\p{Lu}'’()/&#.-]*\s+){0,4}\p{Lu}[\p{Lu}'’()/&#-]+)\s+([$€£#]?\d.*)$/u;
/** Month names: "SEPTEMBER 22, 1997" is a date, not a label and its value. */
const MONTH = /^(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)/i;

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/^[\s:_.]+|[\s:_]+$/g, '').trim();
}

/** The key → value pairs of a document's lines, in reading order of the keys. */
export function keyValuePairs(lines: readonly TextLine[]): KeyValuePair[] {
  const phrases = phrasesOf(lines);
  const out: { order: number; pair: KeyValuePair }[] = [];
  const keys: { i: number; p: Phrase }[] = [];
  const inline = new Set<number>();
  const bare = new Set<number>();
  phrases.forEach((p, i) => {
    const m = INLINE.exec(p.text) ?? (MONTH.test(p.text) ? null : BARE_INLINE.exec(p.text));
    if (isKey(p.text)) keys.push({ i, p });
    else if (m && (m[1] as string).split(/\s+/).length <= MAX_KEY_WORDS) {
      inline.add(i);
      const value = clean(m[2] as string);
      // A bare "LABEL 123" is less sure than "Label: 123": 0.8 of its OCR confidence.
      const confidence = p.confidence * (p.text.includes(':') ? 1 : 0.8);
      if (value !== '') out.push({ order: i, pair: { key: clean(m[1] as string), value, confidence: Number(confidence.toFixed(4)), areas: [{ page: p.line.page, box: p.box }] } });
    } else if (isBareLabel(p.text) && !MONTH.test(p.text)) {
      keys.push({ i, p });
      bare.add(i);
    }
  });
  // Candidate (key, value) links with their distance in line heights; the closest are linked first. A "key: value" phrase is never a value.
  const links: { k: number; v: number; d: number; below: boolean }[] = [];
  for (const { i, p: k } of keys) {
    const h = Math.max(4, k.box.h);
    phrases.forEach((v, j) => {
      if (j === i || inline.has(j) || v.line.page !== k.line.page || isKey(v.text) || !/[\p{L}\p{N}]/u.test(v.text)) return;
      // A bare label's links come after every colon key's (+BARE).
      const extra = bare.has(i) ? BARE : 0;
      // Nor does it take another label-like phrase ("Fax Number" → "Voice Number") or a sentence (more than eight words).
      if (bare.has(i) && (isBareLabel(v.text) || v.text.split(/\s+/).length > 8)) return;
      const dy = v.box.y + v.box.h / 2 - (k.box.y + k.box.h / 2);
      const dx = v.box.x - (k.box.x + k.box.w);
      if (Math.abs(dy) < 0.6 * h && dx > -h && dx < 0.4 * k.line.pageWidth) links.push({ k: i, v: j, d: extra + Math.max(0, dx) / h, below: false });
      else {
        const gap = v.box.y - (k.box.y + k.box.h);
        const overlaps = v.box.x < k.box.x + k.box.w + h && v.box.x + v.box.w > k.box.x - h;
        if (gap > -0.3 * h && gap < (bare.has(i) ? 1.5 : 3) * h && overlaps) links.push({ k: i, v: j, d: extra + BELOW + gap / h + Math.abs(v.box.x - k.box.x) / (4 * h), below: true });
      }
    });
  }
  links.sort((a, b) => a.d - b.d);
  const usedKeys = new Set<number>();
  const usedValues = new Set<number>();
  for (const l of links) {
    if (usedKeys.has(l.k) || usedValues.has(l.v)) continue;
    usedKeys.add(l.k);
    usedValues.add(l.v);
    const k = phrases[l.k] as Phrase;
    const v = phrases[l.v] as Phrase;
    const confidence = Math.min(k.confidence, v.confidence) * (l.below ? 0.85 : 1) * (bare.has(l.k) ? 0.8 : 1);
    out.push({ order: l.k, pair: { key: clean(k.text), value: clean(v.text), confidence: Number(confidence.toFixed(4)), areas: [{ page: k.line.page, box: unionBox([k.box, v.box]) }] } });
  }
  return out.sort((a, b) => a.order - b.order).map((o) => o.pair);
}
