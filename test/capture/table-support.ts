/**
 * @module Word layouts for the line-item tests (table.test.ts, table-columns.test.ts):
 * the demo project's line-item field and printed rows built word by word, one line per
 * word as a PDF text layer gives one text run per line.
 */
import assert from 'node:assert/strict';
import { demoProject } from '../../src/core/demo-project.ts';
import { captureSettings, parseProject, type FieldDef } from '../../src/core/project.ts';
import type { Page, Word } from '../../src/core/page.ts';

/** The demo project's invoice line items: description, quantity, unit price, amount. */
export function lineItems(): FieldDef {
  const parsed = parseProject(demoProject());
  assert.ok(parsed.ok);
  const field = captureSettings(parsed.project).document_types.find((t) => t.name === 'Invoice')?.fields.find((f) => f.name === 'line_items');
  assert.ok(field);
  return field;
}

export type Cell = [text: string, x: number];

/** Printed rows at the given heights; each word a line of its own, as a PDF text layer gives one text run per line. */
export function page(index: number, rows: [y: number, cells: Cell[]][], align: 'left' | 'right' = 'left'): Page {
  const words: Word[] = [];
  for (const [y, cells] of rows) {
    for (const [text, x] of cells) {
      let left = x;
      for (const part of text.split(' ')) {
        const w = part.length * 5;
        // Right-aligned cells give the right edge; numbers in them end where their header ends.
        const x0 = align === 'right' && /^[-\d.,]+$/.test(text) ? x - w : left;
        words.push({ text: part, box: { x: x0, y, w, h: 10 }, confidence: 1 });
        left += w + 3;
      }
    }
  }
  return { index, width: 600, height: 800, dpi: 72, rotation: 0, source: 'text', words, lines: words.map((w, i) => ({ text: w.text, box: w.box, words: [i] })) };
}

