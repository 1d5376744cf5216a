/**
 * `npm run bench:files`: evidence files on the local stack.
 * - In Chromium: encryption plus upload of a 50 MB file through the web app (streamed into 8 MB
 *   parts), beside raw WebCrypto AES-GCM encryption of 50 MB in the same page, the limit of what
 *   the page could do; MB/s for both and their ratio (goal: at least 0.5).
 * - The peak JS heap the page holds (after GC) during a 100 MB and a 200 MB upload: the same for
 *   both if the file is never held whole.
 * - The upload path's own ceiling: plain bytes PUT from the same page.
 * - The officer tool's download-decrypt-verify of that 100 MB file in MB/s, beside `gpg --decrypt`.
 * Last line: `files ratio: X.XX`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, toEvidenceStep } from '../support/browser.ts';
import { gnupgFor } from '../support/gnupg.ts';
import { officerCli } from '../support/officer-cli.ts';
import { startStack } from '../support/stack.ts';
import { parseCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';

const MB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-bench-files-'));
const stack = await startStack({ powDifficulty: 8 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
const mbps = (bytes: number, ms: number) => bytes / MB / (ms / 1000);

/** Through the wizard with one file; returns the case id and the times the page saw. */
async function upload(page: Page, file: string, size: number, options: { measureHeap?: boolean } = {}) {
  await page.goto('about:blank');
  await toEvidenceStep(page, stack.url, 'Benchmark met een groot bestand.');
  await page.setInputFiles('#attachments', file);
  for (let i = 0; i < 2; i++) await page.click('report-wizard form button[type=submit]');
  await page.waitForSelector('dl.review');
  // Watch the page: when encryption and upload start, when they end, and the largest JS heap meanwhile.
  // (A string, not a function: tsx would add helpers the page does not have.)
  // The heap is read after a forced garbage collection (what is still held, not garbage not yet
  // collected), only in the run that measures it: collecting slows the page down.
  await page.evaluate(`(() => {
    const w = window;
    w.bench = { uploadStart: 0, end: 0, peak: 0 };
    let seen = false;
    const timer = setInterval(() => {
      if (${options.measureHeap ? 'true' : 'false'}) {
        gc();
        w.bench.peak = Math.max(w.bench.peak, performance.memory.usedJSHeapSize);
      }
      const text = document.querySelector('.uploads')?.textContent ?? '';
      if (text) seen = true;
      if (!w.bench.uploadStart && /versturen|sending/.test(text)) w.bench.uploadStart = performance.now();
      if (seen && !text && !w.bench.end) {
        w.bench.end = performance.now();
        clearInterval(timer);
      }
    }, ${options.measureHeap ? 200 : 50});
  })()`);
  await page.click('report-wizard form button[type=submit]');
  await page.waitForFunction(() => (window as unknown as { bench: { end: number } }).bench.end > 0, null, { timeout: 600_000, polling: 100 });
  const times = await page.evaluate(() => (window as unknown as { bench: { uploadStart: number; end: number; peak: number } }).bench);
  const code = parseCode((await page.textContent('code-receipt .code .visually-hidden'))!.trim());
  if (code.kind !== 'ok') throw new Error('no code on the receipt');
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code.code)).accessKey);
  // Leave as a reporter would: the receipt holds the page until the code is confirmed as saved.
  await page.check('#saved');
  await page.click('code-receipt button.primary');
  return { caseId, uploadMs: times.end - times.uploadStart, peak: times.peak, size };
}

try {
  const page = await browser.newPage();
  await page.goto(stack.url);
  const rawMs = await page.evaluate(async (bytes) => {
    const data = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const start = performance.now();
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) }, key, data);
    return performance.now() - start;
  }, 50 * MB);

  // The page's own upload ceiling: 48 MB of plain bytes PUT to part URLs (no hashing, no encryption).
  const store = stack.local.deps.objects;
  const key = 'files/ABCDEFGHJKMNPQRS/bench-ceiling-AAAAAAAA';
  const ceilingUrls = await store.partUrls(key, await store.createUpload(key), 6, 600);
  const ceilingMs = (await page.evaluate(`(async () => {
    const body = new Blob([new Uint8Array(8 * 1024 * 1024)]);
    const start = performance.now();
    for (const url of ${JSON.stringify(ceilingUrls)}) await (await fetch(url, { method: 'PUT', body })).text();
    return performance.now() - start;
  })()`)) as number;

  const file50 = join(work, 'bewijs-50.bin');
  writeFileSync(file50, randomBytes(50 * MB));
  const fifty = await upload(page, file50, 50 * MB);

  const file100 = join(work, 'bewijs-100.bin');
  writeFileSync(file100, randomBytes(100 * MB));
  const hundred = await upload(page, file100, 100 * MB, { measureHeap: true });
  const file200 = join(work, 'bewijs-200.bin');
  writeFileSync(file200, randomBytes(200 * MB));
  const twoHundred = await upload(page, file200, 200 * MB, { measureHeap: true });

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

  const page50 = mbps(fifty.size, fifty.uploadMs);
  const raw50 = mbps(50 * MB, rawMs);
  console.log(`50 MB, encrypt + upload in Chromium (8 MB parts): ${(fifty.uploadMs / 1000).toFixed(2)} s = ${page50.toFixed(1)} MB/s`);
  console.log(`50 MB, raw WebCrypto AES-GCM in the same page:    ${(rawMs / 1000).toFixed(2)} s = ${raw50.toFixed(1)} MB/s`);
  console.log(`48 MB plain PUT from the same page (the upload path's ceiling): ${mbps(48 * MB, ceilingMs).toFixed(1)} MB/s`);
  console.log(`peak JS heap held (after GC) during a 100 MB upload: ${(hundred.peak / MB).toFixed(1)} MB; during a 200 MB upload: ${(twoHundred.peak / MB).toFixed(1)} MB`);
  console.log(`officer tool, download + decrypt + verify 100 MB: ${(toolMs / 1000).toFixed(2)} s = ${mbps(100 * MB, toolMs).toFixed(1)} MB/s`);
  console.log(`gpg --decrypt of the same 100 MB file:            ${(gpgMs / 1000).toFixed(2)} s = ${mbps(100 * MB, gpgMs).toFixed(1)} MB/s`);
  console.log(`files ratio: ${(page50 / raw50).toFixed(2)}`);
} finally {
  await browser.close();
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
