/**
 * `npm run build:web && npx tsx test/bench/web.bench.ts`: the web app's weight before openpgp.js
 * loads (gzip), the protocol chunk's size, and the time from "send" to the receipt for a 10 KB
 * report in Chromium on the local stack (click to the first frame showing the code, measured in
 * the page), median of 10 (BENCH_RUNS), split into key generation,
 * encryption, proof of work and upload (network plus the server's checks and write).
 * The proof of work runs at the production default difficulty (16) unless BENCH_POW says otherwise;
 * BENCH_JITLESS=1 runs Chromium with --js-flags=--jitless (Tor Browser's "Safer" level).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../support/browser.ts';
import { startStack } from '../support/stack.ts';

const dist = resolve(import.meta.dirname, '../../web/dist');
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const raw = (file: string) => readFileSync(join(dist, file)).length;
const assets = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`);
const lazy = assets.filter((f) => f.includes('/protocol-'));
// The first page is what index.html loads (its script, style sheet and module preloads); the other
// chunks (wizard, follow-up, English, voice) come when they are needed, or after the first paint.
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = ['index.html', ...assets.filter((f) => html.includes(`/${f}`))];
const later = assets.filter((f) => !initial.includes(f) && !lazy.includes(f));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const sum = (files: string[], size: (f: string) => number) => files.reduce((n, f) => n + size(f), 0);
console.log(`initial page (HTML + JS + CSS): ${kb(sum(initial, gz))} gzip, ${kb(sum(initial, raw))} raw  (${initial.join(', ')})`);
console.log(`protocol chunk (openpgp.js, zod, shared client): ${kb(sum(lazy, gz))} gzip, ${kb(sum(lazy, raw))} raw`);
console.log(`other chunks, loaded when needed: ${kb(sum(later, gz))} gzip  (${later.map((f) => f.replace(/^assets\//, '')).join(', ')})`);

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const POW = Number(process.env.BENCH_POW ?? 16);
const stack = await startStack({ powDifficulty: POW });
const JITLESS = process.env.BENCH_JITLESS === '1';
const browser = await launchChromium({ jitless: JITLESS });
type Timings = Record<'keys' | 'encrypt' | 'pow' | 'upload', number>;
const runs: Array<Timings & { total: number }> = [];
try {
  const page = await browser.newPage();
  const report = 'Een verslag van tien kilobyte. '.repeat(345).slice(0, 10_000);
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank'); // a fresh document each run, as a new visitor
    await page.goto(`${stack.url}/#/melden`);
    await page.waitForSelector('#category-0');
    await page.check('#category-0');
    await page.check('#channel-0');
    await page.check('#track-0');
    await page.click('report-wizard form button[type=submit]');
    await page.fill('#what', report);
    for (let step = 0; step < 3; step++) await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('dl.review');
    const done = page.evaluate(
      () => new Promise<Timings>((ok) => document.addEventListener('submitted', (e) => ok((e as CustomEvent).detail.timings), { once: true })),
    );
    // Measured in the page, from the click to the first frame that shows the code: Playwright's own
    // polling for the selector adds a few hundred milliseconds that no reporter waits for.
    const shown = page.evaluate(
      () =>
        new Promise<number>((ok) => {
          let clicked = 0;
          document.addEventListener('click', () => (clicked ||= performance.now()), { capture: true, once: true });
          const observer = new MutationObserver(() => {
            if (!document.querySelector('code-receipt .code')) return;
            observer.disconnect();
            requestAnimationFrame(() => ok(performance.now() - clicked));
          });
          observer.observe(document, { subtree: true, childList: true });
        }),
    );
    await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('code-receipt .code', { timeout: 120_000 });
    runs.push({ ...(await done), total: await shown });
    // Leave as a reporter would: the receipt holds the page until the code is confirmed as saved.
    await page.check('#saved');
    await page.click('code-receipt button.primary');
  }
} finally {
  await browser.close();
  await stack.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The nearest-rank 95th percentile. */
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1]!;
console.log(`\nsend → receipt, 10 KB report, proof of work at difficulty ${POW}${JITLESS ? ', --jitless' : ''}, median of ${RUNS} (ms):`);
for (const k of ['total', 'keys', 'encrypt', 'pow', 'upload'] as const) {
  const xs = runs.map((r) => r[k]);
  console.log(`  ${k.padEnd(8)} ${median(xs).toFixed(0).padStart(6)}   (p95 ${p95(xs).toFixed(0)}, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`);
}
