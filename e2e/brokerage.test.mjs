// Brokerage in the browser: a broker takes a referral through reablement and the cascade; the
// lead provider's coordinator accepts the offer; the package starts and the pick-up is counted.
// axe checks every new page on the way.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './support/server.mjs';
import { ACCOUNTS, assertAccessible, launchBrowser, londonDate, newPage, pathOf, signIn, submit, visit } from './support/browser.mjs';

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

/** Today's UK date as YYYY-MM-DD, as the forms take dates (care cannot start before it). */
function today() {
  return londonDate(0);
}

test('a referral goes through reablement and the cascade to a started package', { timeout: TIMEOUT }, async () => {
  const provider = await newPage(browser);
  const broker = await newPage(browser);
  try {
    // The provider's coordinator finds an area where the provider is the lead.
    await signIn(provider.page, server, ACCOUNTS.provider);
    await provider.page.getByRole('link', { name: 'Your organisation' }).click();
    await provider.page.getByRole('tab', { name: 'Lots' }).click().catch(() => {});
    const lead = provider.page.locator('#lots tbody tr').filter({ hasText: 'Lead provider' }).first();
    const areaHref = await lead.locator('a').first().getAttribute('href');
    assert.match(areaHref, /^\/areas\/area_/, 'the demo provider holds a lead lot');
    const areaId = areaHref.split('/').pop();

    // The broker picks someone in that area and refers them: hospital discharge, could benefit
    // from reablement, so West Sussex sends them to reablement first.
    await signIn(broker.page, server, ACCOUNTS.broker);
    await visit(broker.page, server.url(`/people?area=${areaId}`));
    const reference = (await broker.page.locator('table.govuk-table tbody tr').first().locator('td').first().textContent()).trim();
    await visit(broker.page, server.url('/referrals/new'));
    await assertAccessible(broker.page);
    await submit(broker.page, 'Send referral');
    assert.equal(await broker.page.locator('.govuk-error-summary').count(), 1, 'an empty referral is refused');
    await assertAccessible(broker.page, 'referral form with errors');

    await broker.page.getByLabel('Council reference of the person').fill(reference);
    await broker.page.getByLabel('Visits each week').fill('daily 08:00 45m; daily 19:30 30m');
    await broker.page.getByLabel('Date of referral').fill(today());
    await broker.page.getByLabel('Care needed by').fill(today());
    await broker.page.getByLabel('Planned hospital discharge date (hospital discharges only)').fill(today());
    await broker.page.getByLabel('Hospital discharge', { exact: true }).check();
    await broker.page.getByLabel('Could benefit from reablement').check();
    await submit(broker.page, 'Send referral');
    assert.match(pathOf(broker.page), /^\/referrals\/ref_/);
    assert.equal((await broker.page.locator('.govuk-tag').first().textContent()).trim(), 'In reablement');
    await assertAccessible(broker.page, 'referral in reablement');

    // Reablement ends with the same care needed: the onward referral goes to the lead.
    await broker.page.getByLabel('Same care', { exact: true }).check();
    await submit(broker.page, 'End reablement');
    assert.equal((await broker.page.locator('.govuk-tag').first().textContent()).trim(), 'Being offered');
    assert.match(await broker.page.locator('table.govuk-table').textContent(), /Lead provider/);
    await assertAccessible(broker.page, 'referral being offered');

    // The coordinator accepts the offer from the inbox.
    await visit(provider.page, server.url('/offers'));
    await assertAccessible(provider.page, 'offers inbox');
    await provider.page.locator('table.govuk-table tbody tr').first().locator('a').first().click();
    await assertAccessible(provider.page, 'an open offer');
    await provider.page.getByLabel('Accept', { exact: true }).check();
    await provider.page.getByLabel('First visit (if accepting)').fill(today());
    await submit(provider.page, 'Send answer');
    assert.match(await provider.page.locator('main').textContent(), /you have answered it/);

    // The broker sees it placed, with its pick-up, and the pick-up page counts it.
    await broker.page.reload();
    assert.equal((await broker.page.locator('.govuk-tag').first().textContent()).trim(), 'Placed');
    assert.match(await broker.page.locator('.govuk-summary-list').textContent(), /Pick-up\s*0 days/);
    await visit(broker.page, server.url('/pickups'));
    await assertAccessible(broker.page, 'pick-up times');
    assert.match(await broker.page.locator('main').textContent(), /Days from referral to first visit, by area/);

    // The provider's capacity return form takes a return and refuses nonsense.
    await visit(provider.page, server.url('/capacity'));
    await provider.page.getByLabel('Hours a week of new care').fill('lots');
    await submit(provider.page, 'Send return');
    assert.equal(await provider.page.locator('.govuk-error-summary').count(), 1);
    await assertAccessible(provider.page, 'capacity form with errors');
    await provider.page.getByLabel('Hours a week of new care').fill('40');
    await submit(provider.page, 'Send return');
    assert.match(await provider.page.locator('table.govuk-table').textContent(), /40/);
  } finally {
    await provider.context.close();
    await broker.context.close();
  }
});
