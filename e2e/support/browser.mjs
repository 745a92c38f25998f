// Chromium through playwright-core, and the steps every test file shares: signing in, submitting
// a form, checking a page with axe-core, and watching for broken scripts and assets.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AXE_PATH } from './paths.mjs';

const EXECUTABLE = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** axe-core's browser bundle. */
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');

/** The WCAG levels every page must meet. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The demo accounts, one per role. */
export const ACCOUNTS = {
  commissioner: 'commissioner@homeward.example',
  broker: 'broker@homeward.example',
  provider: 'provider@homeward.example',
  careworker: 'careworker@homeward.example',
  person: 'person@homeward.example',
};

/** A fresh headless Chromium with a temporary profile of its own. */
export function launchBrowser() {
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
}

/**
 * A new browser context and page. The page records script errors, failed subresources
 * (stylesheet, scripts, images), what the content security policy blocked, and documents served
 * without the policy, so that tests can assert there were none.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // The page's clock runs from the servers' start too: the phone page stamps check-ins with it.
  if (CLOCK_START) await context.clock.install({ time: CLOCK_START });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`script error: ${error.message}`));
  await watchContentSecurityPolicy(page);
  page.on('requestfailed', (request) => {
    page.problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      page.problems.push(`subresource answered ${response.status()}: ${response.url()}`);
    }
  });
  return { context, page };
}

/**
 * Records on `page.problems` every breach of the content security policy the browser reports
 * (the `securitypolicyviolation` event, listened for before any script of the page runs), and
 * every page served without a policy, so that a walk that meets no breach has really been
 * under one.
 */
async function watchContentSecurityPolicy(page) {
  await page.exposeFunction('homewardPolicyBreach', (breach) => {
    page.problems.push(`content security policy breach: ${breach}`);
  });
  await page.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (event) => {
        const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
        window.homewardPolicyBreach(
          `${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} on ${document.location.pathname}${where}`,
        );
      },
      true,
    );
  });
  page.on('response', (response) => {
    const request = response.request();
    if (request.resourceType() !== 'document' || !response.url().startsWith('http')) return;
    if (!response.headers()['content-security-policy']) {
      page.problems.push(`no content security policy: ${request.method()} ${response.url()} (${response.status()})`);
    }
  });
}

/** Asserts that no script failed and every stylesheet, script and image loaded, then forgets them. */
export function assertNoPageProblems(page, label = page.url()) {
  const problems = page.problems.splice(0);
  assert.deepEqual(problems, [], `${label}: the page had problems:\n  ${problems.join('\n  ')}`);
}

/** The pathname and query of the page's address. */
export function pathOf(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/**
 * Clicks the submit button named `name` and waits for the page it leads to.
 * Returns the response of that page (after any redirects).
 */
export async function submit(page, name) {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  return response;
}

/** Goes to `url` and returns the response, asserting its status. */
export async function visit(page, url, status = 200) {
  const response = await page.goto(url);
  assert.ok(response, `no response for ${url}`);
  assert.equal(response.status(), status, `${url} answered ${response.status()}, not ${status}`);
  return response;
}

/** Signs in through the sign-in form as `email`; the page ends on the account's home. */
export async function signIn(page, server, email) {
  await visit(page, server.url('/sign-in'));
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(server.password);
  const response = await submit(page, 'Sign in');
  assert.equal(response.status(), 200, `signing in as ${email} answered ${response.status()}`);
  assert.doesNotMatch(pathOf(page), /^\/sign-in/, `signing in as ${email} did not leave the sign-in page`);
  await assertSignedInAs(page);
}

/** Asserts the header says someone is signed in. */
export async function assertSignedInAs(page) {
  await assert.doesNotReject(
    page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: 2_000 }),
    `${pathOf(page)}: no "Sign out" button, so nobody seems signed in`,
  );
}

/** The service navigation's links: [{ label, href }]. */
export async function navigationLinks(page) {
  return page.locator('nav[aria-label="Menu"] a.govuk-service-navigation__link').evaluateAll((links) =>
    links.map((link) => ({ label: link.textContent.trim(), href: link.getAttribute('href') })),
  );
}

/** The href of the first link inside `selector`, asserting there is one. */
export async function firstLinkIn(page, selector) {
  const link = page.locator(`${selector} a[href]`).first();
  await assert.doesNotReject(link.waitFor({ timeout: 2_000 }), `${pathOf(page)}: no link in ${selector}`);
  return link.getAttribute('href');
}

/** The text of the page's h1. */
export async function heading(page) {
  return (await page.locator('h1').first().textContent()).trim();
}

function formatViolations(violations) {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `      at ${node.target}\n        ${node.html}\n        ${node.summary.replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  [${violation.impact}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe-core on the page as it is now and asserts there are no WCAG 2.2 AA violations,
 * listing each rule, element and reason when there are.
 */
export async function assertAccessible(page, label = pathOf(page)) {
  // Evaluated through the browser's developer protocol: a <script> tag of its own would be
  // inline script, which the page's content security policy rightly blocks.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        html: node.html.length > 300 ? `${node.html.slice(0, 300)}…` : node.html,
        summary: node.failureSummary ?? '',
      })),
    }));
  }, AXE_TAGS);
  if (violations.length > 0) {
    assert.fail(`${label} (${await page.title()}): ${violations.length} accessibility violation(s):\n${formatViolations(violations)}`);
  }
}

/**
 * Saves a screenshot when E2E_SCREENSHOT_DIR is set, never otherwise: of the whole page, or with
 * `{ fullPage: false }` of what the window shows.
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}

/** Creates an API token through /account/tokens and returns its secret. */
export async function createToken(page, server, name) {
  await visit(page, server.url('/account/tokens'));
  await page.getByLabel('What the token is for').fill(name);
  // A token outlives the session, so making one asks for the password again.
  await page.getByLabel('Current password').fill(server.password);
  // Post, redirect, get: the form redirects to the tokens page, which shows the secret once.
  const response = await submit(page, 'Create token');
  assert.equal(response.status(), 200, `creating a token answered ${response.status()}`);
  assert.equal(new URL(page.url()).pathname, '/account/tokens');
  const panel = page.locator('.govuk-panel--confirmation');
  assert.equal((await panel.locator('.govuk-panel__title').textContent()).trim(), 'Token created');
  const secret = (await page.locator('#new-token').textContent()).trim();
  assert.match(secret, /^hw_\S{16,}$/, 'the new token is shown');
  return secret;
}

/** Calls the JSON API with a bearer token; returns { status, body }. */
export async function api(server, token, path) {
  const response = await fetch(server.url(path), {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  });
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, body };
}

/** Every item of a paginated API list. */
export async function apiAll(server, token, path) {
  const items = [];
  for (let page = 1; ; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const { status, body } = await api(server, token, `${path}${separator}page=${page}&per_page=200`);
    assert.equal(status, 200, `${path} page ${page} answered ${status}: ${JSON.stringify(body)}`);
    items.push(...body.items);
    if (items.length >= body.total || body.items.length === 0) return items;
  }
}

/**
 * The instant the test servers' clocks started (scripts/e2e.sh sets it to 10:00 London time
 * today, so that visits are open for check-in whatever the hour of the run), or undefined when
 * the servers run on the machine's clock. Pages get the same start for their own clock.
 */
export const CLOCK_START = process.env.HOMEWARD_CLOCK_START
  ? new Date(process.env.HOMEWARD_CLOCK_START)
  : undefined;

/** The UK date `days` from the servers' today (YYYY-MM-DD), as Homeward's forms and pages take dates. */
export function londonDate(days) {
  const when = new Date((CLOCK_START ?? new Date()).getTime() + days * 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(when);
}
