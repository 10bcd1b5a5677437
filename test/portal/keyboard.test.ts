/**
 * @module The validation screen's keyboard and viewer in a real browser (docs/portal.md#keyboard):
 * focusing a field shows its box inside the viewer, Alt+W / Alt+Shift+W pick the
 * words and lines nearest it, Alt+9 fits the page, Tab leaves the last field rather
 * than looping, and line items are a grid driven by keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVOICE, RECEIPT, makePages, taskWaitingForValidation, usePortal } from './support.ts';

const run = usePortal();
const { skip } = run;

test('the viewer serves the field: focus shows its box, Alt+W picks words near it, fit page by key; Tab leaves the last field', { skip }, async () => {
  const id = await taskWaitingForValidation(run.portal, await makePages([RECEIPT]), 'viewer-0001');
  const page = await run.pageAs('user@example.test', { width: 1000, height: 620 });
  await page.goto(`${run.portal.s.url}/app/#/tasks/${id}`);
  await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0);
  await page.waitForFunction(() => document.activeElement?.id === 'f-0-company');
  await page.locator('.page-inner img').first().waitFor();
  // Focusing a field draws its box and brings it into the viewer.
  await page.locator('#f-0-total').focus();
  const inView = () => page.evaluate(() => {
    const box = document.querySelector('.overlay .area.focus')?.getBoundingClientRect();
    const frame = document.querySelector('.viewer-frame')?.getBoundingClientRect();
    return !!box && !!frame && box.top >= frame.top && box.bottom <= frame.bottom && box.left >= frame.left && box.right <= frame.right;
  });
  await page.waitForFunction(() => document.querySelector('.overlay .area.focus') !== null);
  assert.equal(await inView(), true);
  // Alt+W steps through the words nearest the total's box: the first is the total itself, the next another word.
  await page.keyboard.press('Alt+W');
  assert.equal(await page.locator('#f-0-total').inputValue(), '8.50');
  await page.keyboard.press('Alt+W');
  const second = await page.locator('#f-0-total').inputValue();
  assert.notEqual(second, '8.50');
  assert.ok(RECEIPT.some((line) => line.split(' ').includes(second)), second);
  await page.keyboard.press('Alt+Shift+W');
  assert.equal(await page.locator('#f-0-total').inputValue(), 'Total 8.50');
  // Fit page by key.
  await page.keyboard.press('Alt+9');
  await page.getByText('whole page').waitFor();
  // Tab from the last field goes on past the fields (no loop back to the first).
  const last = await page.locator('[data-field-input]').last().getAttribute('id');
  await page.locator(`#${last}`).focus();
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'f-0-company');
  assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-field-input') ?? false), false);
  await page.close({ runBeforeUnload: true });
});

test('line items are a grid driven by keys: Tab stays inside, arrows move by row, Alt+I adds and Alt+K removes a row', { skip }, async () => {
  const id = await taskWaitingForValidation(run.portal, await makePages([INVOICE]), 'grid-0001');
  const page = await run.pageAs('user@example.test');
  await page.goto(`${run.portal.s.url}/app/#/tasks/${id}`);
  await page.waitForFunction(() => document.activeElement?.closest('.field') != null);
  const cell = () => page.evaluate(() => document.activeElement?.getAttribute('data-cell') ?? document.activeElement?.id ?? '');
  // TableGrid moves the focus on the next frame (focusCell): wait up to 5 s for the cell expected, then read where it is.
  const focused = async (want: string) => {
    await page.waitForFunction((w) => document.activeElement?.getAttribute('data-cell') === w, want, { timeout: 5000 }).catch(() => undefined);
    return cell();
  };
  const rows = () => page.locator('.table-field tbody tr').count();
  await page.locator('#f-0-line_items').focus();
  const before = await rows();
  await page.keyboard.press('Tab');
  assert.equal(await cell(), '0:1', 'Tab goes to the next cell, not to the next field');
  await page.keyboard.press('Alt+I');
  await page.waitForFunction((n) => document.querySelectorAll('.table-field tbody tr').length === n, before + 1);
  assert.equal(await focused('1:0'), '1:0');
  await page.keyboard.type('Travel');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused('0:0'), '0:0');
  await page.keyboard.press('ArrowDown');
  await focused('1:0');
  await page.keyboard.press('Alt+K');
  await page.waitForFunction((n) => document.querySelectorAll('.table-field tbody tr').length === n, before);
  assert.equal(await focused('0:0'), '0:0');
  await page.close({ runBeforeUnload: true });
});
