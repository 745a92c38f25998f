// Every page each role can reach, checked with axe-core against WCAG 2.2 AA, with no script
// errors and no missing assets; and the pages for errors: the sign-in form and other forms with
// an error summary, "Page not found" and "You cannot see this page".

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
  londonDate,
  navigationLinks,
  newPage,
  pathOf,
  screenshot,
  signIn,
  submit,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 90_000;
// The walk visits every page of every role in one suite: more pages than any other suite, so
// more time, most of all when test files run side by side.
const WALK_TIMEOUT = 240_000;
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

/** Checks the page now shown: the status it answered, its heading, assets, and axe. */
async function check(page, response, { status = 200, visited }) {
  const path = pathOf(page);
  assert.equal(response.status(), status, `${path} answered ${response.status()}, not ${status}`);
  assert.ok((await heading(page)).length > 0, `${path} has an h1`);
  assertNoPageProblems(page, path);
  await assertAccessible(page, path);
  visited?.push(path);
}

/** Visits `path` as the signed-in page and checks it. */
async function checkPath(page, path, visited, status = 200) {
  const response = await page.goto(server.url(path));
  await check(page, response, { status, visited });
}

/** Signs in, follows `/` home and every service navigation link, checking each page. */
async function walkNavigation(page, role, { home, navigation }) {
  const visited = [];
  await signIn(page, server, ACCOUNTS[role]);
  const response = await page.goto(server.url('/'));
  assert.match(pathOf(page), home, `${role}: / leads home`);
  await check(page, response, { visited });
  const links = await navigationLinks(page);
  assert.deepEqual(links.map((link) => link.label), navigation, `${role}: the service navigation`);
  for (const { label, href } of links) {
    await checkPath(page, href, visited);
    const current = page.locator('nav[aria-label="Menu"] [aria-current="page"]');
    assert.equal((await current.textContent()).trim(), label, `${href}: "${label}" is the current section`);
  }
  return visited;
}

/**
 * The payment pages for the current period (the demo plans visits from today): the list, the
 * first invoice with its lines, the reconciliation, and a period refused with its error.
 */
async function checkInvoicePages(page, visited) {
  const today = londonDate(0);
  await checkPath(page, `/invoices?period=${today}`, visited);
  const invoice = await firstLinkIn(page, 'table.govuk-table tbody');
  assert.match(invoice, /^\/invoices\/prov_[a-z0-9-]+\/\d{4}-\d{2}-\d{2}$/);
  await checkPath(page, invoice, visited);
  await screenshot(page, 'invoice');
  const next = page.locator('nav.govuk-pagination a[rel="next"]');
  if ((await next.count()) > 0) await checkPath(page, await next.getAttribute('href'), visited);
  await checkPath(page, `/reconciliation?period=${today}`, visited);
  await screenshot(page, 'reconciliation');
  await checkPath(page, '/reconciliation?period=not-a-date', visited, 422);
  assert.equal(await page.locator('.govuk-error-summary a[href="#period"]').count(), 1);
}

describe('every page each role can reach is accessible', { timeout: WALK_TIMEOUT }, () => {
  test('commissioner', async () => {
    const { context, page } = await newPage(browser);
    try {
      const visited = await walkNavigation(page, 'commissioner', {
        home: /^\/market$/,
        navigation: ['Market overview', 'People', 'Providers', 'Referrals', 'Pick-up times', 'Audit log', 'Call monitoring', 'Invoices', 'Reconciliation', 'Fair work', 'API tokens'],
      });
      await checkPath(page, '/market', visited);
      await screenshot(page, 'market-overview');
      const area = await firstLinkIn(page, 'table.govuk-table tbody');
      await checkPath(page, area, visited);
      await page.getByRole('link', { name: /^Change this area/ }).click();
      await page.waitForURL(/\/edit$/);
      await checkPath(page, `${area}/edit`, visited);
      await checkPath(page, '/market?tier=&district=', visited);
      await checkPath(page, '/providers', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      await checkPath(page, '/people', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      await checkPath(page, '/people?page=2', visited);
      await checkPath(page, '/audit', visited);
      assert.ok(visited.length >= 13, `visited ${visited.join(', ')}`);
    } finally {
      await context.close();
    }
  });

  test('broker', async () => {
    const { context, page } = await newPage(browser);
    try {
      const visited = await walkNavigation(page, 'broker', {
        home: /^\/market$/,
        navigation: ['Market overview', 'People', 'Providers', 'Referrals', 'New referral', 'Pick-up times', 'Call monitoring', 'Invoices', 'Reconciliation', 'Fair work', 'API tokens'],
      });
      await checkPath(page, '/market', visited);
      const area = await firstLinkIn(page, 'table.govuk-table tbody');
      await checkPath(page, area, visited);
      assert.equal(await page.getByRole('link', { name: /^Change this area/ }).count(), 0, 'a broker cannot change an area');
      await checkPath(page, '/providers', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      await checkPath(page, '/people', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
    } finally {
      await context.close();
    }
  });

  test('provider user', async () => {
    const { context, page } = await newPage(browser);
    try {
      const visited = await walkNavigation(page, 'provider', {
        home: /^\/market$/,
        navigation: ['Your organisation', 'Market overview', 'People', 'Care workers', 'Offers', 'Capacity', 'Call monitoring', 'Rosters', 'Invoices', 'Reconciliation', 'Fair work', 'API tokens'],
      });
      // A roster of today, and a visit's monitoring record.
      await checkPath(page, '/rosters', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      await checkPath(page, '/monitoring?show=all', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table:last-of-type tbody'), visited);
      await checkPath(page, '/market', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      await checkPath(page, '/people', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      await checkPath(page, '/workers', visited);
      await checkPath(page, await firstLinkIn(page, 'table.govuk-table tbody'), visited);
      // The API says which provider this is; its page is also the first navigation link.
      const token = await createToken(page, server, 'e2e provider lookup');
      await checkPath(page, '/account/tokens', visited);
      assert.equal(await page.locator('table.govuk-table tbody tr').count(), 1, 'the token is listed');
      const me = await api(server, token, '/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.scope, 'provider');
      await checkPath(page, `/providers/${me.body.scope_id}`, visited);
    } finally {
      await context.close();
    }
  });

  test('care worker', async () => {
    const { context, page } = await newPage(browser);
    try {
      const visited = await walkNavigation(page, 'careworker', {
        home: /^\/today$/,
        navigation: ['Today', 'Your record'],
      });
      // No API tokens for a care worker; the password page, linked from the header, instead.
      await checkPath(page, '/account/password', visited);
      assert.equal(visited.length, 4, `visited ${visited.join(', ')}`);
    } finally {
      await context.close();
    }
  });

  test('person receiving care', async () => {
    const { context, page } = await newPage(browser);
    try {
      const visited = await walkNavigation(page, 'person', {
        home: /^\/people\/per_\w+$/,
        navigation: ['Your care'],
      });
      await checkPath(page, '/account/password', visited);
      assert.equal(visited.length, 3, `visited ${visited.join(', ')}`);
    } finally {
      await context.close();
    }
  });
});

// Fair work figures (issue 6): the council's table, a provider's figures reached from it, and a
// month refused with its error; a provider's own figures are in its navigation walk.
async function checkFairWorkPages(page, visited) {
  await checkPath(page, '/fair-work', visited);
  await screenshot(page, 'fair-work');
  const provider = await firstLinkIn(page, 'table.govuk-table tbody');
  assert.match(provider, /^\/providers\/prov_[a-z0-9-]+\/fair-work\?month=\d{4}-\d{2}$/);
  await checkPath(page, provider, visited);
  await screenshot(page, 'fair-work-provider');
  await checkPath(page, '/fair-work?month=June', visited, 422);
  assert.equal(await page.locator('.govuk-error-summary a[href="#month"]').count(), 1);
}

describe('the fair work pages are accessible', { timeout: TIMEOUT }, () => {
  for (const role of ['commissioner', 'broker']) {
    test(role, async () => {
      const { context, page } = await newPage(browser);
      try {
        await signIn(page, server, ACCOUNTS[role]);
        const visited = [];
        await checkFairWorkPages(page, visited);
        assert.equal(visited.length, 3, `visited ${visited.join(', ')}`);
      } finally {
        await context.close();
      }
    });
  }
});

describe('the payment pages are accessible', { timeout: TIMEOUT }, () => {
  for (const role of ['commissioner', 'provider']) {
    test(role, async () => {
      const { context, page } = await newPage(browser);
      try {
        await signIn(page, server, ACCOUNTS[role]);
        const visited = [];
        await checkInvoicePages(page, visited);
        assert.ok(visited.length >= 4, `visited ${visited.join(', ')}`);
      } finally {
        await context.close();
      }
    });
  }
});

test('the axe check finds violations when there are some', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.setContent('<!DOCTYPE html><html><head><title>Bad</title></head><body><main><h1>Bad</h1><img src="data:,"><input type="text"></main></body></html>');
    await assert.rejects(assertAccessible(page, 'a page made to fail'), (error) => {
      assert.match(error.message, /image-alt/);
      assert.match(error.message, /html-has-lang/);
      assert.match(error.message, /label/);
      return true;
    });
  } finally {
    await context.close();
  }
});

describe('pages for errors are accessible', { timeout: TIMEOUT }, () => {
  test('the sign-in page, empty and with an error summary', async () => {
    const { context, page } = await newPage(browser);
    try {
      await check(page, await visit(page, server.url('/sign-in')), {});
      assert.equal(await page.locator('.govuk-error-summary').count(), 0);

      const response = await submit(page, 'Sign in');
      await check(page, response, { status: 422 });
      const summary = page.locator('.govuk-error-summary');
      assert.equal((await summary.locator('.govuk-error-summary__title').textContent()).trim(), 'There is a problem');
      assert.deepEqual(
        await summary.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
        ['#email', '#password'],
      );
      assert.match(await page.title(), /^Error: /);
      await screenshot(page, 'sign-in-errors');

      await page.getByLabel('Email address').fill(ACCOUNTS.broker);
      await page.getByLabel('Password').fill('not-the-password');
      await check(page, await submit(page, 'Sign in'), { status: 422 });
      assert.match(await page.locator('#email-error').textContent(), /Enter a correct email address and password/);
    } finally {
      await context.close();
    }
  });

  test('page not found, signed out and signed in', async () => {
    const { context, page } = await newPage(browser);
    try {
      await check(page, await page.goto(server.url('/no-such-page')), { status: 404 });
      assert.equal(await heading(page), 'Page not found');
      await signIn(page, server, ACCOUNTS.commissioner);
      await check(page, await page.goto(server.url('/no-such-page')), { status: 404 });
      assert.equal(await heading(page), 'Page not found');
      await check(page, await page.goto(server.url('/people/per_doesnotexist')), { status: 404 });
    } finally {
      await context.close();
    }
  });

  test('you cannot see this page', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, server, ACCOUNTS.person);
      await check(page, await page.goto(server.url('/market')), { status: 403 });
      assert.equal(await heading(page), 'You cannot see this page');
    } finally {
      await context.close();
    }
  });

  test('the token form and the area form with an error summary', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, server, ACCOUNTS.commissioner);
      await visit(page, server.url('/account/tokens'));
      await check(page, await submit(page, 'Create token'), { status: 422 });
      assert.equal(await page.locator('.govuk-error-summary a[href="#name"]').count(), 1);

      await visit(page, server.url('/market'));
      const area = await firstLinkIn(page, 'table.govuk-table tbody');
      await visit(page, server.url(`${area}/edit`));
      await page.getByLabel('Name', { exact: true }).fill('');
      await check(page, await submit(page, 'Save changes'), { status: 422 });
      assert.equal(await page.locator('.govuk-error-summary a[href="#name"]').count(), 1);
    } finally {
      await context.close();
    }
  });
});
