/**
 * @module The login screen when one email and password open users of two accounts
 * (emails are unique per account, docs/authorization.md): it asks which account,
 * and the session opened is the chosen account's. In a real browser, with an axe
 * check of the screen that asks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/core/ids.ts';
import { hashSecret } from '../../src/core/secrets.ts';
import { PASSWORD, assertAccessible, shot, usePortal } from './support.ts';

const run = usePortal();
const { skip } = run;

test('an email and password of two accounts: the login asks which, and opens that one', { skip }, async () => {
  const accounts = run.portal.s.rt.store.accounts;
  const second = newId();
  await accounts.createAccount(second, 'Second office', Date.now());
  await accounts.createUser({ id: newId(), account_id: second, email: 'user@example.test', role: 'admin', password_hash: await hashSecret(PASSWORD), now: Date.now() });
  const page = await run.browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  page.setDefaultTimeout(15_000);
  await page.goto(`${run.portal.s.url}/app/`);
  await page.getByLabel('Email').fill('user@example.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'several accounts' }).waitFor();
  const names = await page.getByLabel('Account').locator('option').allInnerTexts();
  assert.deepEqual(names.sort(), ['Second office', 'default']);
  await assertAccessible(page, 'login-choose-account');
  await shot(page, 'login-choose-account');
  await page.getByLabel('Account').selectOption({ label: 'Second office' });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  const session = await page.evaluate(async () => (await fetch('/session')).json());
  assert.equal(session.user.role, 'admin', 'the second account\'s user (an admin there; a validator in the first)');
  assert.ok(await accounts.getUser(second, session.user.id));
});
