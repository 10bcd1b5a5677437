/**
 * @module The grid's page tools as functions (web/src/validate/grid-pick.ts): a dragged box
 * read as printed rows, a column filled from a row down, and where Alt+W looks
 * first for a cell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PageWords } from '../../web/src/api/types.ts';
import { cellNear, fillColumn, linesIn } from '../../web/src/validate/grid-pick.ts';

const word = (text: string, x: number, y: number) => ({ text, box: { x, y, w: 6 * text.length, h: 10 }, confidence: 1 });
const WORDS: PageWords = {
  index: 0, width: 600, height: 800, lines: [],
  words: [word('Widget', 60, 100), word('A', 100, 101), word('1', 300, 100), word('Widget', 60, 120), word('B', 100, 119), word('2', 300, 120), word('Widget', 60, 140), word('C', 100, 140), word('3', 300, 140)],
};

test('a box over three printed rows reads three texts, each left to right', () => {
  assert.deepEqual(linesIn(WORDS, { x: 50, y: 95, w: 70, h: 60 }), ['Widget A', 'Widget B', 'Widget C']);
  assert.deepEqual(linesIn(WORDS, { x: 50, y: 95, w: 70, h: 10 }), ['Widget A']);
});

test('a column is filled from the focused row down, rows added past the last', () => {
  const rows = [{ description: 'x', quantity: 1 }, { description: null, quantity: 2 }];
  assert.deepEqual(fillColumn(rows, ['description', 'quantity'], 1, 'description', ['B', 'C']), [{ description: 'x', quantity: 1 }, { description: 'B', quantity: 2 }, { description: 'C', quantity: null }]);
  assert.equal(rows[1]?.description, null, 'the rows given are not changed');
});

test('Alt+W looks first where the column of the other rows meets the row', () => {
  const areas = [0, 1, 2].map((i) => ({ page: 0, box: { x: 60, y: 100 + 20 * i, w: 250, h: 10 } }));
  const rows = [{ description: 'Widget A', quantity: 1 }, { description: 'Widget B', quantity: null }, { description: 'Widget C', quantity: 3 }];
  const near = cellNear(WORDS, areas, rows, 1, 'quantity', 0);
  assert.equal(near.length, 1);
  assert.ok(Math.abs((near[0]?.x ?? 0) - 302) < 2, JSON.stringify(near));
  assert.equal(near[0]?.y, 120);
  assert.deepEqual(cellNear(WORDS, areas, rows, 1, 'quantity', 1), [], 'no box on another page');
});
