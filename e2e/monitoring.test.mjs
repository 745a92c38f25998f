// A broker sees the late and missed visit alerts of every provider, and a provider's
// coordinator its own, opens a missed visit and corrects its times; axe finds nothing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './support/server.mjs';
import {
  ACCOUNTS,
  assertAccessible,
  assertNoPageProblems,
  heading,
  launchBrowser,
  londonDate,
  newPage,
  screenshot,
  signIn,
  submit,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 120_000;
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a broker sees the late and missed visit alerts', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, server, ACCOUNTS.broker);
    await page.getByRole('link', { name: 'Call monitoring' }).click();
    await page.waitForURL(/\/monitoring$/);
    assert.equal(await heading(page), 'Call monitoring');
    await assertAccessible(page);
    await page.getByRole('link', { name: 'The day before' }).click();
    await page.waitForURL(new RegExp(`date=${londonDate(-1)}`));
    const table = page.locator('table.govuk-table', { has: page.locator('caption', { hasText: 'Late, missed and short visits' }) });
    assert.ok((await table.locator('tbody tr').count()) > 10, 'yesterday had late and missed visits');
    assert.ok((await table.getByText(/^Missed: nobody checked in/).count()) > 0, 'missed visits are listed');
    assert.ok((await table.getByText(/^Late by \d+ min/).count()) > 0, 'late visits are listed');
    assert.ok((await table.getByText('Provider and council').count()) > 0, 'the council was alerted');
    const byProvider = page.locator('table.govuk-table', { has: page.locator('caption', { hasText: 'By provider' }) });
    assert.ok((await byProvider.locator('tbody tr').count()) > 5, 'every provider is counted');
    assertNoPageProblems(page);
    await assertAccessible(page);
    await screenshot(page, 'monitoring-council');
  } finally {
    await context.close();
  }
});

test('a coordinator corrects a missed visit', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, server, ACCOUNTS.provider);
    await visit(page, server.url(`/monitoring?date=${londonDate(-1)}`));
    const missed = page.locator('tr', { hasText: 'Missed: nobody checked in' }).first();
    assert.equal(await missed.count(), 1, 'the provider had a missed visit yesterday');
    await missed.locator('a').first().click();
    await page.waitForURL(/\/visits\/vis_/);
    await assertAccessible(page);
    await page.getByLabel('Began at').fill('9 o clock');
    await page.getByLabel('The phone did not work').check();
    const refused = await submit(page, 'Correct the times');
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('.govuk-error-summary a[href="#check_in"]').count(), 1);
    await assertAccessible(page);
    await page.getByLabel('Began at').fill('');
    await page.getByLabel('The visit was not made').check();
    await page.getByLabel('Note', { exact: true }).fill('The person was in hospital; the family forgot to tell us.');
    const corrected = await submit(page, 'Correct the times');
    assert.equal(corrected.status(), 200);
    const corrections = page.locator('table.govuk-table', { has: page.locator('caption', { hasText: 'Corrections' }) });
    assert.equal(await corrections.getByText('The visit was not made').count(), 1);
    assertNoPageProblems(page);
  } finally {
    await context.close();
  }
});
