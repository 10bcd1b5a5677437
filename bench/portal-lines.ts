/**
 * @module What a clerk must do to the line items of itemised corpus invoices in the
 * validation portal (the target "itemised corpus invoice with a correct
 * table: 0 edits for its lines"), counted in real Chromium. The invoices are the
 * dev half's public e-invoices with at least `--min-lines` priced lines (4 by
 * default; the dev half has one of exactly 5), their embedded XML taken out so the
 * table is read from the page like any PDF's. Each goes through the service with the
 * demo project (documents separated as by default); the grid shown is compared with
 * the XML's lines by the line-item eval's pairing (scripts/eval-lines.ts):
 *   - cell edits: cells to retype in matched rows, 4 cells and Alt+I per missed line, Alt+K per extra row;
 *   - confirm keys: 1 (Enter) when the line items are flagged orange or red, else 0.
 * A table with every row right and not flagged costs 0 keys and 0 clicks.
 * `--file PDF` runs one file instead; `--verbose` prints each wrong or missed line.
 * Screenshots of each invoice's screen, line items focused, go to test-artifacts/portal/bench/.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { demoProject } from '../src/core/demo-project.ts';
import { waitForTask } from '../test/helpers/service.ts';
import { ARTIFACTS, chromiumMissing, launch, login, startPortal } from '../test/portal/support.ts';
import { addLines, newLineScore, trueLines } from '../scripts/eval-lines.ts';
import { halfOf } from '../scripts/eval-set.ts';
import { arg } from './lib.ts';

const missing = chromiumMissing();
if (missing) {
  process.stdout.write(`bench/portal-lines: skipped: ${missing}\n`);
  process.exit(0);
}
const FOLDER = new URL('../../shared/corpus/labeled/einvoices', import.meta.url).pathname;
const minLines = arg('min-lines', 4);
const SHOTS = join(ARTIFACTS, 'bench');
const verbose = process.argv.includes('--verbose');
const fileArg = process.argv.includes('--file') ? process.argv[process.argv.indexOf('--file') + 1] : undefined;

/** The PDF without its attached invoice XML (name tree and /AF): the pages alone. */
async function pagesOnly(file: string): Promise<Buffer> {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  pdf.catalog.delete(PDFName.of('Names'));
  pdf.catalog.delete(PDFName.of('AF'));
  return Buffer.from(await pdf.save());
}

async function files(): Promise<string[]> {
  if (fileArg) return [fileArg];
  const out: string[] = [];
  for (const n of (await readdir(FOLDER)).filter((x) => x.endsWith('.pdf')).sort()) {
    const f = join(FOLDER, n);
    if (halfOf(f) === 'dev' && ((await trueLines(f))?.length ?? 0) >= minLines) out.push(f);
  }
  return out;
}

/** The line-item grid as shown: one object per row, figures as numbers. */
async function gridRows(page: Page): Promise<Record<string, string | number | null>[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.table-field tbody tr'), (tr) => Object.fromEntries(Array.from(tr.querySelectorAll('[data-column]'), (el) => {
    const cell = el as HTMLInputElement;
    const v = cell.value.trim();
    const column = cell.getAttribute('data-column') as string;
    return [column, v === '' ? null : column === 'description' || Number.isNaN(Number(v)) ? v : Number(v)];
  }))));
}

await mkdir(SHOTS, { recursive: true });
/** The screen at 200 % zoom (720×450 CSS pixels at device scale 2), line items focused. */
async function zoomScreenshot(page: Page, id: string, name: string): Promise<boolean> {
  const context = await browser.newContext({ viewport: { width: 720, height: 450 }, deviceScaleFactor: 2, storageState: await page.context().storageState() });
  const zoomed = await context.newPage();
  await zoomed.goto(`${portal.s.url}/app/#/tasks/${id}`);
  await zoomed.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0, undefined, { timeout: 30_000 });
  await zoomed.locator('.table-field [data-cell="0:0"]').first().focus();
  await zoomed.waitForTimeout(300);
  await zoomed.screenshot({ path: join(SHOTS, `validation-itemised-${name.replace(/\.pdf$/i, '')}-zoom200.png`) });
  await zoomed.goto(`${portal.s.url}/app/#/`);
  await waitForTask(portal.s, id, (x) => x.state === 'pending:start_client_action', 10_000);
  await context.close();
  return true;
}

let zoomShot = false;
const portal = await startPortal();
const browser = await launch();
try {
  const res = await portal.s.api('/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...demoProject(), name: 'Invoices' }) });
  const projectId = ((await res.json()) as { id: string }).id;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await login(page, portal.s.url, 'user@example.test');
  let clicks = 0;
  await page.exposeFunction('docketClick', () => { clicks++; });
  await page.addInitScript(() => window.addEventListener('pointerdown', () => (window as unknown as { docketClick(): void }).docketClick(), true));
  const totals = { files: 0, lines: 0, zero: 0 };
  for (const file of await files()) {
    const lines = (await trueLines(file)) ?? [];
    const name = file.split('/').pop() as string;
    const up = await portal.s.api(`/tasks?project_id=${projectId}`, { method: 'POST', body: new Uint8Array(await pagesOnly(file)), headers: { 'x-aluma-tags': `task_name=${name}` } });
    const id = ((await up.json()) as { id: string }).id;
    const t = await waitForTask(portal.s, id, (x) => x.state !== 'queued' && x.state !== 'running', 120_000);
    totals.files++;
    totals.lines += lines.length;
    if (t.client_action !== 'validation') {
      process.stdout.write(`${name}: ${lines.length} lines; no validation (task ${t.state} ${t.client_action ?? ''})\n`);
      continue;
    }
    // The portal is one page: the previous task's ready mark would still be there.
    await page.evaluate(() => performance.clearMarks());
    await page.goto(`${portal.s.url}/app/#/tasks/${id}`);
    await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0, undefined, { timeout: 30_000 });
    const rows = await gridRows(page);
    const colour = (await page.locator('.field:has(.table-field)').first().getAttribute('data-colour').catch(() => null)) ?? 'none';
    const score = newLineScore();
    const notes = addLines(score, lines, rows);
    const wrongCells = 4 * score.matched - Object.values(score.cells).reduce((a, b) => a + b, 0);
    const edits = wrongCells + 5 * (score.lines - score.matched) + score.extra;
    const confirm = colour === 'green' ? 0 : 1;
    if (edits === 0 && confirm === 0) totals.zero++;
    process.stdout.write(`${name}: ${lines.length} lines, ${rows.length} rows shown, ${score.right} right; line items ${colour}; cell edits ${edits}, confirm keys ${confirm}\n`);
    if (verbose) for (const n of notes) process.stdout.write(`  ${n}\n`);
    if (verbose && colour !== 'green') process.stdout.write(`  flagged: ${(await page.locator('.field:has(.table-field) .messages').first().innerText().catch(() => '')).replace(/\n/g, '; ')}\n`);
    // The screen with the line items focused (the viewer scrolls to their rows), for the record.
    await page.locator('.table-field [data-cell="0:0"]').first().focus().catch(() => undefined);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, `validation-itemised-${name.replace(/\.pdf$/i, '')}-1440x900.png`) });
    await page.goto(`${portal.s.url}/app/#/`);
    await waitForTask(portal.s, id, (x) => x.state === 'pending:start_client_action', 10_000);
    if (edits === 0 && confirm === 0 && !zoomShot) zoomShot = await zoomScreenshot(page, id, name);
  }
  process.stdout.write(`${totals.zero} of ${totals.files} itemised invoices (${totals.lines} lines) need 0 keys for their lines; clicks: ${clicks}\n`);
} finally {
  await browser.close();
  await portal.close();
}
