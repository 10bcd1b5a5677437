/**
 * @module Keys and clicks a clerk spends in the validation portal (docs/portal.md#keyboard),
 * counted by Playwright in real Chromium: a receipt with one wrong field (its date:
 * the true one is 13/03/2018, the page's 12/03/2018 is read as printed), keyboard only,
 * from the validation screen being ready to the next task open. Command keys are
 * counted apart from the characters of the corrected value. The target is ≤ 6 keys
 * and 0 clicks. `--runs` receipts are timed (median). It also saves screenshots of
 * the validation screen — the receipt with its flagged field and reason, and an
 * invoice whose sum rule fails — at 1440×900 and at 200 % zoom (720×450 CSS pixels at
 * device scale 2), under test-artifacts/portal/bench/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { arg, median } from './lib.ts';
import { waitForTask } from '../test/helpers/service.ts';
import { ARTIFACTS, INVOICE, RECEIPT, chromiumMissing, launch, login, makePages, startPortal, taskWaitingForValidation, type Portal } from '../test/portal/support.ts';

const runs = arg('runs', 3);
const missing = chromiumMissing();
if (missing) {
  process.stdout.write(`bench/portal-keys: skipped: ${missing}\n`);
  process.exit(0);
}
const SHOTS = join(ARTIFACTS, 'bench');
const TRUE_DATE = '13/03/2018';

/** A keyboard that counts: command keys, and the characters typed into fields. */
function counting(page: Page) {
  const n = { keys: 0, chars: 0, clicks: 0 };
  return {
    n,
    async press(key: string) {
      n.keys++;
      await page.keyboard.press(key);
    },
    async type(text: string) {
      n.chars += text.length;
      await page.keyboard.type(text);
    },
  };
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** One receipt, from the screen ready to the next task's screen; returns the counts and ms. */
async function oneReceipt(page: Page, p: Portal, id: string, nextName: string) {
  await page.goto(`${p.s.url}/app/#/tasks/${id}`);
  await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => document.activeElement?.closest('.field') != null);
  const t0 = Date.now();
  const k = counting(page);
  // The clerk's sequence: focus starts on the orange company; Tab to the wrong date, type, Enter (checked, moves
  // back to the company), Enter confirms it, Enter on Submit. The next task opens by itself.
  if ((await focused(page)) !== 'f-0-company') throw new Error(`focus starts on ${await focused(page)}`);
  await k.press('Tab');
  await k.type(TRUE_DATE);
  await k.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'f-0-company');
  await k.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'submit');
  await k.press('Enter');
  await page.getByRole('heading', { name: nextName }).waitFor({ timeout: 30_000 });
  const ms = Date.now() - t0;
  const done = await waitForTask(p.s, id, (t) => t.client_action === 'export', 60_000);
  const spec = (await (await p.s.api(`/tasks/${id}/start_client_action?action=export`, { method: 'POST' })).json()) as { documents: { fields: Record<string, unknown> }[] };
  if (spec.documents[0]?.fields.date !== '2018-03-13') throw new Error(`stored date ${String(spec.documents[0]?.fields.date)} (task ${done.state})`);
  return { ...k.n, ms };
}

async function screenshots(browser: Browser, p: Portal, storage: Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>>, receipt: string, invoice: string) {
  await mkdir(SHOTS, { recursive: true });
  const saved: string[] = [];
  for (const [label, viewport, scale] of [['1440x900', { width: 1440, height: 900 }, 1], ['zoom200', { width: 720, height: 450 }, 2]] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: scale, storageState: storage });
    const page = await context.newPage();
    for (const [name, id] of [['receipt', receipt], ['invoice', invoice]] as const) {
      await page.goto(`${p.s.url}/app/#/tasks/${id}`);
      await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0, undefined, { timeout: 30_000 });
      await page.waitForFunction(() => document.activeElement?.closest('.field') != null);
      // The invoice: go to its first red field, so its reason shows beside the page.
      if (name === 'invoice') await page.locator('.field.red .field-input').first().focus();
      await page.waitForTimeout(300);
      const file = join(SHOTS, `validation-${name}-${label}.png`);
      await page.screenshot({ path: file });
      saved.push(file);
      await page.goto(`${p.s.url}/app/#/`);
      await waitForTask(p.s, id, (t) => t.state === 'pending:start_client_action', 10_000);
    }
    await context.close();
  }
  return saved;
}

const portal = await startPortal();
const browser = await launch();
try {
  const receipts: string[] = [];
  for (let i = 0; i <= runs; i++) receipts.push(await taskWaitingForValidation(portal, await makePages([RECEIPT]), `receipt-${i + 1}`));
  const shotReceipt = await taskWaitingForValidation(portal, await makePages([RECEIPT]), 'receipt-shot');
  const shotInvoice = await taskWaitingForValidation(portal, await makePages([INVOICE]), 'invoice-shot');
  const loginPage = await browser.newPage();
  await login(loginPage, portal.s.url, 'user@example.test');
  const storage = await loginPage.context().storageState();
  await loginPage.close();
  const saved = await screenshots(browser, portal, storage, shotReceipt, shotInvoice);

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, storageState: storage });
  const page = await context.newPage();
  let clicks = 0;
  await page.exposeFunction('docketClick', () => { clicks++; });
  await page.addInitScript(() => window.addEventListener('pointerdown', () => (window as unknown as { docketClick(): void }).docketClick(), true));
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await oneReceipt(page, portal, receipts[i] as string, `receipt-${i + 2}`));
  await context.close();
  const r = results[0]!;
  process.stdout.write(`receipt with one wrong field (date), keyboard only, screen ready → next task open (${runs} receipts):\n`);
  process.stdout.write(`  keys: ${r.keys} (Tab, Enter, Enter, Enter) + ${r.chars} characters of the corrected value; clicks: ${clicks}\n`);
  process.stdout.write(`  time: median ${median(results.map((x) => x.ms)).toFixed(0)} ms (${results.map((x) => x.ms).join(', ')})\n`);
  process.stdout.write(`  target ≤ 6 keys, 0 clicks: ${r.keys <= 6 && clicks === 0 ? 'met' : 'NOT met'}\n`);
  process.stdout.write(`screenshots:\n${saved.map((f) => `  ${f}`).join('\n')}\n`);
} finally {
  await browser.close();
  await portal.close();
}
