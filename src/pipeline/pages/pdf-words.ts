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

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

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
  const chars = [...run.str];
  const perChar = chars.length > 0 ? run.width / chars.length : 0;
  const tokens: Token[] = [];
  const re = /\S+/gu;
  let match: RegExpExecArray | null;
  while ((match = re.exec(run.str)) !== null) {
    const startChar = [...run.str.slice(0, match.index)].length;
    const len = [...match[0]].length;
    const s0 = startChar * perChar;
    const s1 = (startChar + len) * perChar;
    const corners: [number, number][] = [];
    for (const s of [s0, s1]) {
      for (const v of [-DESCENT * size, ASCENT * size]) {
        corners.push(apply(view, e + ux * s + vx * v, f + uy * s + vy * v));
      }
    }
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const y0 = Math.min(...ys);
    const [, baseline] = apply(view, e + ux * s0, f + uy * s0);
    const dispDir = apply([view[0], view[1], view[2], view[3], 0, 0], ux, uy);
    tokens.push({
      text: match[0],
      box: { x: x0, y: y0, w: Math.max(...xs) - x0, h: Math.max(...ys) - y0 },
      size,
      baseline,
      horizontal: Math.abs(dispDir[1]) < 0.05 * Math.hypot(dispDir[0], dispDir[1]) && dispDir[0] > 0,
      atRunStart: match.index === 0,
      atRunEnd: match.index + match[0].length === run.str.length,
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
