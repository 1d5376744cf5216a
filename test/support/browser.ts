/** Debian's Chromium through playwright-core, as the machine's notes prescribe; never a downloaded browser. */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** `jitless`: what Tor Browser's "Safer" level does: no JIT, and so no WebAssembly. */
export function launchChromium(options: { jitless?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(options.jitless ? ['--js-flags=--jitless'] : [])],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is. It is evaluated over the DevTools
 * protocol, which the page's CSP does not govern, so the CSP stays as strict as in production
 * (no bypassCSP anywhere).
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Test artifacts (gitignored): every step, desktop and phone width. */
export const SCREENSHOTS = 'test-results/screenshots';

/** axe on the page as it is, and (with `shots`) full-page screenshots at 1280 px and at 390 px. */
export async function checkStep(page: Page, name: string, options: { shots?: boolean; lang: string }): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${name} (${options.lang}): ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  if (!options.shots) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-${options.lang}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-${options.lang}-phone.png`, fullPage: true });
  await page.setViewportSize(size);
}

export interface CapturedRequest {
  url: string;
  method: string;
  headers: string;
  body: string;
}

/** Every request the page makes from now on, with its URL, headers and body as sent. */
export function captureRequests(page: Page): CapturedRequest[] {
  const requests: CapturedRequest[] = [];
  page.on('request', (r: Request) =>
    requests.push({ url: r.url(), method: r.method(), headers: JSON.stringify(r.headers()), body: r.postData() ?? '' }),
  );
  return requests;
}

/** Presses Tab until the element matching `selector` has focus. */
/** Every control smaller than 24×24 px (WCAG 2.2, 2.5.8); a control inside its label counts with the label (the label is the target). */
export function smallTargets(page: Page): Promise<Array<{ what: string; w: number; h: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main button, main a, main summary, main input, main select, main textarea, header button, header a')]
      .map((el) => {
        const box = (el.closest('label') ?? el).getBoundingClientRect();
        return { what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.textContent?.trim().slice(0, 30) ?? ''}`, w: box.width, h: box.height };
      })
      .filter((b) => b.w > 0 && (b.w < 24 || b.h < 24)),
  );
}

export async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

/** Through the wizard's first two steps (kind, what happened) to the step with files and voice. */
export async function toEvidenceStep(page: Page, url: string, what: string): Promise<void> {
  await page.goto(`${url}/#/melden`);
  await page.check('#category-0');
  await page.check('#channel-0');
  await page.check('#track-0');
  await page.click('report-wizard form button[type=submit]');
  await page.fill('#what', what);
  await page.click('report-wizard form button[type=submit]');
}

/** Waits until every file sent after a message is stored: each row of the upload list says so. */
export async function filesStored(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('.upload-list li')];
      return rows.length > 0 && rows.every((li) => li.classList.contains('done'));
    },
    null,
    { timeout, polling: 100 },
  );
}

/** `contents` (TypeScript importing the project's modules from its root) as one script for a page. */
export async function bundleForPage(contents: string): Promise<string> {
  const bundle = await build({
    stdin: { contents, resolveDir: resolve(import.meta.dirname, '../..'), loader: 'ts' },
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    logLevel: 'error',
  });
  return bundle.outputFiles[0]!.text;
}
