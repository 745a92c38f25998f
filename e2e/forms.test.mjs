// Forms, submitted the way a person does: every role makes an API token, and the commissioner
// changes an area, first wrongly (nothing changes) and then rightly (the audit log records it).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './support/server.mjs';
import {
  ACCOUNTS,
  api,
  assertAccessible,
  assertNoPageProblems,
  createToken,
  firstLinkIn,
  heading,
  launchBrowser,
  newPage,
  pathOf,
  signIn,
  submit,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 90_000;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
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

describe('each role that may creates an API token on /account/tokens', { timeout: TIMEOUT }, () => {
  // A care worker and a person make no tokens: the page is not theirs.
  for (const role of ['commissioner', 'broker', 'provider']) {
    test(role, async () => {
      const { context, page } = await newPage(browser);
      try {
        await signIn(page, server, ACCOUNTS[role]);
        const name = `e2e token for ${role}`;
        const secret = await createToken(page, server, name);
        assertNoPageProblems(page);
        await assertAccessible(page, `${pathOf(page)} showing a new token`);

        const row = page.locator('table.govuk-table tbody tr', { hasText: name });
        assert.equal(await row.count(), 1, `the token "${name}" is listed`);
        assert.equal((await row.locator('.govuk-tag').textContent()).trim(), 'Active');

        const me = await api(server, secret, '/api/v1/me');
        assert.equal(me.status, 200, `the new token works: ${JSON.stringify(me.body)}`);
        assert.equal(me.body.email, ACCOUNTS[role]);

        // Reloading the list never shows the secret again.
        await visit(page, server.url('/account/tokens'));
        assert.equal(await page.locator('#new-token').count(), 0, 'the secret is shown once only');
        assert.equal(await page.getByText(secret).count(), 0, 'the secret is shown once only');
      } finally {
        await context.close();
      }
    });
  }

  test('a revoked token stops working', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, server, ACCOUNTS.broker);
      const secret = await createToken(page, server, 'e2e token to revoke');
      const response = await submit(page, 'Revoke e2e token to revoke');
      assert.equal(response.status(), 200);
      assert.equal(pathOf(page), '/account/tokens');
      const row = page.locator('table.govuk-table tbody tr', { hasText: 'e2e token to revoke' });
      assert.equal((await row.locator('.govuk-tag').textContent()).trim(), 'Revoked');
      assert.equal((await api(server, secret, '/api/v1/me')).status, 401);
    } finally {
      await context.close();
    }
  });
});

test('the commissioner changes an area, with an error first', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, server, ACCOUNTS.commissioner);
    await visit(page, server.url('/market'));
    const areaPath = await firstLinkIn(page, 'table.govuk-table tbody');
    const areaId = areaPath.split('/').pop();
    await visit(page, server.url(areaPath));
    const original = await heading(page);

    // A blank name: the form again, with the error summary and the field's error.
    await page.getByRole('link', { name: /^Change this area/ }).click();
    await page.waitForURL(`**${areaPath}/edit`);
    const nameField = page.getByLabel('Name', { exact: true });
    assert.equal(await nameField.inputValue(), original, 'the form holds the stored name');
    await nameField.fill('');
    let response = await submit(page, 'Save changes');
    assert.equal(response.status(), 422);
    assert.equal(pathOf(page), `${areaPath}/edit`);
    assert.match(await page.title(), /^Error: /, 'the title starts with "Error:"');
    const summary = page.locator('.govuk-error-summary');
    assert.equal((await summary.locator('.govuk-error-summary__title').textContent()).trim(), 'There is a problem');
    const summaryLink = summary.locator('a[href="#name"]');
    assert.equal((await summaryLink.textContent()).trim(), "Enter the area's name");
    assert.match(await page.locator('#name-error').textContent(), /Error:\s*Enter the area's name/);
    assert.match(await nameField.getAttribute('aria-describedby'), /\bname-error\b/);
    assert.match(await nameField.getAttribute('class'), /\bgovuk-input--error\b/);
    assert.ok(
      await summary.evaluate((element) => element === document.activeElement || element.contains(document.activeElement)),
      'the error summary has the focus',
    );
    assertNoPageProblems(page);
    await assertAccessible(page, `${areaPath}/edit with a blank name`);
    await summaryLink.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'name', 'the summary link moves focus to the field');

    await visit(page, server.url(areaPath));
    assert.equal(await heading(page), original, 'nothing changed');

    // A new name: saved, shown on the area page and in the market overview.
    const renamed = `${original} (changed by e2e)`;
    await visit(page, server.url(`${areaPath}/edit`));
    await page.getByLabel('Name', { exact: true }).fill(renamed);
    response = await submit(page, 'Save changes');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), areaPath);
    assert.equal(await heading(page), renamed);
    await visit(page, server.url('/market'));
    assert.equal(await page.locator(`table a[href="${areaPath}"]`).textContent(), renamed);

    // The audit log records who changed what.
    await visit(page, server.url('/audit'));
    const entry = page.locator('table.govuk-table tbody tr', { hasText: areaId }).first();
    const cells = (await entry.locator('th, td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    assert.equal(cells[3], 'update area', `the newest entry for ${areaId}: ${cells.join(' | ')}`);
    assert.equal(cells[2], 'acc_demo-commissioner');
    assert.equal(cells[4], areaId);
    assert.match(cells[5], new RegExp(`Before: .*"name":${escapeRegExp(JSON.stringify(original))}`));
    assert.match(cells[5], new RegExp(`After: .*"name":${escapeRegExp(JSON.stringify(renamed))}`));
    assertNoPageProblems(page);
    await assertAccessible(page, '/audit after a change');

    // The log's search finds it by record id.
    await page.getByLabel('Record id').fill(areaId);
    response = await submit(page, 'Search the log');
    assert.equal(response.status(), 200);
    const rows = page.locator('table.govuk-table tbody tr');
    assert.equal(await rows.count(), 1, 'one entry for the area');
    assert.match(await rows.first().textContent(), /update area/);
  } finally {
    await context.close();
  }
});
