/**
 * The proof of work at a production-like difficulty (32 puzzles) in the built app: shared among Web
 * Workers where the browser has more than one core (allowed by the CSP, no console errors), in the
 * page itself where it has one, with WebCrypto where there is no JIT; every way the server accepts
 * the proof and the code is shown.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { puzzlesFor } from '../../shared/protocol/pow.ts';
import { launchChromium } from '../support/browser.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const DIFFICULTY = 12;
let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack({ powDifficulty: DIFFICULTY });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function sendReport(page: Page): Promise<{ workers: number; errors: string[] }> {
  let workers = 0;
  const errors: string[] = [];
  page.on('worker', () => workers++);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${stack.url}/#/melden`);
  await page.check('#category-0');
  await page.check('#channel-0');
  await page.check('#track-0');
  await page.click('report-wizard form button[type=submit]');
  await page.fill('#what', 'Een melding om het rekenwerk te toetsen.');
  for (let step = 0; step < 3; step++) await page.click('report-wizard form button[type=submit]');
  await page.waitForSelector('dl.review');
  await page.click('report-wizard form button[type=submit]');
  await page.waitForSelector('code-receipt .code', { timeout: 60_000 });
  return { workers, errors };
}

describe('the proof of work in the browser', () => {
  it('is split into puzzles at this difficulty', () => {
    expect(puzzlesFor(DIFFICULTY)).toBe(32);
  });

  it.each([
    ['shares the puzzles among workers when there are two cores', 2, 2],
    ['solves in the page when there is one core', 1, 0],
  ])('%s', async (_, cores, expected) => {
    const page = await browser.newPage();
    await page.addInitScript({ content: `Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => ${cores} })` });
    const before = await stack.countItems();
    const { workers, errors } = await sendReport(page);
    expect(workers).toBe(expected);
    expect(errors).toEqual([]);
    expect(await stack.countItems()).toBeGreaterThan(before);
    await page.close();
  });

  it('solves with WebCrypto without a JIT (one reused input buffer), in workers, and the server accepts all 32 nonces', async () => {
    const jitless = await launchChromium({ jitless: true });
    try {
      const page = await jitless.newPage();
      await page.addInitScript({ content: `Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 })` });
      expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
      const before = await stack.countItems();
      const { workers, errors } = await sendReport(page);
      expect(workers).toBe(2);
      expect(errors).toEqual([]);
      expect(await stack.countItems()).toBeGreaterThan(before);
    } finally {
      await jitless.close();
    }
  });
});
