/**
 * @module Parses Tesseract's TSV output (`tesseract img - tsv`): one row per layout
 * element, level 5 rows being words with left/top/width/height in pixels and a
 * confidence in 0..100. Line keys combine block, paragraph and line numbers, which
 * Tesseract emits in its reading order.
 */
import type { OcrWord } from './types.ts';

export function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  const rows = tsv.split('\n');
  for (let i = 1; i < rows.length; i++) {
    const cols = rows[i]!.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const text = cols.slice(11).join('\t').trim();
    if (text === '') continue;
    const conf = Number(cols[10]);
    words.push({
      text,
      x: Number(cols[6]),
      y: Number(cols[7]),
      w: Number(cols[8]),
      h: Number(cols[9]),
      confidence: Number.isFinite(conf) && conf >= 0 ? Math.min(1, conf / 100) : 0,
      // Not the page number: a long-lived process numbers its pages on (tesseract-process.ts), and a page's words
      // must come out the same whichever page of the process it was.
      line: `${cols[2]}.${cols[3]}.${cols[4]}`,
    });
  }
  return words;
}
