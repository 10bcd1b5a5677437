/**
 * @module What the portal's browser tests share: a real docket service in-process
 * (test/helpers/service.ts) with the built portal, portal users, a project that
 * splits per page, tasks made from generated PDFs the demo document types recognise,
 * Chromium driven by playwright-core (started and closed around a test file by
 * usePortal), screenshots saved to test-artifacts/portal and an axe-core check per screen.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestService, waitForTask, type TestService } from '../helpers/service.ts';
import { buildWeb } from '../../scripts/build-web.ts';
import { demoProject } from '../../src/core/demo-project.ts';
import { newId } from '../../src/core/ids.ts';
import { hashSecret } from '../../src/core/secrets.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts/portal');
export const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'portal-password-123';

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface Portal {
  s: TestService;
  projectId: string;
  close(): Promise<void>;
}

/** Starts the service with the portal built, an admin and a user login, and a per-page project. */
export async function startPortal(): Promise<Portal> {
  await buildWeb();
  await mkdir(ARTIFACTS, { recursive: true });
  const s = await startTestService('sqlite');
  const account = (await s.rt.store.accounts.firstAccountId()) as string;
  const hash = await hashSecret(PASSWORD);
  for (const [email, role] of [['admin@example.test', 'admin'], ['user@example.test', 'user']] as const) {
    await s.rt.store.accounts.createUser({ id: newId(), account_id: account, email, role, password_hash: hash, now: Date.now() });
  }
  // The demo types with one document per page, so a generated file makes several documents predictably.
  const res = await s.api('/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...demoProject(), name: 'Invoices per page', separation: { mode: 'per_page' } }) });
  assert.equal(res.status, 201);
  const projectId = ((await res.json()) as { id: string }).id;
  return { s, projectId, close: () => s.close() };
}

/** A test file's portal and browser, set before its first test. */
export interface PortalRun {
  /** Why the file's browser tests are skipped (no Chromium), else false. */
  skip: string | false;
  portal: Portal;
  browser: Browser;
  /** A new page (1280×800 unless given) logged in as `email`. */
  pageAs(email: string, viewport?: { width: number; height: number }): Promise<Page>;
}

/**
 * Starts the portal and Chromium before the file's tests, then runs `setup` (tasks the
 * tests share), and closes both after the last test, whichever of them started.
 */
export function usePortal(setup?: (run: PortalRun) => Promise<void>): PortalRun {
  const run = { skip: chromiumMissing() } as PortalRun;
  run.pageAs = async (email, viewport = { width: 1280, height: 800 }) => {
    const page = await run.browser.newPage({ viewport, bypassCSP: true });
    await login(page, run.portal.s.url, email);
    return page;
  };
  before(async () => {
    if (run.skip) return;
    run.portal = await startPortal();
    run.browser = await launch();
    await setup?.(run);
  });
  after(async () => {
    await run.browser?.close();
    await run.portal?.close();
  });
  return run;
}

/** Page texts the demo project reads as: an invoice whose sum does not add up, a receipt, an untyped receipt. */
export const INVOICE = ['Northwind Traders Ltd', 'INVOICE', 'Invoice number INV-1001', 'Invoice date 03/04/2024', 'Due date 03/05/2024', 'Bill to', 'Contoso GmbH', 'Description Qty Unit price Amount', 'Consulting services 1 100.00 100.00', 'Subtotal 100.00', 'VAT 20% 20.00', 'Total due EUR 130.00'];
export const RECEIPT = ['Sunrise Bakery', 'No 5, Jalan Bunga 3, 43000 Kajang', 'GST ID 000123456789', 'Cashier 02 Table 7', 'Date 12/03/2018 Time 12:10', 'Bread 2 5.00', 'Coffee 1 3.50', 'Total 8.50', 'Cash 10.00', 'Change 1.50', 'Thank you please come again'];
export const UNTYPED = ['Green Leaf Cafe', 'Date 14/03/2018', 'Total 12.50'];

export async function makePages(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((t, j) => page.drawText(t, { x: 60, y: 780 - j * 22, size: 13, font }));
  }
  return Buffer.from(await doc.save());
}

/** Uploads a file and waits until it waits for validation; returns the task id. */
export async function taskWaitingForValidation(p: Portal, pdf: Buffer, name: string): Promise<string> {
  const res = await p.s.api(`/tasks?project_id=${p.projectId}`, { method: 'POST', body: new Uint8Array(pdf), headers: { 'x-aluma-tags': `task_name=${name}` } });
  assert.equal(res.status, 202);
  const id = ((await res.json()) as { id: string }).id;
  const t = await waitForTask(p.s, id, (x) => x.state !== 'queued' && x.state !== 'running', 60_000);
  assert.equal(t.state, 'pending:start_client_action');
  assert.equal(t.client_action, 'validation');
  return id;
}

export async function login(page: Page, base: string, email: string): Promise<void> {
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

const axeSource = readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it stands. */
export async function axeFindings(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: await axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}

/** Runs axe-core on the page as it stands; fails on any serious or critical violation. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const found = await axeFindings(page);
  assert.deepEqual(found, [], `${screen}: serious or critical accessibility violations\n${JSON.stringify(found, null, 1)}`);
}

/** Whether the page scrolls sideways (WCAG 1.4.10 reflow): the document wider than the viewport. */
export async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
