// What a provider user (and the other scoped roles) may not see: council-only pages answer
// "You cannot see this page" (403), and records outside the account's scope "Page not found" (404),
// exactly as for records that do not exist.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './support/server.mjs';
import {
  ACCOUNTS,
  api,
  apiAll,
  assertAccessible,
  createToken,
  firstLinkIn,
  heading,
  launchBrowser,
  newPage,
  signIn,
  visit,
} from './support/browser.mjs';

const TIMEOUT = 90_000;
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

/**
 * Signs in as `role` in a new context and, for a role that makes API tokens (not a care worker
 * or a person), makes one through the form.
 */
async function signedIn(role) {
  const { context, page } = await newPage(browser);
  await signIn(page, server, ACCOUNTS[role]);
  const makesTokens = !['careworker', 'person'].includes(role);
  const token = makesTokens ? await createToken(page, server, `e2e access control (${role})`) : null;
  return { context, page, token };
}

/** The id at the end of the navigation link named `label`: the account's own record. */
async function ownRecord(page, label) {
  await visit(page, server.url('/'));
  const href = await page.locator('nav[aria-label="Menu"]').getByRole('link', { name: label }).getAttribute('href');
  return href.split('/').pop();
}

async function assertForbidden(page, path) {
  await visit(page, server.url(path), 403);
  assert.equal(await heading(page), 'You cannot see this page', `${path}: the forbidden page`);
}

async function assertNotFound(page, path) {
  await visit(page, server.url(path), 404);
  assert.equal(await heading(page), 'Page not found', `${path}: the not-found page`);
}

test('a provider user cannot reach council-only pages', { timeout: TIMEOUT }, async () => {
  const { context, page, token } = await signedIn('provider');
  try {
    await visit(page, server.url('/market'));
    const area = await firstLinkIn(page, 'table.govuk-table tbody');
    for (const path of ['/providers', '/audit', `${area}/edit`]) {
      await assertForbidden(page, path);
    }
    await assertAccessible(page, 'the forbidden page');
    await visit(page, server.url(area));
    assert.equal(await page.getByRole('link', { name: /^Change this area/ }).count(), 0, 'no link to change the area');
    for (const path of ['/api/v1/providers', '/api/v1/audit']) {
      assert.equal((await api(server, token, path)).status, 403, `${path} with the provider's token`);
    }
  } finally {
    await context.close();
  }
});

test('a provider user gets "Page not found" for people and providers outside their scope', { timeout: TIMEOUT }, async () => {
  const broker = await signedIn('broker');
  const provider = await signedIn('provider');
  try {
    const everyone = await apiAll(server, broker.token, '/api/v1/people');
    const served = await apiAll(server, provider.token, '/api/v1/people');
    assert.ok(served.length > 0, 'the provider serves somebody');
    assert.ok(served.length < everyone.length, 'the provider does not serve everybody');
    const servedIds = new Set(served.map((person) => person.id));
    const stranger = everyone.find((person) => !servedIds.has(person.id));

    // The broker sees the person; the provider user does not, and is not told they exist.
    await visit(broker.page, server.url(`/people/${stranger.id}`));
    assert.equal(await heading(broker.page), stranger.name);
    await assertNotFound(provider.page, `/people/${stranger.id}`);
    assert.equal(await provider.page.getByText(stranger.name).count(), 0, "the person's name is not shown");
    await assertAccessible(provider.page, 'the not-found page');
    assert.equal((await api(server, provider.token, `/api/v1/people/${stranger.id}`)).status, 404);

    // A person the provider does serve opens, from the provider's own list.
    await visit(provider.page, server.url('/people'));
    assert.equal(await provider.page.locator(`table a[href="/people/${stranger.id}"]`).count(), 0);
    await visit(provider.page, server.url(`/people/${served[0].id}`));
    assert.equal(await heading(provider.page), served[0].name);

    // Its own provider page opens; another provider's does not.
    const me = (await api(server, provider.token, '/api/v1/me')).body;
    const providers = await apiAll(server, broker.token, '/api/v1/providers');
    const other = providers.find((each) => each.id !== me.scope_id);
    await visit(provider.page, server.url(`/providers/${me.scope_id}`));
    await assertNotFound(provider.page, `/providers/${other.id}`);
  } finally {
    await broker.context.close();
    await provider.context.close();
  }
});

test('a care worker and a person see only their own records', { timeout: TIMEOUT }, async () => {
  const worker = await signedIn('careworker');
  const person = await signedIn('person');
  const broker = await signedIn('broker');
  try {
    for (const path of ['/market', '/people', '/providers', '/workers', '/audit']) {
      await assertForbidden(worker.page, path);
    }
    for (const path of ['/market', '/people', '/providers', '/workers', '/audit']) {
      await assertForbidden(person.page, path);
    }
    const ownWorker = await ownRecord(worker.page, 'Your record');
    const ownPerson = await ownRecord(person.page, 'Your care');
    await assertForbidden(worker.page, '/account/tokens');
    await assertForbidden(person.page, '/account/tokens');
    await visit(worker.page, server.url(`/workers/${ownWorker}`));
    await visit(person.page, server.url(`/people/${ownPerson}`));
    // Another person, and the worker's own page, are not the person's to see.
    const { body } = await api(server, broker.token, '/api/v1/people?per_page=2');
    const someoneElse = body.items.find((each) => each.id !== ownPerson);
    await assertNotFound(person.page, `/people/${someoneElse.id}`);
    await assertForbidden(person.page, `/workers/${ownWorker}`);
    await assertForbidden(worker.page, `/people/${ownPerson}`);
  } finally {
    await worker.context.close();
    await person.context.close();
    await broker.context.close();
  }
});
