// The pages work without JavaScript: signing in, the market overview's table, and a record page
// whose tabs, without the script that makes them tabs, show every panel in turn.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './support/server.mjs';
import {
  ACCOUNTS,
  firstLinkIn,
  heading,
  launchBrowser,
  newPage,
  pathOf,
  signIn,
  submit,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 60_000;
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

test('without JavaScript, a commissioner signs in and reads the market overview', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  try {
    await signIn(page, server, ACCOUNTS.commissioner);
    assert.equal(pathOf(page), '/market');
    const bodyClass = await page.locator('body').getAttribute('class');
    assert.doesNotMatch(bodyClass, /js-enabled/, 'scripts really did not run');

    assert.equal(await heading(page), 'Market overview');
    const table = page.locator('table.govuk-table');
    assert.equal(await table.count(), 1, 'the market table is there');
    assert.match(await table.locator('caption').textContent(), /^\d+ areas$/);
    assert.deepEqual(
      (await table.locator('thead th').allTextContents()).map((text) => text.trim()),
      ['Area', 'Tier', 'District', 'Customers', 'Weekly hours', 'Providers'],
    );
    const rows = await table.locator('tbody tr').count();
    assert.ok(rows > 0, 'the table has areas');
    assert.equal(await table.locator('caption').textContent(), `${rows} areas`);

    // The filter form works as a plain GET form.
    const tier = await page.locator('#tier option').nth(1).getAttribute('value');
    await page.locator('#tier').selectOption(tier);
    const response = await submit(page, 'Filter areas');
    assert.equal(response.status(), 200);
    assert.match(pathOf(page), new RegExp(`^/market\\?tier=${tier}&`));
    const filtered = await page.locator('table.govuk-table tbody tr').count();
    assert.ok(filtered > 0 && filtered < rows, `filtering by tier ${tier} leaves ${filtered} of ${rows} areas`);

    // A provider's page: every tab panel is shown, one after another.
    await visit(page, server.url('/providers'));
    await visit(page, server.url(await firstLinkIn(page, 'table.govuk-table tbody')));
    const panels = page.locator('.govuk-tabs__panel');
    assert.ok((await panels.count()) > 1, 'the provider page has tab panels');
    for (const panel of await panels.all()) {
      assert.ok(await panel.isVisible(), `panel #${await panel.getAttribute('id')} is visible without JavaScript`);
    }
  } finally {
    await context.close();
  }
});
