/**
 * `npx tsx test/bench/web.bench.ts`: the web app's weight before openpgp.js loads (gzip), the
 * protocol chunk's size, and the time from "send" to the receipt for a 10 KB report in Chromium on
 * the local stack, median of 10, split into key generation, encryption, proof of work and upload.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../support/browser.ts';
import { startStack } from '../support/stack.ts';

const dist = resolve(import.meta.dirname, '../../web/dist');
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const assets = readdirSync(join(dist, 'assets'));
const protocol = assets.filter((f) => f.startsWith('protocol-'));
const initial = ['index.html', ...assets.filter((f) => !f.startsWith('protocol-')).map((f) => `assets/${f}`)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`initial page (HTML + JS + CSS), gzip: ${kb(initial.reduce((n, f) => n + gz(join(dist, f)), 0))}  (${initial.join(', ')})`);
console.log(`openpgp + protocol chunk, gzip:       ${kb(protocol.reduce((n, f) => n + gz(join(dist, 'assets', f)), 0))}`);

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const stack = await startStack({ powDifficulty: 16 });
const browser = await launchChromium();
type Timings = Record<'keys' | 'encrypt' | 'pow' | 'upload', number>;
const runs: Array<Timings & { total: number }> = [];
try {
  const page = await browser.newPage();
  const report = 'Een verslag van tien kilobyte. '.repeat(345).slice(0, 10_000);
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank'); // a fresh document each run, as a new visitor
    await page.goto(`${stack.url}/#/melden`);
    await page.waitForSelector('#channel-0');
    await page.check('#channel-0');
    await page.check('#category-0');
    await page.check('#track-0');
    await page.click('report-wizard form button[type=submit]');
    await page.fill('#what', report);
    for (let step = 0; step < 3; step++) await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('dl.review');
    const done = page.evaluate(
      () => new Promise<Timings>((ok) => document.addEventListener('submitted', (e) => ok((e as CustomEvent).detail.timings), { once: true })),
    );
    const start = Date.now();
    await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('code-receipt .code', { timeout: 120_000 });
    runs.push({ ...(await done), total: Date.now() - start });
  }
} finally {
  await browser.close();
  await stack.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (k: keyof (typeof runs)[number]) => `${k.padEnd(8)} ${median(runs.map((r) => r[k])).toFixed(0).padStart(6)} ms`;
console.log(`\nsend → receipt, 10 KB report, proof of work at difficulty 16, median of ${RUNS}:`);
for (const k of ['total', 'keys', 'encrypt', 'pow', 'upload'] as const) console.log(`  ${row(k)}`);
