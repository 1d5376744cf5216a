/** The known-answer vectors, derived inside real Chromium with the same shared module the web app bundles. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectors from '../vectors/code-keys.json' with { type: 'json' };
import { bundleForPage, launchChromium } from '../support/browser.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('vectors in Chromium', () => {
  it('derives the same access keys and passphrases as Node', async () => {
    const bundle = await bundleForPage(`import { parseCode } from './shared/protocol/code.ts'; import { deriveCodeKeys } from './shared/protocol/derive.ts';
          globalThis.derive = async (printed) => { const p = parseCode(printed); if (p.kind !== 'ok') throw new Error(p.kind); return deriveCodeKeys(p.code); };`);
    const page = await browser.newPage();
    // A page of our own origin: a secure context (127.0.0.1), so WebCrypto is there, as for the app.
    await page.goto(`${stack.url}/channels.json`);
    await page.evaluate(bundle);
    for (const vector of vectors.vectors) {
      const derived = await page.evaluate((code) => (globalThis as unknown as { derive: (c: string) => Promise<unknown> }).derive(code), vector.code);
      expect(derived).toEqual({ accessKey: vector.accessKey, unlockPassphrase: vector.unlockPassphrase });
    }
  });
});
