/**
 * @module The line-item grid's page tools in a real browser (web/src/validate/grid-pick.ts,
 * docs/portal.md#keyboard), on an invoice whose three items are printed in columns:
 * the table is read as three rows with every cell, a wrapped description shown over
 * its two lines; a box dragged over the
 * descriptions fills the description column row by row from the focused cell; a
 * clicked word fills the focused cell; Alt+W steps a cell to the word where its
 * column meets its row first; columns are as wide as their longest value, longer
 * values wrap, and the grid fits the fields panel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { taskWaitingForValidation, usePortal } from '../portal/support.ts';

const run = usePortal();
const { skip } = run;

const ITEMS: [string, string, string, string][] = [['Widget A', '1', '2.50', '2.50'], ['Widget B', '2', '2.50', '5.00'], ['Widget C', '3', '2.50', '7.50']];

/** An invoice with its items in columns under a header (description at x 60, quantity 300, unit price 360, amount 460), the last description over two lines. */
async function columnsInvoice(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  const text = (t: string, x: number, y: number) => page.drawText(t, { x, y, size: 12, font });
  ['Northwind Traders Ltd', 'INVOICE', 'Invoice number INV-2001', 'Invoice date 03/04/2024', 'Due date 03/05/2024', 'Bill to', 'Contoso GmbH'].forEach((t, i) => text(t, 60, 780 - 22 * i));
  const xs = [60, 300, 360, 460];
  ['Description', 'Qty', 'Unit price', 'Amount'].forEach((t, i) => text(t, xs[i] as number, 600));
  ITEMS.forEach((cells, r) => cells.forEach((t, i) => text(t, xs[i] as number, 578 - 20 * r)));
  text('blue, large', 60, 525);
  text('Subtotal', 60, 500);
  text('15.00', 460, 500);
  text('VAT 20% 3.00', 60, 478);
  text('Total due EUR 18.00', 60, 456);
  return Buffer.from(await doc.save());
}

async function openGrid(name: string): Promise<Page> {
  const id = await taskWaitingForValidation(run.portal, await columnsInvoice(), name);
  const page = await run.pageAs('user@example.test', { width: 1440, height: 900 });
  await page.goto(`${run.portal.s.url}/app/#/tasks/${id}`);
  await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0, undefined, { timeout: 30_000 });
  await page.locator('svg.overlay rect.word').first().waitFor();
  return page;
}

const cell = (page: Page, r: number, c: number) => page.locator(`.table-field [data-cell="${r}:${c}"]`);
const column = (page: Page, c: number) => page.locator(`.table-field [data-cell$=":${c}"]`).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
/** The on-screen box of the page word `text` (the n-th such word). */
async function wordBox(page: Page, text: string, n = 0) {
  const box = await page.locator('svg.overlay rect.word').filter({ has: page.locator('title', { hasText: new RegExp(`^${text.replace('.', '\\.')}$`) }) }).nth(n).boundingBox();
  assert.ok(box, `word ${text} on the page`);
  return box;
}

test('the items are read as rows with every cell, and a box dragged over the descriptions fills that column row by row', { skip }, async () => {
  const page = await openGrid('grid-drag-0001');
  assert.deepEqual(await column(page, 0), ['Widget A', 'Widget B', 'Widget C\nblue, large'], 'a wrapped description keeps its line break');
  assert.equal(await cell(page, 2, 0).evaluate((e) => e.tagName), 'TEXTAREA');
  assert.deepEqual((await column(page, 3)).map(Number), ITEMS.map((i) => Number(i[3])));
  assert.deepEqual((await column(page, 1)).map(Number), ITEMS.map((i) => Number(i[1])));
  for (let r = 0; r < ITEMS.length; r++) await cell(page, r, 0).fill('');
  await cell(page, 0, 0).focus();
  const from = await wordBox(page, 'Widget', 0);
  const to = await wordBox(page, 'C');
  await page.mouse.move(from.x - 2, from.y - 2);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x + to.width) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x + to.width + 2, to.y + to.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() => (document.querySelector('.table-field [data-cell="2:0"]') as HTMLInputElement | null)?.value !== '');
  assert.deepEqual(await column(page, 0), ITEMS.map((i) => i[0]));
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-cell') === '0:0');
  await page.close({ runBeforeUnload: true });
});

test('a clicked word fills the focused cell; Alt+W gives a cell the word where its column meets its row first', { skip }, async () => {
  const page = await openGrid('grid-pick-0002');
  await cell(page, 2, 1).fill('');
  await cell(page, 2, 1).focus();
  const three = await wordBox(page, '3');
  await page.mouse.click(three.x + three.width / 2, three.y + three.height / 2);
  await page.waitForFunction(() => (document.querySelector('.table-field [data-cell="2:1"]') as HTMLInputElement | null)?.value === '3');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-cell') === '2:1');

  await cell(page, 1, 1).fill('');
  await cell(page, 1, 1).focus();
  await page.keyboard.press('Alt+W');
  await page.waitForFunction(() => (document.querySelector('.table-field [data-cell="1:1"]') as HTMLInputElement | null)?.value !== '');
  assert.equal(await cell(page, 1, 1).inputValue(), '2', 'the quantity of row 2, under the other rows\' quantities');
  await page.keyboard.press('Alt+W');
  await page.waitForFunction(() => (document.querySelector('.table-field [data-cell="1:1"]') as HTMLInputElement | null)?.value !== '2');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-cell')), '1:1', 'the focus stays in the cell');
  await page.close({ runBeforeUnload: true });
});

test('each column is as wide as its longest value: a long description shows whole, wrapped, and the grid fits the panel', { skip }, async () => {
  const page = await openGrid('grid-width-0003');
  const long = 'Consulting services, quarterly close, on site';
  await cell(page, 1, 0).fill(long);
  const cells = await page.locator('.table-field [data-cell$=":0"]').evaluateAll((els) => els.map((e) => ({ tag: e.tagName, client: e.clientWidth, scroll: e.scrollWidth, clientH: e.clientHeight, scrollH: e.scrollHeight })));
  for (const c of cells) assert.ok(c.scroll <= c.client && c.scrollH <= c.clientH, `cut: ${JSON.stringify(c)}`);
  assert.equal(cells[1]?.tag, 'TEXTAREA', 'a value longer than the column wraps');
  assert.equal(new Set(cells.map((c) => c.client)).size, 1, 'one width per column');
  await cell(page, 1, 0).press('End');
  await cell(page, 1, 0).press('Shift+Enter');
  await page.keyboard.type('Room 4');
  assert.equal(await cell(page, 1, 0).inputValue(), `${long}\nRoom 4`, 'Shift+Enter starts a line in a wrapped cell');
  const grid = await page.locator('.table-field').evaluate((e) => ({ client: e.clientWidth, scroll: e.scrollWidth }));
  assert.ok(grid.scroll <= grid.client, `the grid scrolls sideways: ${JSON.stringify(grid)}`);
  await page.close({ runBeforeUnload: true });
});
