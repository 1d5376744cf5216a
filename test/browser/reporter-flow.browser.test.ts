/**
 * The reporter's whole path in real headless Chromium against the local stack: start page, every
 * wizard step, sending, receipt, follow-up with an officer reply (verified) and a forged one (not
 * verified), a reply from the reporter. A marker typed into every field must never appear in any
 * request; no request may leave the origin. axe checks every step; screenshots go to test-results/.
 * Once in Dutch with the JIT, once in English with --jitless (Tor Browser's "Safer" level).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNamedKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { captureRequests, checkStep, launchChromium, filesStored } from '../support/browser.ts';
import { storeReply } from '../support/officer-reply.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { nl } from '../../web/src/i18n/nl.ts';
import { en } from '../../web/src/i18n/en.ts';
import { tr } from '../../web/src/i18n/tr.ts';
import { ar } from '../../web/src/i18n/ar.ts';
import { pl } from '../../web/src/i18n/pl.ts';

type Lang = keyof typeof LANGUAGE_TEXTS;
/** Each language's texts, to check what the page says in it. */
const LANGUAGE_TEXTS = { nl, en, tr, ar, pl };

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const marker = (name: string) => `MARKER-${name}-${randomBytes(4).toString('hex')}`;

/** One marker per field the reporter can type into, and one for a file's name and one for its bytes. */
function markers() {
  return {
    what: marker('WHAT'),
    when: marker('WHEN'),
    whereDetail: marker('WHERE'),
    who: marker('WHO'),
    witnesses: marker('WITNESSES'),
    evidence: marker('EVIDENCE'),
    reportedBefore: marker('BEFORE'),
    hopes: marker('HOPES'),
    contact: marker('CONTACT'),
    fileName: marker('FILENAME'),
    fileBody: marker('FILEBODY'),
    reply: marker('REPLY'),
  };
}
type Markers = ReturnType<typeof markers>;

const next = (page: Page) => page.click('report-wizard form button[type=submit]');

/** Through the wizard to the receipt; returns the code as printed. */
async function report(page: Page, m: Markers, opts: { lang: Lang; shots: boolean }): Promise<string> {
  const check = (name: string) => checkStep(page, name, opts);
  // English from the language menu; the others from an address that names the language.
  await page.goto(opts.lang === 'nl' || opts.lang === 'en' ? stack.url : `${stack.url}/?lang=${opts.lang}`);
  await page.waitForSelector('start-page h1');
  if (opts.lang === 'en') await page.click('header button[lang="en"]');
  await page.waitForFunction((lang) => document.documentElement.lang === lang, opts.lang);
  expect(await page.evaluate(() => document.documentElement.dir)).toBe(opts.lang === 'ar' ? 'rtl' : 'ltr');
  expect(await page.textContent('start-page h1')).toBe(LANGUAGE_TEXTS[opts.lang].start.heading);
  expect(await page.getAttribute(`header button[lang="${opts.lang}"]`, 'aria-current')).toBe('true');
  await check('1-start');
  await page.click('a[href="#/melden"]');
  await page.waitForSelector('#category-0');
  // One question first; who receives it and which rules apply follow only once it is answered.
  expect(await page.locator('#channel-0').count()).toBe(0);

  // Going on with nothing chosen: a summary, and each error tied to its field.
  await next(page);
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).not.toMatch(/[?؟]:/); // a question keeps its question mark alone
  expect(await page.getAttribute('#category-0', 'aria-invalid')).toBe('true');
  expect(await page.getAttribute('fieldset:has(#category-0)', 'aria-describedby')).toContain('category-error');
  await check('2-kind-errors');
  // Unwanted behaviour goes to the confidential adviser under the code of conduct; an integrity
  // violation to the integrity officer, also under the code: filled in, and still changeable.
  await page.check('#category-3');
  expect(await page.isChecked('#channel-1')).toBe(true);
  expect(await page.isChecked('#track-1')).toBe(true);
  await page.check('#category-1');
  expect(await page.isChecked('#channel-0')).toBe(true);
  expect(await page.isChecked('#track-1')).toBe(true);
  // The channels' names in the page's language, from the config (the demo config has all five).
  expect(await page.textContent('label[for="channel-0"]')).toBe(stack.config.channels[0]!.name[opts.lang]);
  await page.waitForSelector('.suggestion');
  await check('3-kind');
  await next(page);

  await page.fill('#what', `${m.what} De penningmeester boekte privé-uitgaven als campagnekosten.`);
  await page.fill('#when', m.when);
  await page.selectOption('#whereLevel', 'afdeling');
  await page.fill('#whereDetail', m.whereDetail);
  await check('4-what');
  await next(page);

  await page.fill('#who', m.who);
  await page.fill('#witnesses', m.witnesses);
  await page.fill('#evidence', m.evidence);
  // A file of a kind that cannot be cleaned: chosen, listed, and flagged with advice; removable.
  await page.setInputFiles('#attachments', { name: 'weg.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10, 1) });
  await page.waitForSelector('.chosen-files li');
  await page.click('.chosen-files li button.link');
  await page.waitForSelector('.chosen-files', { state: 'detached' });
  const body = Buffer.concat([Buffer.from(`${m.fileBody}\n`), randomBytes(300 * 1024)]);
  await page.setInputFiles('#attachments', { name: `${m.fileName}.bin`, mimeType: 'application/octet-stream', buffer: body });
  await page.waitForSelector('.chosen-files li .warning');
  await page.fill('#reportedBefore', m.reportedBefore);
  await check('5-who');
  await next(page);

  await page.fill('#hopes', m.hopes);
  await page.check('#conversation-1');
  await page.fill('#contact', m.contact);
  // A real choice, each answer saying what it does; nothing is chosen for CLB unless the reporter does.
  expect(await page.isChecked('#clb-0')).toBe(true);
  expect(await page.locator('fieldset:has(#clb-0) .choice').count()).toBe(3);
  await page.check('#clb-1');
  await check('6-wishes');
  await next(page);

  await page.waitForSelector('dl.review');
  const review = (await page.textContent('dl.review')) ?? '';
  for (const key of ['what', 'when', 'whereDetail', 'who', 'witnesses', 'evidence', 'reportedBefore', 'hopes', 'contact', 'fileName'] as const) {
    expect(review).toContain(m[key]);
  }
  expect(review).toContain(LANGUAGE_TEXTS[opts.lang].wizard.consentOptions['without-contact'].label);
  await check('7-review');
  // "Change" leads to the step, and from there straight back to the review.
  await page.click('dl.review div:nth-child(5) button');
  await page.waitForSelector('#when');
  await page.fill('#when', `${m.when} (gewijzigd)`);
  await page.click('report-wizard button.to-review');
  await page.waitForSelector('dl.review');
  expect(await page.textContent('dl.review')).toContain(`${m.when} (gewijzigd)`);

  // Hold the upload, so the progress step can be checked and photographed while it shows.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/reports', async (route) => {
    await held;
    await route.continue();
  });
  await next(page);
  // Removing metadata from the file, making the key, encrypting, the puzzle: done; sending: busy.
  await page.waitForSelector('.progress li:last-child.active', { timeout: 30_000 });
  expect(await page.locator('.progress li.done').count()).toBe(4);
  await check('8-sending');
  release();
  await page.waitForSelector('code-receipt .code', { timeout: 30_000 });
  // The file follows the report while the code shows; wait until it is sent and the layout settles.
  await filesStored(page);
  expect(await page.locator('.files-failed').count()).toBe(0);
  await page.unroute('**/api/reports');
  await check('9-receipt');
  const code = (await page.textContent('code-receipt .code .visually-hidden'))!.trim();
  expect(code).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);

  // The code as a text file, made in the page (a data: URL), never fetched.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('code-receipt .receipt a[download]')]);
  const saved = readFileSync((await download.path())!, 'utf8');
  expect(saved).toContain(code);
  // And the signed proof of reporting, which names no one.
  const [proof] = await Promise.all([page.waitForEvent('download'), page.click('code-receipt a.proof')]);
  const proofText = readFileSync((await proof.path())!, 'utf8');
  expect(proofText).toContain('bewijs van melding / proof of reporting');
  // Saved under the name its own instructions use, with this site's own address.
  expect(proof.suggestedFilename()).toBe('bewijs-van-melding.txt');
  expect(proofText).toContain(`curl -s ${stack.url}/api/proof-key.pem > proof-key.pem`);
  expect(proofText).toContain('head -n 4 bewijs-van-melding.txt');
  expect(proofText).not.toContain(code);
  expect(saved).toContain(`${stack.url}/#/terugkomen`); // which site the code belongs to

  // The reporter cannot leave before confirming the code is saved.
  await page.click('header a[href="#/"]');
  await page.waitForSelector('#saved-error');
  expect(page.url()).toContain('#/melden');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('saved');
  await page.check('#saved');
  await page.click('code-receipt button.primary');
  await page.waitForFunction(() => location.hash === '#/');
  return code;
}

async function followUp(page: Page, code: string, opts: { lang: Lang; shots: boolean }) {
  await page.click('a[href="#/terugkomen"]');
  // A typo is said as a typo, before anything is sent.
  const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
  await page.fill('#code', typo);
  await page.click('follow-up form button[type=submit]');
  await page.waitForSelector('#code-error');
  expect(await page.textContent('#code-error')).toBe(LANGUAGE_TEXTS[opts.lang].followUp.errors.mistyped);
  await checkStep(page, '10-follow-up-typo', opts);
  await page.fill('#code', code.toLowerCase().replace(/-/g, ' '));
  await page.click('follow-up form button[type=submit]');
  await page.waitForSelector('.thread .message', { timeout: 30_000 });
  await checkStep(page, '11-follow-up', opts);
}

async function fullFlow(browser: Browser, lang: Lang, shots: boolean) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = captureRequests(page);
  const m = markers();
  const code = await report(page, m, { lang, shots });

  const officer = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
  await storeReply(stack, code, officer, 'Dank u. Wij onderzoeken dit.');
  // The server (or anyone with the table) writes a reply under the officer's name with its own key.
  const forger = await generateNamedKey(stack.officer.name, 'x');
  await storeReply(stack, code, forger.unlocked, 'Deze melding is afgehandeld, u hoeft niets meer te doen.');

  await followUp(page, code, { lang, shots });
  const messages = page.locator('.thread .message');
  expect(await messages.count()).toBe(3);
  expect(await messages.nth(0).getAttribute('class')).toContain(' verified');
  expect(await messages.nth(0).textContent()).toContain(m.what);
  expect(await messages.nth(0).textContent()).toContain(m.fileName);
  expect(await messages.nth(1).getAttribute('class')).toContain(' verified');
  expect(await messages.nth(1).textContent()).toContain(stack.officer.name);
  expect(await messages.nth(2).getAttribute('class')).toContain('not-verified');
  const t = LANGUAGE_TEXTS[lang].followUp;
  expect(await page.locator('.readers li').allTextContents()).toEqual([t.you, `${stack.officer.name}: ${t.readsConversation}`]);

  await page.fill('#reply', m.reply);
  await page.click('follow-up form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 4, null, { timeout: 30_000 });
  expect(await messages.nth(3).textContent()).toContain(m.reply);
  expect(await messages.nth(3).getAttribute('class')).toContain(' verified');
  await checkStep(page, '12-follow-up-replied', { lang, shots });

  // A new reply arrives; the open case fetches it without the code.
  await storeReply(stack, code, officer, 'Kunt u iets meer vertellen over de bonnetjes?');
  await page.click('follow-up button.refresh');
  await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 5, null, { timeout: 30_000 });
  expect(await messages.nth(4).getAttribute('class')).toContain(' verified');

  // Closing takes the decrypted case off the page.
  await page.click('follow-up button.close');
  await page.waitForSelector('#code');
  expect(await page.content()).not.toContain(m.what);

  // Nothing on the wire but ciphertext, and nothing to any other origin.
  const origin = new URL(stack.url).origin;
  expect(requests.length).toBeGreaterThan(8);
  const secrets = [...Object.values(m), code, code.replace(/-/g, ''), code.toLowerCase()];
  for (const r of requests) {
    expect(new URL(r.url).origin, r.url).toBe(origin);
    for (const secret of secrets) {
      expect(r.url, r.url).not.toContain(secret);
      expect(r.headers, r.url).not.toContain(secret);
      expect(r.body, r.url).not.toContain(secret);
    }
  }
  expect(requests.filter((r) => r.body.includes('BEGIN PGP MESSAGE')).length).toBe(2); // the report and the reply

  // Nothing kept in the browser.
  const kept = await page.evaluate(async () => ({
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).length,
  }));
  expect(kept).toEqual({ cookie: '', local: 0, session: 0, idb: 0, workers: 0, caches: 0 });
  expect((await context.cookies()).length).toBe(0);
  await context.close();
}

describe('the reporter web app in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('submit → receipt → follow-up in Dutch: verified reply, forged reply not verified, no plaintext on the wire; screenshots of every step', () =>
    fullFlow(browser, 'nl', true), 120_000);

  // The translations: the whole flow in each, axe on every step; Arabic right to left, with screenshots.
  it('the same flow in Turkish', () => fullFlow(browser, 'tr', false), 120_000);
  it('the same flow in Arabic, right to left, with screenshots of every step', () => fullFlow(browser, 'ar', true), 120_000);
  it('the same flow in Polish', () => fullFlow(browser, 'pl', false), 120_000);
});

describe('the reporter web app in Chromium without JIT (Tor Browser "Safer")', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ jitless: true });
  });
  afterAll(() => browser?.close());

  it('the same flow works in English with --jitless and no WebAssembly', async () => {
    const page = await browser.newPage();
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
    await page.close();
    await fullFlow(browser, 'en', false);
  }, 180_000);
});
