/**
 * `npm run bench:files`: evidence files on the local stack, as the reporter sees them.
 * - Chromium with its JIT: send → code and send → every file stored, through the web app, for a
 *   50 MB file; beside raw WebCrypto AES-GCM of 50 MB in the same page, the limit of what the page
 *   could do. The files ratio is MB/s send → stored over that limit (goal: at least 0.5).
 * - Chromium `--jitless` (Tor Browser's "Safer" level turns the JIT off): the same, against raw
 *   AES-GCM measured jitless in the same page.
 * - Send → code for 20 MB and 100 MB files in Chromium (JIT and jitless) and Firefox ESR with Tor
 *   Browser's "Safer" preferences.
 * - The peak JS heap the page holds (after GC) during a 100 MB and a 200 MB upload.
 * - The officer tool's download-decrypt-verify of a 100 MB file, beside `gpg --decrypt`.
 * - Where the CPU went from send to stored for the 50 MB file (Linux): the page, the browser's own
 *   processes and this process (the local stack: gate, s3rver, the finish's whole-object check),
 *   beside the wall time and the machine's cores: what bounds the ratio on a small machine.
 * Last line: `files ratio: X.XX`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, toEvidenceStep } from '../support/browser.ts';
import { FIREFOX, launchFirefox, PAGE_CLOCK, TOR_SAFER } from '../support/firefox.ts';
import { gnupgFor } from '../support/gnupg.ts';
import { officerCli } from '../support/officer-cli.ts';
import { startStack } from '../support/stack.ts';
import { parseCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';

const MB = 1_000_000;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-bench-files-'));
const stack = await startStack({ powDifficulty: 8 });
const mbps = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const files = new Map<number, string>();
function fileOf(size: number) {
  if (!files.has(size)) {
    const path = join(work, `bewijs-${size / MB}.bin`);
    writeFileSync(path, randomBytes(size));
    files.set(size, path);
  }
  return files.get(size)!;
}

interface Run {
  caseId: string;
  codeMs: number;
  storedMs: number;
  peak: number;
  /** CPU seconds from send to stored, by process kind (Linux only, else empty). */
  cpu: Cpu;
}

type Cpu = Record<string, number>;

/** CPU seconds used so far: Chromium's processes by kind (from /proc), and this process (the local stack). */
function cpuNow(): Cpu {
  const out: Cpu = {};
  if (!existsSync('/proc/self/stat')) return out;
  const tick = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!command.startsWith('/usr/lib/chromium/') && !command.startsWith('/usr/bin/chromium')) continue;
      const type = /--type=([a-z-]+)/.exec(command)?.[1] ?? 'browser';
      const kind = type === 'renderer' ? 'page' : type === 'browser' ? 'browser' : 'GPU, network and others';
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out[kind] = (out[kind] ?? 0) + (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // The process ended meanwhile.
    }
  }
  const own = process.cpuUsage();
  out['local stack (Node)'] = (own.user + own.system) / 1e6;
  return out;
}

const cpuSince = (before: Cpu): Cpu => Object.fromEntries(Object.entries(cpuNow()).map(([k, v]) => [k, v - (before[k] ?? 0)]));

type Clock = { start: number; code: number; stored: number; peak: number };

/** Through the wizard in Chromium with one file, from "Versturen" to the code and to the file stored. */
async function chromiumRun(browser: Browser, size: number, options: { measureHeap?: boolean } = {}): Promise<Run> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await toEvidenceStep(page, stack.url, 'Benchmark met een groot bestand.');
  await page.setInputFiles('#attachments', fileOf(size));
  for (let i = 0; i < 2; i++) await page.click('report-wizard form button[type=submit]');
  await page.waitForSelector('dl.review');
  await page.evaluate(PAGE_CLOCK);
  // The heap after a forced garbage collection (what is still held), only where measured: collecting slows the page.
  if (options.measureHeap) {
    await page.evaluate(`(() => { window.clock.peak = 0; setInterval(() => { gc(); window.clock.peak = Math.max(window.clock.peak, performance.memory.usedJSHeapSize); }, 200); })()`);
  }
  const before = cpuNow();
  await page.evaluate(() => (window as unknown as { startClock(): void }).startClock());
  await page.click('report-wizard form button[type=submit]');
  await page.waitForFunction(() => (window as unknown as { clock: Clock }).clock.stored > 0, null, { timeout: 900_000, polling: 100 });
  // Before the context closes: its page's process goes with it.
  const cpu = cpuSince(before);
  const clock = await page.evaluate(() => (window as unknown as { clock: Clock }).clock);
  const code = parseCode((await page.textContent('code-receipt .code .visually-hidden'))!.trim());
  if (code.kind !== 'ok') throw new Error('no code on the receipt');
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code.code)).accessKey);
  await context.close();
  return { caseId, codeMs: clock.code - clock.start, storedMs: clock.stored - clock.start, peak: clock.peak ?? 0, cpu };
}

/** The same in Firefox ESR with Tor Browser's Safer preferences (first tab only: see test/support/firefox.ts). */
async function firefoxRun(size: number): Promise<Run> {
  const { browser, page } = await launchFirefox(TOR_SAFER);
  try {
    const click = (selector: string) => page.$eval(selector, (el) => (el as HTMLElement).click());
    await page.goto(`${stack.url}/#/melden`);
    await page.waitForSelector('#category-0');
    for (const choice of ['#category-0', '#channel-0', '#track-0']) await click(choice);
    await click('report-wizard form button[type=submit]');
    await page.waitForSelector('#what');
    await page.type('#what', 'Benchmark met een groot bestand.');
    await click('report-wizard form button[type=submit]');
    const input = await page.waitForSelector('#attachments');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(fileOf(size));
    await page.waitForFunction(() => document.querySelector('file-picker')?.textContent?.includes('bewijs'));
    for (let i = 0; i < 2; i++) await click('report-wizard form button[type=submit]');
    await page.waitForSelector('dl.review');
    await page.evaluate(PAGE_CLOCK);
    await page.evaluate(() => (window as unknown as { startClock(): void }).startClock());
    await click('report-wizard form button[type=submit]');
    await page.waitForFunction(() => (window as unknown as { clock: Clock }).clock.stored > 0, { timeout: 1_800_000, polling: 200 });
    const clock = await page.evaluate(() => (window as unknown as { clock: Clock }).clock);
    return { caseId: '', codeMs: clock.code - clock.start, storedMs: clock.stored - clock.start, peak: 0, cpu: {} };
  } finally {
    await browser.close();
  }
}

/** Raw WebCrypto AES-GCM over 50 MB in a page of the site: the limit of what that page could do. */
async function rawGcm(browser: Browser): Promise<number> {
  const page = await browser.newPage();
  await page.goto(stack.url);
  const ms = await page.evaluate(async (bytes) => {
    const data = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const start = performance.now();
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) }, key, data);
    return performance.now() - start;
  }, 50 * MB);
  await page.close();
  return mbps(50 * MB, ms);
}

const say = (line: string) => console.log(line);
let ratio = 0;
try {
  const jit = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
  const limit = await rawGcm(jit);
  // The 20 MB run first: it also warms the page's code, so the 50 MB run behind the ratio is not a cold start.
  const twenty = await chromiumRun(jit, 20 * MB);
  const fifty = await chromiumRun(jit, 50 * MB);
  const hundred = await chromiumRun(jit, 100 * MB, { measureHeap: true });
  const twoHundred = await chromiumRun(jit, 200 * MB, { measureHeap: true });
  await jit.close();

  const jitless = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--js-flags=--jitless'] });
  const limitJitless = await rawGcm(jitless);
  const twentyJitless = await chromiumRun(jitless, 20 * MB);
  const fiftyJitless = await chromiumRun(jitless, 50 * MB);
  const hundredJitless = await chromiumRun(jitless, 100 * MB);
  await jitless.close();

  const firefox = existsSync(FIREFOX) ? { twenty: await firefoxRun(20 * MB), hundred: await firefoxRun(100 * MB) } : null;

  const officer = officerCli(stack, stack.officer);
  const dir = join(work, 'officer');
  let start = Date.now();
  await officer('files', hundred.caseId, dir);
  const toolMs = Date.now() - start;
  const exportDir = join(work, 'export');
  await officer('export', hundred.caseId, exportDir);
  const gpgFile = join(exportDir, readdirSync(exportDir).find((f) => f.endsWith('.gpg'))!);
  const gpg = gnupgFor(stack.officer, work);
  start = Date.now();
  gpg(['--output', join(work, 'gpg-out'), '--decrypt', gpgFile]);
  const gpgMs = Date.now() - start;

  ratio = mbps(50 * MB, fifty.storedMs) / limit;
  say(`Chromium (JIT), 50 MB file: send → code ${s(fifty.codeMs)}; send → stored ${s(fifty.storedMs)} = ${mbps(50 * MB, fifty.storedMs).toFixed(1)} MB/s`);
  say(`Chromium (JIT), raw WebCrypto AES-GCM of 50 MB in the same page: ${limit.toFixed(1)} MB/s`);
  const cpuTotal = Object.values(fifty.cpu).reduce((a, b) => a + b, 0);
  if (cpuTotal > 0) {
    const parts = Object.entries(fifty.cpu).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ');
    say(`Chromium (JIT), 50 MB file, CPU from send to stored: ${parts}; ${cpuTotal.toFixed(2)} CPU-s in ${s(fifty.storedMs)} on ${availableParallelism()} cores`);
  }
  say(`Chromium --jitless, 50 MB file: send → code ${s(fiftyJitless.codeMs)}; send → stored ${s(fiftyJitless.storedMs)} = ${mbps(50 * MB, fiftyJitless.storedMs).toFixed(1)} MB/s`);
  say(`Chromium --jitless, raw WebCrypto AES-GCM of 50 MB in the same page: ${limitJitless.toFixed(1)} MB/s (jitless ratio ${(mbps(50 * MB, fiftyJitless.storedMs) / limitJitless).toFixed(3)})`);
  say(`send → code, 20 MB / 100 MB: Chromium (JIT) ${s(twenty.codeMs)} / ${s(hundred.codeMs)}; Chromium --jitless ${s(twentyJitless.codeMs)} / ${s(hundredJitless.codeMs)}` +
    (firefox ? `; Firefox ESR Safer ${s(firefox.twenty.codeMs)} / ${s(firefox.hundred.codeMs)}` : '; Firefox ESR: not installed'));
  say(`send → stored, 20 MB / 100 MB: Chromium (JIT) ${s(twenty.storedMs)} / ${s(hundred.storedMs)}; Chromium --jitless ${s(twentyJitless.storedMs)} / ${s(hundredJitless.storedMs)}` +
    (firefox ? `; Firefox ESR Safer ${s(firefox.twenty.storedMs)} / ${s(firefox.hundred.storedMs)}` : ''));
  say(`peak JS heap held (after GC) during a 100 MB upload: ${(hundred.peak / MB).toFixed(1)} MB; during a 200 MB upload: ${(twoHundred.peak / MB).toFixed(1)} MB`);
  say(`officer tool, download + decrypt + verify 100 MB: ${s(toolMs)} = ${mbps(100 * MB, toolMs).toFixed(1)} MB/s`);
  say(`gpg --decrypt of the same 100 MB file:            ${s(gpgMs)} = ${mbps(100 * MB, gpgMs).toFixed(1)} MB/s`);
  say(`files ratio: ${ratio.toFixed(2)}`);
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
