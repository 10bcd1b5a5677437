/**
 * @module The admin portal in a real browser (docs/portal.md#admin-admin-role): an admin uploads a
 * broken project and sees its problems by path, uploads a good one, creates an API
 * client whose secret works once shown, and looks at tasks, users and the
 * dashboard; a user-role login reaches neither the admin screens nor the admin API.
 * Screenshots and an axe check per screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { waitForTask } from '../helpers/service.ts';
import { INVOICE, assertAccessible, makePages, shot, taskWaitingForValidation, usePortal } from './support.ts';

let audited: string;

const run = usePortal(async ({ portal }) => {
  await taskWaitingForValidation(portal, await makePages([INVOICE]), 'admin-view-0001');
  // A second task validated with one change, for the field-level audit.
  audited = await taskWaitingForValidation(portal, await makePages([INVOICE]), 'admin-audit-0002');
  const json = { 'content-type': 'application/json' };
  assert.equal((await portal.s.api(`/tasks/${audited}/start_client_action?action=validation`, { method: 'POST' })).status, 200);
  const done = await portal.s.api(`/tasks/${audited}/complete_client_action?action=validation`, { method: 'POST', headers: json, body: JSON.stringify({ documents: [{ pages: [0, 0], document_type: 'Invoice', fields: { total: '120.00' } }] }) });
  assert.equal(done.status, 200, await done.clone().text());
  await waitForTask(portal.s, audited, (t) => t.client_action === 'export', 60_000);
});
const { skip } = run;

test('an admin uploads a broken project, sees its problems, uploads a good one and creates an API client', { skip }, async () => {
  const page = await run.pageAs('admin@example.test');
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
  const broken = 'name: Broken\nvalidation: { mode: sometimes }\ndocument_types:\n  - name: Invoice\n    fields:\n      - { name: total, type: money }\n';
  await page.getByLabel('Project file', { exact: true }).setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from(broken) });
  await page.getByRole('button', { name: 'Upload' }).click();
  const problems = page.getByRole('region', { name: /problems? in the project file/ });
  await problems.waitFor();
  const text = await problems.innerText();
  assert.match(text, /validation\.mode/);
  assert.match(text, /document_types\[0\]\.fields\[0\]\.type/);
  await assertAccessible(page, 'projects');
  await shot(page, 'projects-problems');

  const good = 'name: Good project\ndocument_types:\n  - name: Letter\n    classify: { keywords: [dear] }\n';
  await page.getByLabel('Project file', { exact: true }).setInputFiles({ name: 'good.yaml', mimeType: 'application/yaml', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('status').filter({ hasText: 'Good project' }).waitFor();
  await page.getByRole('cell', { name: /Good project/ }).waitFor();
  await page.getByRole('button', { name: 'Install demo project' }).click();
  await page.getByRole('status').filter({ hasText: 'demo project' }).waitFor();

  await page.getByRole('link', { name: 'API clients' }).click();
  await page.getByLabel('Name').fill('ERP import');
  await page.getByRole('button', { name: 'Create client' }).click();
  const id = await page.getByTestId('client-id').innerText();
  const secret = await page.getByTestId('client-secret').innerText();
  await assertAccessible(page, 'clients');
  await shot(page, 'clients');
  const token = await fetch(`${run.portal.s.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: id, client_secret: secret }) });
  assert.equal(token.status, 200, 'the secret shown once works');
  await page.getByRole('button', { name: 'Copy secret' }).waitFor();
  // The token just issued is the client's last use.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: 'API clients' }).click();
  const row = page.getByRole('row').filter({ hasText: 'ERP import' });
  assert.doesNotMatch(await row.innerText(), /never/);
  await page.getByRole('button', { name: 'Revoke' }).last().click();
  await page.getByRole('cell', { name: /^revoked/ }).waitFor();

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Email').fill('new.validator@example.test');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.getByRole('status').filter({ hasText: 'Password (shown once)' }).waitFor();
  await assertAccessible(page, 'users');
  await shot(page, 'users');

  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('link', { name: 'admin-view-0001' }).click();
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  assert.match(await page.locator('.timeline').innerText(), /created/);
  await assertAccessible(page, 'task detail');
  await shot(page, 'task-detail');
  // Field values, a page preview, names not ids, and who changed what, from what, to what.
  await page.goto(`${run.portal.s.url}/app/#/admin/tasks/${audited}`);
  await page.getByRole('heading', { name: 'Field values' }).waitFor();
  assert.match(await page.getByRole('table', { name: /Document 1: Invoice/ }).innerText(), /total\s+120/);
  await page.getByRole('img', { name: /Page 1 of admin-audit-0002/ }).waitFor();
  const preview = await page.evaluate(async (id) => (await fetch(`/admin/tasks/${id}/pages/0`)).status, audited);
  assert.equal(preview, 200);
  await page.waitForFunction(() => { const img = document.querySelector<HTMLImageElement>('img.page-preview'); return !!img && img.complete && img.naturalWidth > 0; });
  const timeline = await page.locator('.timeline').innerText();
  assert.match(timeline, /validation completed; changed: total 130 → 120 · API client test-client/);
  await assertAccessible(page, 'task detail with values');
  await shot(page, 'task-detail-audit');
  // A task that does not exist shows its error alone, not the task seen before.
  await page.goto(`${run.portal.s.url}/app/#/admin/tasks/no-such-task`);
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Cancel task' }).count(), 0);

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Throughput' }).waitFor();
  await page.locator('.chart svg').waitFor();
  await assertAccessible(page, 'dashboard');
  await shot(page, 'dashboard');
  await page.close();
});

test('a user-role login reaches neither the admin screens nor the admin API', { skip }, async () => {
  const page = await run.pageAs('user@example.test');
  await page.goto(`${run.portal.s.url}/app/#/admin/users`);
  await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  const statuses = await page.evaluate(async () => {
    const csrf = ((await (await fetch('/session')).json()) as { csrf: string }).csrf;
    const post = (url: string, body: string, type = 'application/json') => fetch(url, { method: 'POST', headers: { 'content-type': type, 'x-csrf-token': csrf }, body });
    return [
      (await fetch('/admin/users')).status,
      (await fetch('/admin/stats')).status,
      (await post('/admin/clients', JSON.stringify({ name: 'x' }))).status,
      (await post('/projects', 'name: Sneaky\n', 'application/yaml')).status,
      // Without the CSRF token a state-changing call is refused before anything else.
      (await fetch('/admin/clients', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' })).status,
    ];
  });
  assert.deepEqual(statuses, [403, 403, 403, 403, 403]);
  await page.close();
});
