/**
 * @module Generic key → value pairing by geometry (the `key_values` heuristic): the
 * labelled boxes of a form ("Date:", "NAME OF EVENT:") paired with the text right
 * of them on their row or, failing that, just below them. Forms differ too much for
 * per-label rules, so a key is recognised by its colon, which printed and typed forms
 * put after a label (FUNSD's scanned forms: most question entities end in ":").
 *
 * Phrases are the parts of a line between wide gaps (1.2 line heights: a form's
 * columns), so "To: J. Smith     Date: 3/18/97" is two phrases. A phrase "key: value"
 * pairs at once; a phrase ending in ":" takes the nearest free phrase right of it on
 * its row (within 40 % of the page width), else the nearest one below it (within 3
 * line heights, overlapping its left edge), never another key. Each phrase is a value
 * at most once; closer pairs are made first.
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

function phrasesOf(lines: readonly TextLine[]): Phrase[] {
  return lines.flatMap((l) => splitOnGaps(l, 1.2)).map((p) => ({ line: p, text: p.text.trim(), box: p.box, confidence: minConfidence(p.words) }));
}

function isKey(text: string): boolean {
  return /\p{L}.*:$/u.test(text) && text.split(/\s+/).length <= MAX_KEY_WORDS;
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/^[\s:_.]+|[\s:_]+$/g, '').trim();
}

/** The key → value pairs of a document's lines, in reading order of the keys. */
export function keyValuePairs(lines: readonly TextLine[]): KeyValuePair[] {
  const phrases = phrasesOf(lines);
  const out: { order: number; pair: KeyValuePair }[] = [];
  const keys: { i: number; p: Phrase }[] = [];
  const inline = new Set<number>();
  phrases.forEach((p, i) => {
    const m = INLINE.exec(p.text);
    if (isKey(p.text)) keys.push({ i, p });
    else if (m && (m[1] as string).split(/\s+/).length <= MAX_KEY_WORDS) {
      inline.add(i);
      const value = clean(m[2] as string);
      if (value !== '') out.push({ order: i, pair: { key: clean(m[1] as string), value, confidence: Number(p.confidence.toFixed(4)), areas: [{ page: p.line.page, box: p.box }] } });
    }
  });
  // Candidate (key, value) links with their distance in line heights; the closest are linked first. A "key: value" phrase is never a value.
  const links: { k: number; v: number; d: number; below: boolean }[] = [];
  for (const { i, p: k } of keys) {
    const h = Math.max(4, k.box.h);
    phrases.forEach((v, j) => {
      if (j === i || inline.has(j) || v.line.page !== k.line.page || isKey(v.text) || !/[\p{L}\p{N}]/u.test(v.text)) return;
      const dy = v.box.y + v.box.h / 2 - (k.box.y + k.box.h / 2);
      const dx = v.box.x - (k.box.x + k.box.w);
      if (Math.abs(dy) < 0.6 * h && dx > -h && dx < 0.4 * k.line.pageWidth) links.push({ k: i, v: j, d: Math.max(0, dx) / h, below: false });
      else {
        const gap = v.box.y - (k.box.y + k.box.h);
        const overlaps = v.box.x < k.box.x + k.box.w + h && v.box.x + v.box.w > k.box.x - h;
        if (gap > -0.3 * h && gap < 3 * h && overlaps) links.push({ k: i, v: j, d: BELOW + gap / h + Math.abs(v.box.x - k.box.x) / (4 * h), below: true });
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
    const confidence = Math.min(k.confidence, v.confidence) * (l.below ? 0.85 : 1);
    out.push({ order: l.k, pair: { key: clean(k.text), value: clean(v.text), confidence: Number(confidence.toFixed(4)), areas: [{ page: k.line.page, box: unionBox([k.box, v.box]) }] } });
  }
  return out.sort((a, b) => a.order - b.order).map((o) => o.pair);
}
