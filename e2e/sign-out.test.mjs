// Signing out ends the session: the market then asks to sign in again, and the old session
// cookie no longer works; the answer tells the browser to forget the site's cache and storage.
// Signing in from that request returns to the page asked for.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './support/server.mjs';
import { ACCOUNTS, launchBrowser, newPage, pathOf, signIn, submit, visit } from './support/browser.mjs';

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

test('signing out ends the session', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, server, ACCOUNTS.broker);
    await visit(page, server.url('/market'));
    const sessionCookies = await context.cookies();
    assert.ok(sessionCookies.length > 0, 'signing in set a cookie');

    const response = await submit(page, 'Sign out');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), '/sign-in');
    const signedOut = await response.request().redirectedFrom()?.response();
    // allHeaders(): headers() leaves out the ones the browser acts on itself, this among them.
    assert.equal((await signedOut?.allHeaders())?.['clear-site-data'], '"cache", "storage"', 'the browser is told to forget the site');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'nobody is signed in');

    await visit(page, server.url('/market'));
    assert.equal(pathOf(page), '/sign-in?next=/market', '/market asks to sign in');

    // The old session cookie, replayed, is no longer a session.
    await context.addCookies(sessionCookies);
    await visit(page, server.url('/market'));
    assert.equal(pathOf(page), '/sign-in?next=/market', 'the old session was ended on the server');
  } finally {
    await context.close();
  }
});

test('signing in after being sent to sign in returns to the page asked for', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage(browser);
  try {
    await visit(page, server.url('/people?page=2'));
    assert.equal(pathOf(page), '/sign-in?next=/people%3Fpage%3D2');
    await page.getByLabel('Email address').fill(ACCOUNTS.commissioner);
    await page.getByLabel('Password').fill(server.password);
    const response = await submit(page, 'Sign in');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), '/people?page=2');
  } finally {
    await context.close();
  }
});
