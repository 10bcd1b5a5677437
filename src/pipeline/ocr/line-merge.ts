/**
 * @module Which of Tesseract's lines the line reader (line-reader.ts) reads again,
 * and how its characters replace Tesseract's. Tesseract keeps what it does well:
 * finding lines, cutting them into words and boxing each word; the line reader's
 * characters are put into those word boxes by where they sit on the line (the column
 * of each CTC step), so a word keeps its box and a line keeps its words. A character
 * the reader sees outside every box (a first letter Tesseract left out of its word)
 * goes to the nearest word. Spaces the reader emits are not used: this model seldom
 * emits them between Latin words (`MRD.I.Y.(M)SDNBHD`), and Tesseract's word gaps
 * are reliable.
 *
 * In `uncertain` mode a page with a word below 0.8 confidence has its lines with a word
 * below 0.95 read again, every piece of a long line (reading only the pieces with such a
 * word raised bench/ocr's TIFF character error rate: docs/pages.md "Pieces"); a page
 * without one is left as Tesseract read it. On the first 30
 * SROIE receipts, 0.95 read 90 % of the lines and gave F1 0.908 against 0.883 at 0.8 and
 * 0.892 for every line, 0.6 lost 0.04 more: Tesseract is seldom wrong where it is that
 * sure, and keeps its spacing there ("GK 101", which the reader runs together).
 * Measured again on the fixed halves of all 150 receipts: 0.9 gave dev F1 0.738 against
 * 0.735 (0.85: 0.724; test 0.746 against 0.743) and reads 312 of bench/ocr's lines
 * instead of 398, but it raised bench/ocr's TIFF character error rate from 6.47 % to
 * 6.64 %, so the cut stays 0.95 (docs/pages.md "Line reader").
 * The page gate keeps clean pages from loading the reader at all (~190 MB of
 * WebAssembly memory that never shrinks): a 500-page G4 TIFF of clean text, none of
 * whose words is below 0.8 but many below 0.95, peaked at 632–687 MB without it and
 * at 319–353 MB with it (`node bench/memory.ts --only tiff --arena`; ≤ 500 MB is the
 * target); the receipts read the same either way.
 * A word read again takes the lowest probability of its characters as its confidence,
 * which is what the review thresholds are calibrated on; a word the reader found no
 * characters for keeps Tesseract's text and confidence.
 */
import type { LineReading } from '../../core/project/model.ts';
import { median } from '../../core/stats.ts';
import type { LineBox, ReadChar } from './line-reader.ts';
import type { OcrWord } from './types.ts';

export type { LineReading };

/** Lines with a word below this confidence are read again in `uncertain` mode. */
export const UNCERTAIN_BELOW = 0.95;
/** A page is read again in `uncertain` mode only if a word on it is below this confidence. */
export const PAGE_UNCERTAIN_BELOW = 0.8;

export interface LinesToRead {
  /** Line keys of the lines to read, in reading order. */
  keys: string[];
  boxes: LineBox[];
  /** Lines the mode asked for that were left to Tesseract because the page had more than `MAX_LINES_PER_PAGE`. */
  skipped: number;
}

/**
 * Lines read again on one page at most: those with the least sure words first. A page of noise or halftone that
 * Tesseract reads as thousands of specks does not run the reader thousands of times; a dense A4 page has ~60 lines
 * (~120 pieces), a long receipt ~70.
 */
export const MAX_LINES_PER_PAGE = 200;

/**
 * A line is read in pieces of whole words at most this wide once scaled to the model's height (≈ 13 line heights,
 * some 30 characters). The model's memory grows with the widest input it has seen and WebAssembly memory never
 * shrinks: a process reading 640 px wide inputs grew by ~190 MB, by ~320 MB once it read 4,000 px ones (a line
 * across an A4 page at 300 dpi); time per pixel is the same. Receipts' lines are shorter and gained nothing.
 */
export const MAX_PIECE_WIDTH = 640;
/** The model's input height, and the space the reader keeps above and below a box, in box heights (Tesseract's
 * boxes fit the ink tightly). Here, not in line-reader.ts, so that choosing lines does not load the model's runtime. */
export const LINE_HEIGHT = 48;
export const LINE_PAD = 0.15;

function bounds(words: readonly OcrWord[]): LineBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const w of words) {
    x0 = Math.min(x0, w.x);
    y0 = Math.min(y0, w.y);
    x1 = Math.max(x1, w.x + w.w);
    y1 = Math.max(y1, w.y + w.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The line's horizontal extent, and the band between its words' median top and median bottom. One tall word box — a
 * date Tesseract boxed with the pen stroke under it, a logo beside the text — made the union of a SROIE receipt's
 * line 122 px high for 35 px text; squeezed into the model's 48 px, three lines' height of ink read as nothing.
 */
function band(words: readonly OcrWord[]): LineBox {
  const b = bounds(words);
  // A line has at least one word, so the medians are numbers.
  const top = median(words.map((w) => w.y)) ?? b.y;
  const bottom = median(words.map((w) => w.y + w.h)) ?? b.y + b.h;
  return { x: b.x, y: top, w: b.w, h: bottom - top };
}

/**
 * The boxes to read again for each line the mode asks for: the line cut between words into pieces no wider than
 * `MAX_PIECE_WIDTH` once scaled, each as high as the line's band. A key is repeated for each piece of its line.
 */
export function linesToRead(words: readonly OcrWord[], mode: LineReading, threshold = UNCERTAIN_BELOW, cap = MAX_LINES_PER_PAGE): LinesToRead {
  const out: LinesToRead = { keys: [], boxes: [], skipped: 0 };
  if (mode === 'off') return out;
  if (mode === 'uncertain' && !words.some((w) => w.confidence < PAGE_UNCERTAIN_BELOW)) return out;
  const lines = new Map<string, OcrWord[]>();
  for (const w of words) {
    const line = lines.get(w.line);
    if (line) line.push(w);
    else lines.set(w.line, [w]);
  }
  const chosen = [...lines].filter(([, line]) => mode !== 'uncertain' || line.some((w) => w.confidence < threshold));
  const least = (line: OcrWord[]) => Math.min(...line.map((w) => w.confidence));
  const kept = new Set(chosen.length > cap ? [...chosen].sort((a, b) => least(a[1]) - least(b[1])).slice(0, cap).map(([key]) => key) : chosen.map(([key]) => key));
  out.skipped = chosen.length - kept.size;
  for (const [key, line] of chosen) {
    if (!kept.has(key)) continue;
    const whole = band(line);
    // The reader's crop is the box with 15 % of its height above and below (line-reader.ts), scaled to 48 px high.
    const widest = (MAX_PIECE_WIDTH * whole.h * (1 + 2 * LINE_PAD)) / LINE_HEIGHT;
    let piece: OcrWord[] = [];
    const flush = () => {
      if (piece.length === 0) return;
      const b = bounds(piece);
      out.keys.push(key);
      out.boxes.push({ x: b.x, y: whole.y, w: b.w, h: whole.h });
      piece = [];
    };
    for (const w of [...line].sort((a, b) => a.x - b.x)) {
      if (piece.length > 0 && w.x + w.w - piece[0]!.x > widest) flush();
      piece.push(w);
    }
    flush();
  }
  return out;
}

/** Horizontal distance from a column to a word's box; 0 inside it. */
function distance(x: number, w: OcrWord): number {
  return x < w.x ? w.x - x : x > w.x + w.w ? x - (w.x + w.w) : 0;
}

/** The words with the characters read for each line of `keys` put into them; other lines unchanged. */
export function mergeLines(words: readonly OcrWord[], keys: readonly string[], reads: readonly ReadChar[][]): OcrWord[] {
  const readOf = new Map<string, ReadChar[]>();
  keys.forEach((k, i) => readOf.set(k, [...(readOf.get(k) ?? []), ...(reads[i] ?? [])]));
  const texts = new Map<OcrWord, { text: string; p: number }>();
  const byLine = new Map<string, OcrWord[]>();
  for (const w of words) if (readOf.has(w.line)) byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
  for (const [key, line] of byLine) {
    for (const c of readOf.get(key)!) {
      if (c.text.trim() === '') continue;
      let best = line[0]!;
      for (const w of line) if (distance(c.x, w) < distance(c.x, best)) best = w;
      const sofar = texts.get(best);
      texts.set(best, sofar ? { text: sofar.text + c.text, p: Math.min(sofar.p, c.p) } : { text: c.text, p: c.p });
    }
  }
  return words.map((w) => {
    const read = texts.get(w);
    return read ? { ...w, text: zeroAsLetter(withPunctuation(w.text, read.text)), confidence: read.p } : w;
  });
}

/**
 * The runs of letters in a word in which the reader saw a digit 0 spelt with O: its Chinese-and-English dictionary
 * holds both and its context is one line, so `L0T`, `GR0UND FL00R` and `FLR,0NE UTAMA` came out of the SROIE receipts
 * where Tesseract, with its word lists, read O. Only a run of two letters or more with no other digit is respelt
 * (`10T`, `B2C0`, `A0` stay, and `RM0.00`, whose 0 goes on into a number), and the O takes the case of the letters
 * beside it.
 */
export function zeroAsLetter(word: string): string {
  if (!word.includes('0')) return word;
  return word.replace(/[\p{L}\d]+/gu, (run, at: number) => {
    if (!run.includes('0') || /[1-9]/.test(run) || (run.match(/\p{L}/gu)?.length ?? 0) < 2) return run;
    // A 0 that goes on into a number is a digit: `RM0.00`.
    if (/0$/.test(run) && /^[.,]\d/.test(word.slice(at + run.length))) return run;
    const lower = /\p{Ll}/u.test(run) && !/\p{Lu}{2}/u.test(run);
    return run.replace(/0/g, lower ? 'o' : 'O');
  });
}

/** The marks that separate parts of dates, numbers and codes; Tesseract's quotes and specks are not put back. */
const SEPARATOR = /[/\-.,:]/;

/**
 * The line reader's word with the punctuation Tesseract saw inside it and the reader dropped put back. The model
 * drops thin strokes between digits (`30032018` for a receipt's `30/03/2018`, which Tesseract read `90/05/2018`;
 * `CS20322` for `CS-20322`), so the two readings are aligned by edit distance and a separator (`/ - . , :`) that
 * only Tesseract has is kept; letters and digits always come from the reader. On the 30 SROIE receipts this found
 * one more date (27 → 28 of 30).
 */
export function withPunctuation(tesseract: string, reader: string): string {
  const a = [...tesseract];
  const b = [...reader];
  if (!a.some((c) => SEPARATOR.test(c))) return reader;
  // cost[i][j]: edits between a[i..] and b[j..].
  const cost = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length; i >= 0; i--) {
    for (let j = b.length; j >= 0; j--) {
      if (i === a.length) cost[i]![j] = b.length - j;
      else if (j === b.length) cost[i]![j] = a.length - i;
      else cost[i]![j] = Math.min(cost[i + 1]![j + 1]! + (a[i] === b[j] ? 0 : 1), cost[i + 1]![j]! + 1, cost[i]![j + 1]! + 1);
    }
  }
  let out = '';
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && cost[i]![j] === cost[i + 1]![j + 1]! + (a[i] === b[j] ? 0 : 1)) {
      out += b[j];
      i++;
      j++;
    } else if (i < a.length && cost[i]![j] === cost[i + 1]![j]! + 1) {
      if (SEPARATOR.test(a[i]!)) out += a[i];
      i++;
    } else {
      out += b[j];
      j++;
    }
  }
  return out;
}
