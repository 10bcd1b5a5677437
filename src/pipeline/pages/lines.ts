/**
 * @module Groups a page's words into lines and puts words in reading order. OCR
 * engines report their own lines (Tesseract's block/paragraph/line numbers), so this
 * serves born-digital pages, whose text runs come in content-stream order, which is
 * often not reading order (form fields, headers written last).
 *
 * Rule: words whose vertical centres lie within half a word height of a row's centre
 * share a row; a row splits into separate lines where the horizontal gap exceeds 2.5
 * times the text height (the columns of a two-column page or a form's label/value
 * cells stay apart). Lines are then ordered top to bottom, left to right.
 */
import { unionBox, type Line, type Word } from '../../core/page.ts';

const ROW_TOLERANCE = 0.5;
const COLUMN_GAP = 2.5;

interface Row {
  centre: number;
  height: number;
  words: number[];
}

/** Words reordered line by line, and the lines over the reordered words. */
export function orderIntoLines(words: readonly Word[]): { words: Word[]; lines: Line[] } {
  const order = words.map((_, i) => i).sort((a, b) => {
    const wa = words[a]!.box;
    const wb = words[b]!.box;
    return wa.y + wa.h / 2 - (wb.y + wb.h / 2) || wa.x - wb.x;
  });
  const rows: Row[] = [];
  for (const i of order) {
    const box = words[i]!.box;
    const centre = box.y + box.h / 2;
    const row = rows.at(-1);
    if (row && Math.abs(centre - row.centre) <= ROW_TOLERANCE * Math.min(row.height, box.h || row.height)) {
      row.words.push(i);
      row.centre = (row.centre * (row.words.length - 1) + centre) / row.words.length;
      row.height = Math.max(row.height, box.h);
    } else {
      rows.push({ centre, height: box.h, words: [i] });
    }
  }
  const outWords: Word[] = [];
  const lines: Line[] = [];
  for (const row of rows) {
    row.words.sort((a, b) => words[a]!.box.x - words[b]!.box.x);
    let current: number[] = [];
    const flush = (): void => {
      if (current.length === 0) return;
      const start = outWords.length;
      for (const i of current) outWords.push(words[i]!);
      const idx = current.map((_, k) => start + k);
      lines.push({
        text: idx.map((k) => outWords[k]!.text).join(' '),
        box: unionBox(idx.map((k) => outWords[k]!.box)),
        words: idx,
      });
      current = [];
    };
    for (const i of row.words) {
      const prev = current.at(-1);
      if (prev !== undefined) {
        const pb = words[prev]!.box;
        const gap = words[i]!.box.x - (pb.x + pb.w);
        if (gap > COLUMN_GAP * Math.max(pb.h, words[i]!.box.h)) flush();
      }
      current.push(i);
    }
    flush();
  }
  return { words: outWords, lines };
}

/** Lines from words already grouped by an engine: `lineOf[i]` is word i's line key; words stay in the given order. */
export function linesFromKeys(words: readonly Word[], lineOf: readonly string[]): Line[] {
  const lines: Line[] = [];
  let key: string | undefined;
  for (let i = 0; i < words.length; i++) {
    if (lineOf[i] !== key || lines.length === 0) {
      lines.push({ text: '', box: { x: 0, y: 0, w: 0, h: 0 }, words: [] });
      key = lineOf[i];
    }
    lines.at(-1)!.words.push(i);
  }
  for (const line of lines) {
    line.text = line.words.map((k) => words[k]!.text).join(' ');
    line.box = unionBox(line.words.map((k) => words[k]!.box));
  }
  return lines;
}
