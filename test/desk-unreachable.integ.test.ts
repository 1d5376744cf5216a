/**
 * The desk started with a site address that does not answer (a typo, no connection): it says so in
 * the officer's language and offers to try again, instead of an empty page and a 500.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './support/browser.ts';
import { startTestDesk, type TestDesk } from './support/desk.ts';
import { startStack, type TestStack } from './support/stack.ts';

let stack: TestStack;
let desk: TestDesk;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack();
  // Port 9 (discard) on this machine: nothing listens there.
  desk = await startTestDesk({ url: 'http://127.0.0.1:9' }, stack.officer);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  await stack?.stop();
});

describe('a desk whose site does not answer', () => {
  it('answers the page plainly (no 500), and the page says what is wrong and offers to try again', async () => {
    const errors = vi.spyOn(console, 'error');
    const state = await fetch(`${desk.url}api/state`);
    expect(state.status).toBe(200);
    expect(await state.json()).toEqual({ locked: false, unreachable: 'http://127.0.0.1:9', canChange: false });
    const cases = await fetch(`${desk.url}api/cases`);
    expect(cases.status).toBe(502);
    expect(((await cases.json()) as { error: string }).error).toContain('http://127.0.0.1:9');
    expect(errors.mock.calls.map((c) => String(c[0]))).not.toContain('desk: unexpected error');
    errors.mockRestore();

    const page = await browser.newPage();
    await page.goto(desk.url);
    await page.waitForSelector('.unreachable h1');
    expect(await page.textContent('.unreachable')).toContain('Het bureau kan http://127.0.0.1:9 nu niet bereiken');
    expect(await page.locator('.unreachable button.retry').count()).toBe(1);
    await page.click('.unreachable button.retry');
    await page.waitForSelector('.unreachable h1');
    await page.close();
  });
});
