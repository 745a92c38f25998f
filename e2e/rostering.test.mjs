// A provider's coordinator plans a branch's day with the scheduling engine, moves a visit by
// hand and is told what the move breaks, and publishes the day; every page passes axe.

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
  pathOf,
  screenshot,
  signIn,
  submit,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 180_000;
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

test('a coordinator plans, moves a visit and publishes a branch day', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, server, ACCOUNTS.provider);
    await visit(page, server.url('/rosters'));
    assert.equal(await heading(page), 'Rosters');
    await assertAccessible(page);

    // Today's runs were planned and published when the demo was built.
    assert.ok((await page.getByText('Published').count()) > 0, 'today is published');

    // Plan tomorrow for the first branch.
    await page.getByLabel('Day', { exact: true }).fill(londonDate(1));
    await page.getByLabel(/^This day/).check();
    const planned = await submit(page, 'Plan');
    assert.equal(planned.status(), 200);
    assert.match(pathOf(page), /^\/rosters\/ros_[a-z0-9]+$/);
    const rosterPath = pathOf(page);
    assert.ok((await page.getByText('Draft', { exact: true }).count()) > 0, 'a new plan is a draft');
    const runs = page.locator('table.govuk-table');
    assert.ok((await runs.count()) > 1, 'the day has runs');
    assert.ok((await page.getByText(/visits from \d\d:\d\d to \d\d:\d\d/).count()) > 0);
    assert.equal((await page.locator('.govuk-summary-list__key', { hasText: 'Travel' }).count()), 1);
    assertNoPageProblems(page);
    await assertAccessible(page);
    await screenshot(page, 'roster');

    // Move the first visit to the care worker listed last (often one who lacks a skill or
    // cannot reach it): the roster says what the move breaks, or that it breaks nothing.
    await page.getByRole('link', { name: /^Move the / }).first().click();
    await page.waitForURL(/\/move\?visit=/);
    assert.equal(await heading(page), 'Move a visit');
    await assertAccessible(page);
    const choices = page.locator('input[name="worker_id"]:not([value="none"])');
    const count = await choices.count();
    assert.ok(count > 1, 'the branch has care workers to choose from');
    await choices.nth(count - 1).check();
    const moved = await submit(page, 'Move the visit');
    assert.equal(moved.status(), 200);
    assert.equal(pathOf(page).split('?')[0], rosterPath);
    const banner = page.locator('.govuk-notification-banner');
    assert.equal(await banner.count(), 1, 'the move is reported');
    assert.match(await banner.textContent(), /The visit is moved/);
    await assertAccessible(page);

    // Publish: the care workers now have the day.
    const published = await submit(page, 'Publish to the care workers');
    assert.equal(published.status(), 200);
    assert.ok((await page.getByText(/Published to the care workers at/).count()) > 0, 'the roster says it is published');
    assert.equal(await page.getByRole('button', { name: 'Publish to the care workers' }).count(), 0);
    assertNoPageProblems(page);
  } finally {
    await context.close();
  }
});
