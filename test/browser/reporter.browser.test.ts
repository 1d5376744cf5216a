/**
 * The reporter's whole path in real headless Chromium against the local stack: start page, wizard,
 * receipt, follow-up with an officer reply (verified) and a forged one (not verified), a reply from
 * the reporter. Every request is captured; axe checks every step; screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNamedKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { storeReply } from '../support/officer-reply.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const SHOTS = 'test-results/screenshots';
let stack: TestStack;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack();
});
afterAll(() => stack?.stop());

const MARKERS = {
  what: 'MARKER-WHAT-5c1e De penningmeester boekte privé-uitgaven als campagnekosten.',
  who: 'MARKER-WHO-0b9d J.V.',
  contact: 'MARKER-CONTACT-77aa 06-98765432',
  followUp: 'MARKER-FOLLOWUP-e2f4 Ik heb nog een bonnetje.',
};

interface Captured {
  url: string;
  body: string;
}

function capture(page: Page): Captured[] {
  const requests: Captured[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
  return requests;
}

async function check(page: Page, name: string, opts: { shots?: boolean }) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  if (opts.shots) {
    await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

async function next(page: Page) {
  await page.click('report-wizard form button[type=submit]');
}

/** Through the wizard to the receipt; returns the code as printed. */
async function report(page: Page, opts: { lang: 'nl' | 'en'; shots?: boolean }): Promise<string> {
  await page.goto(stack.url);
  if (opts.lang === 'en') await page.click('text=English');
  await check(page, 'start', opts);
  await page.click('a[href="#/melden"]');
  await page.waitForSelector('#channel-0');
  // Trying to go on with nothing chosen shows errors tied to the fields.
  await next(page);
  await page.waitForSelector('.error-summary');
  expect(await page.getAttribute('fieldset[aria-invalid="true"]', 'aria-describedby')).toContain('error');
  await check(page, 'step1-errors', opts);
  await page.check('#channel-0');
  await page.check('#category-1');
  await page.check('#track-1');
  await check(page, 'step1', opts);
  await next(page);
  await page.fill('#what', MARKERS.what);
  await page.fill('#when', 'maart 2026');
  await page.selectOption('#whereLevel', 'afdeling');
  await check(page, 'step2', opts);
  await next(page);
  await page.fill('#who', MARKERS.who);
  await check(page, 'step3', opts);
  await next(page);
  await page.fill('#contact', MARKERS.contact);
  await page.check('#conversation-1');
  await check(page, 'step4', opts);
  await next(page);
  await page.waitForSelector('dl.review');
  expect(await page.textContent('dl.review')).toContain(MARKERS.what);
  await check(page, 'review', opts);
  await next(page);
  await page.waitForSelector('code-receipt .code', { timeout: 30_000 });
  await check(page, 'receipt', opts);
  const code = (await page.$$eval('code-receipt .code span', (spans) => spans.map((s) => s.textContent).join('-'))) as string;
  // The reporter cannot leave before confirming the code is saved.
  await page.click('code-receipt button.primary');
  await page.waitForSelector('#saved-error');
  expect(await page.url()).toContain('#/melden');
  await page.check('#saved');
  await page.click('code-receipt button.primary');
  await page.waitForFunction(() => location.hash === '#/');
  return code;
}

async function followUp(page: Page, code: string, opts: { shots?: boolean }) {
  await page.click('a[href="#/terugkomen"]');
  // A typo is said as a typo, before anything is sent.
  const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
  await page.fill('#code', typo);
  await page.click('follow-up form button[type=submit]');
  await page.waitForSelector('#code-error');
  expect(await page.textContent('#code-error')).toMatch(/tikfout|typo/);
  await check(page, 'follow-up-typo', opts);
  await page.fill('#code', code.toLowerCase().replace(/-/g, ' '));
  await page.click('follow-up form button[type=submit]');
  await page.waitForSelector('.thread .message', { timeout: 30_000 });
  await check(page, 'follow-up', opts);
}

async function fullFlow(browser: Browser, lang: 'nl' | 'en', shots: boolean) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = capture(page);
  const code = await report(page, { lang, shots });

  const officer = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
  await storeReply(stack, code, officer, 'Dank u. Wij onderzoeken dit.');
  await storeReply(stack, code, (await generateNamedKey(stack.officer.name, 'x')).unlocked, 'Deze melding is afgehandeld, u hoeft niets meer te doen.');

  await followUp(page, code, { shots });
  const messages = page.locator('.thread .message');
  expect(await messages.count()).toBe(3);
  expect(await messages.nth(0).getAttribute('class')).toContain(' verified');
  expect(await messages.nth(0).textContent()).toContain(MARKERS.what);
  expect(await messages.nth(1).getAttribute('class')).toContain(' verified');
  expect(await messages.nth(1).textContent()).toContain(stack.officer.name);
  expect(await messages.nth(2).getAttribute('class')).toContain('not-verified');

  await page.fill('#reply', MARKERS.followUp);
  await page.click('follow-up form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 4, null, { timeout: 30_000 });
  expect(await messages.nth(3).textContent()).toContain(MARKERS.followUp);

  // Nothing on the wire but ciphertext, and nothing to any other origin.
  const origin = new URL(stack.url).origin;
  expect(requests.length).toBeGreaterThan(8);
  for (const r of requests) {
    expect(new URL(r.url).origin, r.url).toBe(origin);
    for (const marker of Object.values(MARKERS)) expect(r.body).not.toContain(marker.slice(0, 12));
    expect(r.body).not.toContain(code);
  }
  expect(requests.some((r) => r.body.includes('BEGIN PGP MESSAGE'))).toBe(true);

  // Nothing kept in the browser.
  const kept = await page.evaluate(async () => ({
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
  expect(kept).toEqual({ cookie: '', local: 0, session: 0, idb: 0, workers: 0 });
  expect((await context.cookies()).length).toBe(0);
  await context.close();
}

describe('reporter web app in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('submit → receipt → follow-up, in Dutch, with screenshots of every step', () => fullFlow(browser, 'nl', true), 120_000);

  it('sends the production security headers and loads openpgp.js only after first paint', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    const response = await page.goto(stack.url);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // The first script is the app; the protocol chunk comes later, by itself.
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/assets/protocol-')));
    expect(scripts[0]).not.toContain('protocol-');
    await page.close();
  });

  it('forgets everything typed on reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/#/melden`);
    await page.waitForSelector('#channel-0');
    await page.check('#channel-0');
    await page.check('#category-0');
    await page.check('#track-0');
    await next(page);
    await page.fill('#what', 'iets geheims');
    await page.reload();
    await page.waitForSelector('#channel-0');
    expect(await page.isChecked('#channel-0')).toBe(false);
    await page.close();
  });

  it('can be completed with the keyboard alone', async () => {
    const page = await browser.newPage();
    await page.goto(stack.url);
    const key = (k: string) => page.keyboard.press(k);
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 60; i++) {
        await key('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`could not reach ${selector} with Tab`);
    };
    await tabTo('a[href="#/melden"]');
    await key('Enter');
    await page.waitForSelector('#channel-0');
    await tabTo('#channel-0');
    await key('Space');
    await tabTo('input[name=category]');
    await key('ArrowDown'); // radio groups move with the arrow keys
    await tabTo('input[name=track]');
    await key('Space');
    await tabTo('report-wizard button[type=submit]');
    await key('Enter');
    await page.waitForSelector('#what');
    await tabTo('#what');
    await page.keyboard.type('Met alleen het toetsenbord gemeld.');
    for (let step = 0; step < 4; step++) {
      await tabTo('report-wizard button[type=submit]');
      await key('Enter');
      await page.waitForTimeout(50);
    }
    await page.waitForSelector('#saved', { timeout: 30_000 });
    await tabTo('#saved');
    await key('Space');
    await tabTo('code-receipt button.primary');
    await key('Enter');
    await page.waitForFunction(() => location.hash === '#/');
    await page.close();
  });

  it('has a quick exit on every page that leaves for a neutral site and takes this page out of the history', async () => {
    const page = await browser.newPage();
    // The neutral site is answered locally: no request leaves this machine.
    await page.route(/^https:\/\/www\.knmi\.nl\//, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weer</title>' }));
    for (const hash of ['#/', '#/melden', '#/terugkomen']) {
      await page.goto('about:blank');
      await page.goto(`${stack.url}/${hash}`);
      await page.waitForSelector('button.quick-exit');
      const before = await page.evaluate(() => history.length);
      await page.click('button.quick-exit');
      await page.waitForURL(/knmi\.nl/);
      expect(await page.evaluate(() => history.length), hash).toBe(before);
      await page.goBack(); // "back" leads past Meldpunt, to the page before it
      expect(page.url(), hash).toBe('about:blank');
    }
    await page.close();
  });

  it('works at 320 px without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const hash of ['#/', '#/melden', '#/terugkomen']) {
      await page.goto(`${stack.url}/${hash}`);
      await page.waitForSelector('main h1');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), hash).toBeLessThanOrEqual(320);
    }
    await page.close();
  });
});

describe('reporter web app in Chromium without JIT (Tor Browser "Safer")', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ jitless: true });
  });
  afterAll(() => browser?.close());

  it('the same flow works, in English, with --jitless and no WebAssembly', async () => {
    const page = await browser.newPage();
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
    await page.close();
    await fullFlow(browser, 'en', false);
  }, 180_000);
});
