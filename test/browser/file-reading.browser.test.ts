/**
 * The page reads an evidence file as one byte stream (shared/client/files.ts `chunksOf`). In
 * Chromium a Blob's byte stream that only its reader refers to can be collected mid-read, and the
 * read then never ends: the upload stalled at 62.9 of 100 MB when the page collected garbage often.
 * Here every read runs under a garbage collection every 50 ms and must end with the right bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForPage, CHROMIUM_ARGS } from '../support/browser.ts';

const work = mkdtempSync(join(tmpdir(), 'meldpunt-file-reading-'));
let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The tree hash (shared/protocol/tree-hash.ts) computed here, apart from the page's code. */
function treeHash(data: Buffer): string {
  const digests = [];
  for (let at = 0; at < data.length; at += 1 << 20) digests.push(createHash('sha256').update(data.subarray(at, at + (1 << 20))).digest());
  return createHash('sha256').update(Buffer.concat(digests)).digest('hex');
}

describe('reading a file in the page', () => {
  it('ends with every byte, also while garbage is collected all the time', async () => {
    const data = randomBytes(48 * 1_000_000 + 123);
    const path = join(work, 'bewijs.bin');
    writeFileSync(path, data);
    const bundle = await bundleForPage(`import { chunksOf } from './shared/client/files.ts'; import { TreeHash } from './shared/protocol/tree-hash.ts';
          globalThis.readAll = async (file) => { const tree = new TreeHash(); let chunks = 0; for await (const c of chunksOf(file, 1 << 20)) { tree.update(c); chunks++; } return { chunks, bytes: tree.bytes, tree: await tree.hex() }; };`);
    const page = await browser.newPage();
    // A page of its own on a secure origin (127.0.0.1), served by the test: nothing else runs in it.
    await page.route('http://127.0.0.1:9/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><input type="file" id="f">' }));
    await page.goto('http://127.0.0.1:9/');
    await page.evaluate(bundle);
    await page.setInputFiles('#f', path);
    const results = await page.evaluate(async () => {
      const file = (document.getElementById('f') as HTMLInputElement).files![0]!;
      const collect = setInterval(() => (globalThis as unknown as { gc(): void }).gc(), 50);
      const out = [];
      for (let i = 0; i < 6; i++) {
        const read = (globalThis as unknown as { readAll(f: File): Promise<object> }).readAll(file);
        out.push(await Promise.race([read, new Promise((ok) => setTimeout(() => ok('stalled'), 20_000))]));
      }
      clearInterval(collect);
      return out;
    });
    const expected = { chunks: Math.ceil(data.length / (1 << 20)), bytes: data.length, tree: treeHash(data) };
    expect(results).toEqual(Array(6).fill(expected));
  }, 240_000);
});
