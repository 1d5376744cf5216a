/**
 * The reporter's flow in Debian's Firefox ESR with Tor Browser's preferences, at its "Standard"
 * level and at "Safer" (no JIT, no WebAssembly): start page, the form with a file, send, the code,
 * the file stored, then following up with the code: the officer's reply verified, the file opened
 * and verified, a reply sent. No console error, no request to another origin, nothing stored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { launchFirefox, PAGE_CLOCK, TOR_SAFER, TOR_STANDARD } from '../support/firefox.ts';
import { storeReply } from '../support/officer-reply.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-firefox-'));
const evidence = join(work, 'bewijs.bin');
beforeAll(async () => {
  stack = await startStack({ powDifficulty: 8 });
  writeFileSync(evidence, randomBytes(2_000_000));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

const click = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).click());
const next = (page: Page) => click(page, 'report-wizard form button[type=submit]');
const waitFor = (page: Page, selector: string) => page.waitForSelector(selector, { timeout: 60_000 });

async function reporterFlow(prefs: Record<string, boolean>) {
  const { browser, page } = await launchFirefox(prefs);
  const problems: string[] = [];
  const origins = new Set<string>();
  page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
  page.on('pageerror', (e) => void problems.push(String(e)));
  page.on('request', (r) => void origins.add(new URL(r.url()).origin));
  try {
    await page.goto(`${stack.url}/`);
    await waitFor(page, 'a[href="#/melden"]');
    await click(page, 'a[href="#/melden"]');
    await waitFor(page, '#category-0');
    for (const choice of ['#category-0', '#channel-0', '#track-0']) await click(page, choice);
    await next(page);
    await waitFor(page, '#what');
    await page.type('#what', 'De penningmeester betaalt zichzelf uit de kas.');
    await next(page);
    const input = await waitFor(page, '#attachments');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(evidence);
    await page.waitForFunction(() => document.querySelector('file-picker')?.textContent?.includes('bewijs.bin'), { timeout: 30_000 });
    await next(page);
    await next(page);
    await waitFor(page, 'dl.review');
    await page.evaluate(PAGE_CLOCK);
    await page.evaluate(() => (window as unknown as { startClock(): void }).startClock());
    await next(page);
    await waitFor(page, 'code-receipt .code');
    const code = (await page.$eval('code-receipt .code .visually-hidden', (el) => el.textContent ?? '')).trim();
    expect(code).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
    await page.waitForFunction(() => (window as unknown as { clock: { stored: number } }).clock.stored > 0, { timeout: 120_000, polling: 100 });
    const clock = await page.evaluate(() => (window as unknown as { clock: { start: number; code: number; stored: number } }).clock);
    await click(page, '#saved');
    await click(page, 'code-receipt button.primary');
    await page.waitForFunction(() => location.hash === '#/');

    await storeReply(stack, code, await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase), 'Dank u, wij kijken ernaar.');
    await click(page, 'a[href="#/terugkomen"]');
    await waitFor(page, '#code');
    await page.type('#code', code);
    await click(page, 'follow-up form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 2, { timeout: 60_000 });
    const classes = await page.$$eval('.thread .message', (els) => els.map((e) => e.className));
    expect(classes.every((c) => / verified/.test(c))).toBe(true);
    await click(page, 'button.open-file');
    await waitFor(page, '.message-files .ok');
    await page.type('#reply', 'Ik heb nog een bonnetje.');
    await click(page, 'follow-up form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 3, { timeout: 60_000 });

    const kept = await page.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length }));
    expect(kept).toEqual({ cookie: '', local: 0, session: 0 });
    expect(problems).toEqual([]);
    expect([...origins].filter((o) => o !== new URL(stack.url).origin && o !== 'null')).toEqual([]);
    return { codeMs: clock.code - clock.start, storedMs: clock.stored - clock.start };
  } finally {
    await browser.close();
  }
}

describe('the reporter flow in Firefox ESR with Tor Browser’s preferences', () => {
  it('works at the Standard level', () => reporterFlow(TOR_STANDARD), 180_000);
  it('works at the Safer level: no JIT, no WebAssembly; the code before the file is read', async () => {
    const { codeMs, storedMs } = await reporterFlow(TOR_SAFER);
    // The code does not wait for the file: it shows before the file is stored.
    expect(codeMs).toBeLessThan(storedMs);
  }, 240_000);
});
