// The content security policy is in force in a real browser: it blocks an inline script and a
// style attribute put into a page (and the shared checks report both, so a walk that reports
// none has met none); GOV.UK Frontend still starts from files; the roster's timelines and the
// care worker's phone page draw as they should at desktop and phone widths, with no breach of
// the policy, and axe finds nothing. Every other test file fails on any breach too (newPage).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './support/server.mjs';
import {
  ACCOUNTS,
  assertAccessible,
  assertNoPageProblems,
  heading,
  launchBrowser,
  newPage,
  screenshot,
  signIn,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 120_000;
const WIDTHS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};
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

/** Waits until `page.problems` holds `count` breaches of the policy, and returns them. */
async function breaches(page, count) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = page.problems.filter((problem) => problem.startsWith('content security policy breach'));
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asserts GOV.UK Frontend started: the body's classes set first, then a component set up. */
async function assertFrontendStarted(page) {
  const classes = (await page.locator('body').getAttribute('class')).split(/\s+/);
  assert.ok(classes.includes('js-enabled'), `body classes: ${classes}`);
  assert.ok(classes.includes('govuk-frontend-supported'), `body classes: ${classes}`);
  await assert.doesNotReject(
    page.locator('[data-module="govuk-button"][data-govuk-button-init]').first().waitFor({ timeout: 5_000 }),
    'GOV.UK Frontend set up the page\'s buttons',
  );
}

test('the policy blocks inline script and style, and the checks report it', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, server, ACCOUNTS.provider);
    const response = await visit(page, server.url('/rosters'));
    const policy = response.headers()['content-security-policy'];
    assert.match(policy, /(^|;\s*)script-src 'self'(;|$)/, policy);
    await assertFrontendStarted(page);
    assertNoPageProblems(page);

    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineScriptRan = true;';
      document.body.append(script);
      document.querySelector('h1').setAttribute('style', 'color: rgb(255, 0, 0)');
    });
    const found = await breaches(page, 2);
    assert.equal(await page.evaluate(() => window.inlineScriptRan), undefined, 'the inline script did not run');
    const colour = await page.locator('h1').evaluate((h1) => getComputedStyle(h1).color);
    assert.notEqual(colour, 'rgb(255, 0, 0)', 'the style attribute did not apply');
    assert.ok(found.some((breach) => /script-src/.test(breach)), found.join('\n'));
    assert.ok(found.some((breach) => /style-src/.test(breach)), found.join('\n'));
    page.problems.length = 0;
  } finally {
    await context.close();
  }
});

for (const [width, options] of Object.entries(WIDTHS)) {
  test(`a roster's timelines and the phone page at ${width} width, under the policy`, { timeout: TIMEOUT }, async () => {
    const coordinator = await newPage(browser, options);
    try {
      const { page } = coordinator;
      await signIn(page, server, ACCOUNTS.provider);
      await visit(page, server.url('/rosters'));
      // Today's runs were planned and published when the demo was built.
      await page.getByRole('link', { name: /^Published roster for/ }).first().click();
      await page.waitForURL(/\/rosters\/ros_/);
      const bars = page.locator('svg.homeward-timeline');
      assert.ok((await bars.count()) > 0, 'the roster has runs with timelines');
      const bar = await bars.first().boundingBox();
      const block = await bars.first().locator('rect').first().boundingBox();
      assert.ok(bar.width > 300 && bar.height >= 15, `the bar spans the page: ${JSON.stringify(bar)}`);
      assert.ok(
        block.width > 0 && block.x >= bar.x && block.x + block.width <= bar.x + bar.width + 1
          && Math.abs(block.height - bar.height) <= 1,
        `a visit's block sits inside the bar: ${JSON.stringify({ bar, block })}`,
      );
      await assertFrontendStarted(page);
      await screenshot(page, `roster-${width}`);
      // The first run, its timeline and the start of its table.
      await page.evaluate(() => document.querySelector('svg.homeward-timeline').previousElementSibling.previousElementSibling.scrollIntoView());
      await screenshot(page, `roster-timeline-${width}`, { fullPage: false });
      assertNoPageProblems(page);
      await assertAccessible(page);
    } finally {
      await coordinator.context.close();
    }

    const careWorker = await newPage(browser, options);
    try {
      const { page } = careWorker;
      await signIn(page, server, ACCOUNTS.careworker);
      await visit(page, server.url('/today'));
      assert.equal(await heading(page), "Today's visits");
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await assertFrontendStarted(page);
      await screenshot(page, `phone-page-${width}`);
      assertNoPageProblems(page);
      await assertAccessible(page);
    } finally {
      await careWorker.context.close();
    }
  });
}
