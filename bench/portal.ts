/**
 * @module Time to first render of the validation screen (docs/portal.md#validation-every-user): from navigation
 * start to the fields panel and the first page image shown (the portal's
 * `docket:validation-ready` performance mark), for a 20-page task, median over
 * `--runs` openings. Page images load lazily, so a bigger task should cost little more
 * than a small one: the baseline, measured in the same run, is the same screen for a
 * 1-page task, and the ratio is 20-page / 1-page. The first opening of each task
 * includes rendering its first page image on the server; later ones reuse it.
 */
import { arg, median } from './lib.ts';
import { waitForTask } from '../test/helpers/service.ts';
import { INVOICE, RECEIPT, chromiumMissing, launch, login, makePages, startPortal, taskWaitingForValidation, type Portal } from '../test/portal/support.ts';
import type { Browser } from 'playwright-core';

const runs = arg('runs', 5);
const missing = chromiumMissing();
if (missing) {
  process.stdout.write(`bench/portal: skipped: ${missing}\n`);
  process.exit(0);
}

async function timeOpen(browser: Browser, p: Portal, id: string, storage: Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>>): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: storage });
  const page = await context.newPage();
  await page.goto(`${p.s.url}/app/#/tasks/${id}`);
  await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0, undefined, { timeout: 30_000 });
  const ms = await page.evaluate(() => (performance.getEntriesByName('docket:validation-ready')[0] as PerformanceEntry).startTime);
  await context.close();
  await waitForTask(p.s, id, (t) => t.state === 'pending:start_client_action', 10_000);
  return ms;
}

const portal = await startPortal();
const browser = await launch();
try {
  const pages20 = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? INVOICE : RECEIPT));
  const big = await taskWaitingForValidation(portal, await makePages(pages20), 'bench-20-pages');
  const small = await taskWaitingForValidation(portal, await makePages([INVOICE]), 'bench-1-page');
  const loginPage = await browser.newPage();
  await login(loginPage, portal.s.url, 'user@example.test');
  const storage = await loginPage.context().storageState();
  await loginPage.close();
  const cold = { big: await timeOpen(browser, portal, big, storage), small: await timeOpen(browser, portal, small, storage) };
  const bigRuns: number[] = [];
  const smallRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    smallRuns.push(await timeOpen(browser, portal, small, storage));
    bigRuns.push(await timeOpen(browser, portal, big, storage));
  }
  const b = median(bigRuns);
  const s = median(smallRuns);
  process.stdout.write(`validation screen, time to first render (navigation start → fields panel + first page image), median of ${runs}:\n`);
  process.stdout.write(`  20-page task: ${b.toFixed(0)} ms (first opening, page image rendered on the server: ${cold.big.toFixed(0)} ms)\n`);
  process.stdout.write(`  baseline, 1-page task: ${s.toFixed(0)} ms (first opening: ${cold.small.toFixed(0)} ms)\n`);
  process.stdout.write(`  ratio 20-page / 1-page: ${(b / s).toFixed(2)}\n`);
} finally {
  await browser.close();
  await portal.close();
}
