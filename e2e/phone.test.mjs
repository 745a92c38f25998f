// A care worker on a phone-sized screen checks in to a visit and checks out of it offline:
// the check-out is kept on the phone, shown as not sent, and sent once the phone is online
// again; the page opens without a connection from the service worker's copy; axe finds nothing.

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
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  permissions: ['geolocation'],
  geolocation: { latitude: 50.8148, longitude: -0.3714 },
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

// The first visit still to be made whose window is open now: the server takes a visit's
// check-ins and check-outs from 2 hours before its planned start to 12 hours after its planned
// end. The card shows the rostered start, which may be a little off the plan, so half an hour
// is kept in hand at each side.
async function openForCheckIn(page) {
  // The page's clock, which runs as the server's does.
  const clock = await page.evaluate(() => new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(new Date()));
  const [hour, minute] = clock.split(':').map(Number);
  const now = hour * 60 + minute;
  for (const card of await page.locator('.homeward-visit[data-state="due"]').all()) {
    const title = (await card.locator('.govuk-summary-card__title').textContent()).trim();
    const [startHour, startMinute] = title.slice(0, 5).split(':').map(Number);
    const start = startHour * 60 + startMinute;
    const length = Number((await card.locator('dd').first().textContent()).match(/\d+/)[0]);
    if (start - 90 <= now && now <= start + length + 690) return card;
  }
  return null;
}

test('a care worker checks in, checks out offline, and the check-out is sent later', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser, PHONE);
  try {
    await signIn(page, server, ACCOUNTS.careworker);
    await visit(page, server.url('/today'));
    assert.equal(await heading(page), "Today's visits");
    await assertAccessible(page);
    // The service worker takes charge, then the page is loaded again so that it keeps a copy.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await visit(page, server.url('/today'));

    const due = await openForCheckIn(page);
    assert.ok(due, 'a visit still to be made today is open for check-in now');
    const id = await due.getAttribute('data-visit');
    const card = page.locator(`#visit-${id}`);
    const status = card.locator('[data-status]');

    // Check in, online: sent at once.
    await card.getByRole('button', { name: /^Check in/ }).click();
    await assert.doesNotReject(
      status.filter({ hasText: /^Checked in at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 }),
      'the check-in is sent',
    );

    // Check out, offline: kept on the phone and shown as not sent.
    await context.setOffline(true);
    await card.getByLabel('Personal care').check();
    await card.getByLabel('Medication').check();
    await card.getByLabel('Note (optional)').fill('Ate well; asked about Friday.');
    await card.getByRole('button', { name: /^Check out/ }).click();
    await status.filter({ hasText: 'not sent yet' }).waitFor({ timeout: 5_000 });
    const outbox = page.locator('#outbox');
    assert.match(await outbox.textContent(), /1 check-in or check-out is saved on this phone/);
    await assertAccessible(page);
    await screenshot(page, 'phone-offline');

    // Opened again without a connection: the kept copy, with what the phone holds.
    await page.reload();
    assert.equal(await heading(page), "Today's visits");
    await page
      .locator(`#visit-${id} [data-status]`)
      .filter({ hasText: 'not sent yet' })
      .waitFor({ timeout: 5_000 });

    // Online again: sent, and the server has it.
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page
      .locator(`#visit-${id} [data-status]`)
      .filter({ hasText: /checked out at \d\d:\d\d$/ })
      .waitFor({ timeout: 15_000 });
    assert.equal((await outbox.textContent()).trim(), '');
    await visit(page, server.url('/today'));
    const stored = page.locator(`#visit-${id}`);
    assert.equal(await stored.getAttribute('data-state'), 'done', 'the server has the check-out');
    assert.match(await stored.locator('[data-status]').textContent(), /^Checked in at \d\d:\d\d, checked out at \d\d:\d\d$/);
    // The sends tried while offline failed, as they must; nothing else did.
    const offline = page.problems.filter((problem) => problem.includes('ERR_INTERNET_DISCONNECTED'));
    assert.ok(offline.length >= 1, 'the phone tried to send while offline');
    page.problems = page.problems.filter((problem) => !offline.includes(problem));
    assertNoPageProblems(page);
  } finally {
    await context.close();
  }
});

test('a check-in kept while signed out waits for the next sign-in; another care worker\'s stays on the phone', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser, PHONE);
  try {
    await signIn(page, server, ACCOUNTS.careworker);
    await visit(page, server.url('/today'));
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await visit(page, server.url('/today'));
    const due = await openForCheckIn(page);
    assert.ok(due, 'another visit is open for check-in now');
    const id = await due.getAttribute('data-visit');
    const status = page.locator(`#visit-${id} [data-status]`);
    const held = () => page.evaluate(() => JSON.parse(localStorage.getItem('homeward-outbox') || '[]'));

    // Offline: the check-in is kept, beside an event another care worker left on this phone.
    await context.setOffline(true);
    await page.evaluate(() => {
      const theirs = {
        key: 'e2e-another-workers-event',
        worker: 'wkr_someone-else',
        visit: 'vis_not-this-workers',
        kind: 'check_in',
        at: new Date().toISOString(),
        fields: [['kind', 'check_in']],
      };
      localStorage.setItem('homeward-outbox', JSON.stringify([theirs]));
    });
    await page.locator(`#visit-${id}`).getByRole('button', { name: /^Check in/ }).click();
    await status.filter({ hasText: 'not sent yet' }).waitFor({ timeout: 5_000 });
    assert.equal((await held()).length, 2);
    const kept = (await held()).find((entry) => entry.visit === id);
    assert.ok(!kept.fields.some(([name]) => name === 'csrf_token'), 'the anti-forgery token is not kept on the phone');

    // Signed out meanwhile (the session ended): online again, nothing is taken for sent.
    await context.clearCookies();
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.locator('#outbox').filter({ hasText: 'Sign in again' }).waitFor({ timeout: 15_000 });
    assert.equal((await held()).length, 2, 'both events are still on the phone');
    assert.equal(await page.evaluate(() => caches.has('homeward-phone')), false, 'the copy of the page kept for use offline is gone');
    assert.match(await status.textContent(), /not sent yet/);

    // Signed in again: this care worker's check-in is sent; the other's stays, and is counted.
    await signIn(page, server, ACCOUNTS.careworker);
    await visit(page, server.url('/today'));
    await status.filter({ hasText: /^Checked in at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
    const left = await held();
    assert.deepEqual(left.map((entry) => entry.key), ['e2e-another-workers-event']);
    assert.match(await page.locator('#outbox').textContent(), /1 check-in or check-out of another care worker/);
    await visit(page, server.url('/today'));
    assert.equal(await page.locator(`#visit-${id}`).getAttribute('data-state'), 'in', 'the server has the check-in');
    // Sends tried offline failed, and the one tried signed out was refused (401), as they must.
    const expected = page.problems.filter((problem) =>
      problem.includes('ERR_INTERNET_DISCONNECTED') || problem.includes('answered 401: ' + server.url('/today/events')));
    assert.ok(expected.some((problem) => problem.includes('401')), 'the phone tried to send while signed out');
    page.problems = page.problems.filter((problem) => !expected.includes(problem));
    assertNoPageProblems(page);
  } finally {
    await context.close();
  }
});
