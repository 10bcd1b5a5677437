/**
 * @module Turns pdf.js text runs into words with boxes. `getTextContent()` returns
 * runs, not words, and groups them differently between versions (NOTES "PDF"), so
 * words are derived here: each run is split on white space, a token's extent along
 * the baseline is its share of the run's characters, and tokens of consecutive runs
 * that touch (kerned or per-glyph runs) are joined back into one word.
 *
 * Boxes are in the page model's unit: points, top-left origin of the displayed page
 * (pdf.js's scale-1 viewport, which applies /Rotate and the crop box). A box spans
 * 0.8 of the font size above the baseline and 0.2 below: the usual ascent/descent of
 * Latin fonts, so boxes cover the ink like OCR boxes do.
 */
import type { Box, Word } from '../../core/page.ts';

/** The fields of a pdf.js TextItem this module reads. */
export interface TextRun {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

type Matrix = [number, number, number, number, number, number];

const ASCENT = 0.8;
const DESCENT = 0.2;
/** Joined when the gap between two tokens is under this share of the font size. */
const JOIN_GAP = 0.15;

interface Token {
  text: string;
  box: Box;
  size: number;
  /** Baseline y in displayed space, for "same line" tests. */
  baseline: number;
  horizontal: boolean;
  /** The token touches the start / end of its run (no white space in between). */
  atRunStart: boolean;
  atRunEnd: boolean;
}

/** Code points in `s` from `from` to `to` (UTF-16 offsets): a word's place in a run is counted in characters. */
function codePoints(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * The run's words with their boxes: each word's share of the run's advance is its share of the run's characters.
 * Runs hold a line's words (a 300-page text PDF: ~13,000 runs), so this walks each run once, counting characters
 * from one word to the next, and computes the four corners of a word's box without arrays.
 */
function runTokens(run: TextRun, view: Matrix): Token[] {
  const t = run.transform;
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = t;
  const scaleX = Math.hypot(a, b) || 1;
  const scaleY = Math.hypot(c, d) || 1;
  const ux = a / scaleX;
  const uy = b / scaleX;
  const vx = c / scaleY;
  const vy = d / scaleY;
  const size = run.height > 0 ? run.height : scaleY;
  const str = run.str;
  const total = codePoints(str, 0, str.length);
  const perChar = total > 0 ? run.width / total : 0;
  const [m0, m1, m2, m3, m4, m5] = view;
  // The direction of the text on the page decides "horizontal"; it is the same for every word of the run.
  const dx = m0 * ux + m2 * uy;
  const dy = m1 * ux + m3 * uy;
  const horizontal = Math.abs(dy) < 0.05 * Math.hypot(dx, dy) && dx > 0;
  const down = -DESCENT * size;
  const up = ASCENT * size;
  const tokens: Token[] = [];
  const re = /\S+/gu;
  let match: RegExpExecArray | null;
  let seen = 0;
  let seenAt = 0;
  while ((match = re.exec(str)) !== null) {
    const startChar = seen + codePoints(str, seenAt, match.index);
    const end = match.index + match[0].length;
    const len = codePoints(str, match.index, end);
    seen = startChar + len;
    seenAt = end;
    const s0 = startChar * perChar;
    const s1 = (startChar + len) * perChar;
    // The four corners: start and end of the word's advance, at the descender and at the ascender.
    const ax = e + ux * s0 + vx * down;
    const ay = f + uy * s0 + vy * down;
    const bx0 = e + ux * s0 + vx * up;
    const by0 = f + uy * s0 + vy * up;
    const cx = e + ux * s1 + vx * down;
    const cy = f + uy * s1 + vy * down;
    const dx1 = e + ux * s1 + vx * up;
    const dy1 = f + uy * s1 + vy * up;
    const xs0 = m0 * ax + m2 * ay + m4;
    const xs1 = m0 * bx0 + m2 * by0 + m4;
    const xs2 = m0 * cx + m2 * cy + m4;
    const xs3 = m0 * dx1 + m2 * dy1 + m4;
    const ys0 = m1 * ax + m3 * ay + m5;
    const ys1 = m1 * bx0 + m3 * by0 + m5;
    const ys2 = m1 * cx + m3 * cy + m5;
    const ys3 = m1 * dx1 + m3 * dy1 + m5;
    const x0 = Math.min(xs0, xs1, xs2, xs3);
    const y0 = Math.min(ys0, ys1, ys2, ys3);
    const x1 = Math.max(xs0, xs1, xs2, xs3);
    const y1 = Math.max(ys0, ys1, ys2, ys3);
    const bx = e + ux * s0;
    const by = f + uy * s0;
    tokens.push({
      text: match[0],
      box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 },
      size,
      baseline: m1 * bx + m3 * by + m5,
      horizontal,
      atRunStart: match.index === 0,
      atRunEnd: end === str.length,
    });
  }
  return tokens;
}

function touches(prev: Token, next: Token): boolean {
  if (!prev.atRunEnd || !next.atRunStart || !prev.horizontal || !next.horizontal) return false;
  const size = Math.max(prev.size, next.size);
  if (Math.abs(prev.baseline - next.baseline) > 0.25 * size) return false;
  const gap = next.box.x - (prev.box.x + prev.box.w);
  return gap <= JOIN_GAP * size && gap >= -0.25 * size;
}

function joined(prev: Token, next: Token): Token {
  const x0 = Math.min(prev.box.x, next.box.x);
  const y0 = Math.min(prev.box.y, next.box.y);
  const x1 = Math.max(prev.box.x + prev.box.w, next.box.x + next.box.w);
  const y1 = Math.max(prev.box.y + prev.box.h, next.box.y + next.box.h);
  return { ...next, text: prev.text + next.text, box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, atRunStart: prev.atRunStart };
}

/** Words of a page from its text runs; `view` is the scale-1 viewport transform. */
export function wordsFromRuns(runs: readonly TextRun[], view: readonly number[]): Word[] {
  const m: Matrix = [view[0] ?? 1, view[1] ?? 0, view[2] ?? 0, view[3] ?? 1, view[4] ?? 0, view[5] ?? 0];
  const out: Token[] = [];
  for (const run of runs) {
    if (run.str.length === 0) continue;
    if (run.str.trim() === '') {
      // A run of spaces separates the words around it.
      const last = out.at(-1);
      if (last) last.atRunEnd = false;
      continue;
    }
    for (const token of runTokens(run, m)) {
      const last = out.at(-1);
      if (last && touches(last, token)) out[out.length - 1] = joined(last, token);
      else out.push(token);
    }
  }
  return out.map((t) => ({ text: t.text, box: t.box, confidence: 1 }));
}
