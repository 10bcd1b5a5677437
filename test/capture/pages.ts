/**
 * @module Test fixtures: pages of words built in code, laid out like a simple
 * born-digital page (6 pt per character, 12 pt lines, 20 pt apart), so capture
 * tests need neither the page engine nor the corpus.
 */
import type { Line, Page, Word } from '../../src/core/page.ts';

/** A page whose lines are the given texts; runs of 3+ spaces become wide gaps (columns). */
export function textPage(index: number, lines: string[], confidence = 1): Page {
  const words: Word[] = [];
  const out: Line[] = [];
  lines.forEach((text, row) => {
    const ids: number[] = [];
    let x = 40;
    for (const token of text.split(/( {3,}| )/)) {
      if (token === ' ') x += 6;
      else if (/^ {3,}$/.test(token)) x += token.length * 12;
      else if (token !== '') {
        ids.push(words.length);
        words.push({ text: token, box: { x, y: 40 + row * 20, w: token.length * 6, h: 12 }, confidence });
        x += token.length * 6;
      }
    }
    if (ids.length > 0) out.push({ text: ids.map((i) => words[i]?.text).join(' '), box: { x: 40, y: 40 + row * 20, w: x - 40, h: 12 }, words: ids });
  });
  return { index, width: 612, height: 792, dpi: 72, rotation: 0, source: 'text', words, lines: out };
}
