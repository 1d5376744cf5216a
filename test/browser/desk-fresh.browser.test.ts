/**
 * A case open in the desk shows what the server has now: opened or reloaded directly it is read
 * fresh, it says when it was loaded, "Vernieuwen" reads it again, and a reply that comes in while it
 * is open appears by itself.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, postMessage } from '../../shared/client/reporter.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestDesk, type TestDesk } from '../support/desk.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { objectKey } from '../../functions/services/files.ts';
import { BUCKET } from '../../functions/local/s3.ts';

let stack: TestStack;
let desk: TestDesk;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack();
  desk = await startTestDesk(stack, stack.officer);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  await stack?.stop();
});

describe('an open case in the desk', () => {
  it('is read fresh when opened, says when, refreshes on request, and shows a reply that comes in', async () => {
    const { code, caseId } = await fileReport(stack, 'Een zaak om open te houden.');
    const reporter = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code });
    const page = await browser.newPage();
    // Seen once in the list, so the desk holds it.
    await page.goto(desk.url);
    await page.waitForSelector(`a[href="#/case/${caseId}"]`, { timeout: 30_000 });
    await page.goto(`${desk.url}#/case/${caseId}`);
    await page.waitForSelector('desk-message');
    expect(await page.textContent('.loaded')).toMatch(/Bijgewerkt om \d\d:\d\d:\d\d/);
    const count = () => page.locator('desk-message').count();
    expect(await count()).toBe(1);

    // A reply comes in: "Vernieuwen" shows it.
    await postMessage(reporter.session, 'Eerste aanvulling.');
    await page.click('.loaded button.refresh');
    await page.waitForFunction(() => document.querySelectorAll('desk-message').length === 2, null, { timeout: 30_000 });

    // Reloaded directly: read fresh, not the copy the desk held.
    await postMessage(reporter.session, 'Tweede aanvulling.');
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('desk-message').length === 3, null, { timeout: 30_000 });

    // Left open: the next reply appears by itself.
    await postMessage(reporter.session, 'Derde aanvulling.');
    await page.waitForFunction(() => document.querySelectorAll('desk-message').length === 4, null, { timeout: 40_000 });
    expect(await page.textContent('desk-case-view')).toContain('Derde aanvulling.');
    // Printed: the case, without the desk's controls.
    expect(await page.locator('button.print').count()).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('desk-actions')).toBe(false);
    expect(await page.isVisible('header.bar')).toBe(false);
    expect(await page.isVisible('desk-message')).toBe(true);
    await page.close();
  }, 120_000);

  it('saves any single file, checked first, as a download with its own name', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(50_000)]);
    const { caseId } = await fileReport(stack, 'Met een brief.', {}, [{ blob: new Blob([pdf]), name: 'brief.pdf', type: 'application/pdf' }]);
    const page = await browser.newPage();
    await page.goto(`${desk.url}#/case/${caseId}`);
    await page.waitForSelector('desk-message a.save-file', { timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('desk-message a.save-file')]);
    expect(download.suggestedFilename()).toBe('brief.pdf');
    expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);
    await page.close();
  });

  it('saves nothing of a file the server swapped: 400, NOT VERIFIED, no bytes', async () => {
    const { caseId } = await fileReport(stack, 'Twee bestanden.', {}, [
      { blob: new Blob([randomBytes(30_000)]), name: 'a.bin', type: 'application/octet-stream' },
      { blob: new Blob([randomBytes(20_000)]), name: 'b.bin', type: 'application/octet-stream' },
    ]);
    const view = (await (await fetch(`${desk.url}api/cases/${caseId}`)).json()) as { files: Array<{ id: string; name: string }> };
    const [a, b] = ['a.bin', 'b.bin'].map((n) => view.files.find((f) => f.name === n)!.id);
    await stack.local.s3.client.send(new CopyObjectCommand({ Bucket: BUCKET, CopySource: `${BUCKET}/${objectKey(caseId, b!)}`, Key: objectKey(caseId, a!) }));
    const saved = await fetch(`${desk.url}api/cases/${caseId}/save/${a}`);
    expect(saved.status).toBe(400);
    expect(saved.headers.get('content-disposition')).toBeNull();
    expect(((await saved.json()) as { error: string }).error).toMatch(/^NOT VERIFIED/);
    // Without the session secret in the address, nothing at all.
    expect((await fetch(`${desk.origin}/api/cases/${caseId}/save/${b}`)).status).toBe(403);

    // The page checks first: the swapped file is said in words, and nothing is downloaded.
    const page = await browser.newPage();
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.goto(`${desk.url}#/case/${caseId}`);
    await page.waitForSelector('desk-message a.save-file', { timeout: 30_000 });
    await page.locator('desk-message li', { hasText: 'a.bin' }).locator('a.save-file').click();
    await page.waitForSelector('desk-message li strong.bad[role=alert]');
    expect(await page.textContent('desk-message li strong.bad')).toContain('klopt niet met het bericht');
    // A token is for its own file, and for one fetch only.
    const post = (path: string) => fetch(`${desk.url}api/${path}`, { method: 'POST', headers: { origin: desk.origin, 'content-type': 'application/json' }, body: '{}' });
    const { token } = (await (await post(`cases/${caseId}/prepare/${b}`)).json()) as { token: string };
    expect((await fetch(`${desk.url}api/cases/${caseId}/save/${a}?token=${token}`)).status).toBe(400); // not a's token: checked anew, and a fails
    expect((await fetch(`${desk.url}api/cases/${caseId}/save/${b}?token=${token}`)).status).toBe(200);
    expect(downloads).toEqual([]);
    await page.close();
  });
});
