/**
 * @module Reflow and accessibility on every screen of the portal (docs/portal.md#accessibility):
 * at 1440×900, at 200 % zoom (720×450 CSS pixels at device scale 2) and at 400 %
 * (360×225 at scale 4) no screen scrolls sideways (WCAG 1.4.10), and axe-core finds no
 * serious or critical violation at 1440×900 and at 200 %. Screens: login, the queue,
 * validation (with its shortcuts), and every admin screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { INVOICE, PASSWORD, axeFindings, makePages, shot, sidewaysScroll, taskWaitingForValidation, usePortal } from './support.ts';
import { waitForTask } from '../helpers/service.ts';

let task: string;

const SIZES = [
  { label: '1440x900', viewport: { width: 1440, height: 900 }, scale: 1, axe: true },
  { label: 'zoom200', viewport: { width: 720, height: 450 }, scale: 2, axe: true },
  { label: 'zoom400', viewport: { width: 360, height: 225 }, scale: 4, axe: false },
] as const;

const run = usePortal(async ({ portal }) => {
  task = await taskWaitingForValidation(portal, await makePages([INVOICE]), 'reflow-0001');
});
const { skip } = run;

async function signIn(page: Page): Promise<void> {
  await page.goto(`${run.portal.s.url}/app/`);
  await page.getByLabel('Email').fill('admin@example.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

for (const size of SIZES) {
  test(`every screen at ${size.label}: no sideways scrolling${size.axe ? ', no serious or critical axe finding' : ''}`, { skip }, async () => {
    const context = await run.browser.newContext({ viewport: size.viewport, deviceScaleFactor: size.scale, bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    const check = async (screen: string) => {
      const wide = await sidewaysScroll(page);
      if (wide > 1) problems.push(`${screen}: scrolls sideways by ${wide} px`);
      if (size.axe) for (const f of await axeFindings(page)) problems.push(`${screen}: axe ${f.impact} ${f.id} (${f.help}) at ${f.nodes.join(', ')}`);
      await shot(page, `reflow-${screen.replace(/\W+/g, '-')}-${size.label}`);
    };
    await page.goto(`${run.portal.s.url}/app/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await check('login');
    await signIn(page);
    await page.getByRole('heading', { name: 'Waiting for validation' }).waitFor();
    await check('queue');
    await page.goto(`${run.portal.s.url}/app/#/tasks/${task}`);
    await page.waitForFunction(() => performance.getEntriesByName('docket:validation-ready').length > 0);
    await check('validation');
    await page.keyboard.press('F1');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await check('shortcuts');
    await page.keyboard.press('Escape');
    for (const [hash, heading] of [['#/admin', 'Throughput'], ['#/admin/projects', 'Projects'], ['#/admin/tasks', 'Tasks'], [`#/admin/tasks/${task}`, 'Timeline'], ['#/admin/users', 'Users'], ['#/admin/clients', 'API clients']] as const) {
      await page.goto(`${run.portal.s.url}/app/${hash}`);
      await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
      await check(hash.replace('#/', '').replace(task, 'detail'));
    }
    await context.close();
    await waitForTask(run.portal.s, task, (t) => t.state === 'pending:start_client_action', 10_000);
    assert.deepEqual(problems, []);
  });
}
