/**
 * Evidence files in real Chromium: a phone photo with GPS and a PDF with an author go through the
 * wizard and reach the officer without that metadata (exiftool); the reporter decrypts a file on
 * the follow-up page, sees it VERIFIED, and sees a file the server swapped as NOT VERIFIED; every
 * request stays on the page's own origin and carries no plaintext.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { parseCode } from '../../shared/protocol/code.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { objectKey } from '../../functions/services/files.ts';
import { BUCKET } from '../../functions/local/s3.ts';
import { captureRequests, launchChromium, toEvidenceStep, filesStored } from '../support/browser.ts';
import { exiftool, identifyingTags, pdfWithAuthor, photoWithGps } from '../support/evidence.ts';
import { officerCli } from '../support/officer-cli.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-files-browser-'));
beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('evidence files in the browser', () => {
  it('arrive without metadata, decrypt on the follow-up page, and a swapped one is NOT VERIFIED', async () => {
    const photo = photoWithGps(work);
    const pdf = pdfWithAuthor(work);
    const page = await browser.newPage();
    const requests = captureRequests(page);
    await toEvidenceStep(page, stack.url, 'Zie de foto en de brief.');
    await page.setInputFiles('#attachments', [photo, pdf]);
    await page.waitForSelector('.chosen-files li:nth-child(2)');
    // Both kinds can be cleaned: each offers the choice to keep metadata, off by default.
    expect(await page.isChecked('#attachments-keep-0')).toBe(false);
    expect(await page.isChecked('#attachments-keep-1')).toBe(false);
    for (let i = 0; i < 3; i++) await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('code-receipt .code', { timeout: 60_000 });
    await filesStored(page);
    expect(await page.locator('.files-failed').count()).toBe(0);
    const code = (await page.textContent('code-receipt .code .visually-hidden'))!.trim();
    const parsed = parseCode(code);
    if (parsed.kind !== 'ok') throw new Error('no code');
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(parsed.code)).accessKey);

    // The officer's copies: no GPS, camera, serial, author or producer left.
    const dir = join(work, 'officer');
    expect(await officerCli(stack, stack.officer)('files', caseId, dir)).toContain('2 of 2 file(s) saved');
    const saved = readdirSync(dir);
    for (const file of saved) expect(identifyingTags(exiftool(join(dir, file))), file).toEqual([]);
    expect(exiftool(join(dir, saved.find((f) => f.endsWith('photo.jpg'))!))['File:ImageWidth']).toBe(64);
    expect(identifyingTags(exiftool(photo)).length).toBeGreaterThan(4); // the originals had it all

    // Nothing but the page's own origin, and no file content in clear on the wire.
    expect(requests.every((r) => r.url.startsWith(stack.url))).toBe(true);
    expect(requests.some((r) => r.method === 'PUT' && r.url.includes('/files/'))).toBe(true);
    const wire = requests.map((r) => r.url + r.body).join('\n');
    expect(wire).not.toContain('Jan Jansen');
    expect(wire).not.toContain('photo.jpg');

    // The reporter opens the photo on the follow-up page: decrypted here, checked, offered to save.
    const { files } = JSON.parse(await officerCli(stack, stack.officer)('show', caseId, '--json')).entries[0].payload as { files: Array<{ id: string; name: string }> };
    const photoId = files.find((f) => f.name === 'photo.jpg')!.id;
    const pdfId = files.find((f) => f.name === 'brief.pdf')!.id;
    await page.check('#saved');
    await page.click('code-receipt button.primary');
    await page.waitForFunction(() => location.hash === '#/');
    await page.click('a[href="#/terugkomen"]');
    await page.fill('#code', code);
    await page.click('follow-up form button[type=submit]');
    await page.waitForSelector('.message-files', { timeout: 30_000 });
    await page.click('.message-files li:nth-child(1) button.open-file');
    await page.waitForSelector('.message-files li:nth-child(1) a[download]', { timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.message-files li:nth-child(1) a[download]')]);
    expect(identifyingTags(exiftool((await download.path())!))).toEqual([]);
    expect(readFileSync((await download.path())!).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // The server swaps the PDF for the photo: it decrypts, but is not the file the signed message names.
    await stack.local.s3.client.send(new CopyObjectCommand({ Bucket: BUCKET, CopySource: `${BUCKET}/${objectKey(caseId, photoId)}`, Key: objectKey(caseId, pdfId) }));
    await page.click('.message-files li:nth-child(2) button.open-file');
    await page.waitForSelector('.message-files li:nth-child(2) strong.bad', { timeout: 30_000 });
    expect(await page.textContent('.message-files li:nth-child(2)')).toContain('NIET GEVERIFIEERD');
    expect(await page.locator('.message-files li:nth-child(2) a[download]').count()).toBe(0);
    await page.close();
  });

  it('"Klaar" while a file is still being sent keeps the page, says why, and goes once the file is stored', async () => {
    const big = join(work, 'groot.bin');
    writeFileSync(big, randomBytes(20_000_000));
    const page = await browser.newPage();
    // A slow line: each part waits before it goes.
    await page.route('**/files/**', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await toEvidenceStep(page, stack.url, 'Een groot bestand.');
    await page.setInputFiles('#attachments', big);
    for (let i = 0; i < 3; i++) await page.click('report-wizard form button[type=submit]');
    await page.waitForSelector('code-receipt .code', { timeout: 60_000 });
    expect(await page.locator('.upload-list li.done').count()).toBe(0);
    await page.check('#saved');
    await page.click('code-receipt button.primary');
    await page.waitForSelector('.wait-for-files');
    expect(await page.textContent('.wait-for-files')).toContain('uw bestanden worden nog verstuurd');
    expect(await page.evaluate(() => location.hash)).toBe('#/melden');
    await page.waitForFunction(() => location.hash === '#/', null, { timeout: 120_000 });
    await page.close();
  });
});
