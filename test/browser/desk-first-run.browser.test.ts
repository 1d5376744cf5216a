/**
 * From a first start to a decrypted case without a terminal, as the officer's guide shows it: the
 * setup page (address checked, key chosen), the hand-over sheet, the passphrase at the next start,
 * the list and a case. The guide's screenshots (docs/officier/) are taken here, so they stay true.
 * Focus goes to each step's heading, and refusals stay on screen.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, smallTargets } from '../support/browser.ts';
import { appDesks } from '../support/desk.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'officier');

let stack: TestStack;
let browser: Browser;
const desks = appDesks();
beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desks.closeAll();
  await stack?.stop();
});

const app = desks.start;
const newPage = () => browser.newPage({ viewport: { width: 1000, height: 760 } });
const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true });

describe('the desk’s first run', () => {
  it('goes from setup with an existing key to the list, and the next start asks only for the passphrase', async () => {
    const { caseId } = await fileReport(stack, 'Bij de afdeling worden declaraties dubbel ingediend.');
    const desk = await app();
    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(desk.url);
    await page.waitForSelector('desk-setup h1');
    expect(await page.title()).toBe('Inrichten – Meldpunt-bureau');
    expect(await focused(page)).toBe('Het bureau inrichten');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, '1-adres.png');

    // A wrong address: said on the page, beside the field, and the field keeps focus.
    await page.fill('#address', 'http://127.0.0.1:9');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#setup-error');
    expect(await page.textContent('#setup-error')).toContain('Op dit adres antwoordt niets');

    await page.fill('#address', stack.url);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#key-step');
    expect(await focused(page)).toBe('Stap 2 van 2: uw kanaal en uw sleutel');
    expect(await page.textContent('desk-setup')).toContain(`Gevonden: het meldpunt van ${stack.config.organisation}`);
    await page.check('input[name="mode"][value="existing"]');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'meldpunt-key-')), 'officier.private.asc');
    writeFileSync(keyFile, stack.officer.privateKey);
    await page.setInputFiles('#key-file', keyFile);
    await page.fill('#key-passphrase', 'niet goed genoeg');
    await page.click('desk-setup button[type="submit"]');
    await page.waitForSelector('#setup-error');
    expect(await page.textContent('#setup-error')).toBe('Deze wachtwoordzin opent deze sleutel niet.');
    await page.fill('#key-passphrase', stack.officer.passphrase);
    expect(await axeViolations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await shot(page, '2-sleutel.png');
    await page.click('desk-setup button[type="submit"]');

    await page.waitForSelector('desk-handover h1');
    expect(await page.title()).toBe('Overdrachtsblad – Meldpunt-bureau');
    expect(await focused(page)).toBe('Overdrachtsblad');
    const sheet = await page.textContent('desk-handover');
    expect(sheet).toContain('Uw sleutel staat in het meldpunt.');
    expect(sheet).toContain(stack.config.organisation);
    expect(sheet).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(sheet).not.toContain('PRIVATE KEY');
    expect(await axeViolations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('desk-handover button')).toBe(false);
    expect(await page.isVisible('.fingerprint')).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await shot(page, '3-overdrachtsblad.png');
    await page.click('desk-handover button.primary');
    await page.waitForSelector(`a[href="#/case/${caseId}"]`, { timeout: 30_000 });
    await page.close();
    await desk.close();

    // The next start: straight to the passphrase.
    const again = await app(desk.folder);
    const next = await newPage();
    await next.goto(again.url);
    await next.waitForSelector('desk-unlock #passphrase');
    await next.fill('#passphrase', stack.officer.passphrase);
    await shot(next, '4-wachtwoord.png');
    await next.keyboard.press('Enter');
    await next.waitForSelector(`a[href="#/case/${caseId}"]`, { timeout: 30_000 });
    await shot(next, '5-meldingen.png');
    await next.click(`a[href="#/case/${caseId}"]`);
    await next.waitForSelector('desk-message');
    expect(await next.textContent('desk-case-view')).toContain('declaraties dubbel');
    await shot(next, '6-melding.png');
    await next.close();
    // The refusals above are 400s the page words itself; nothing else (no favicon 403).
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  }, 120_000);

  it('makes a new key: a weak passphrase is flagged and refused; the sheet says the site does not list it yet', async () => {
    const desk = await app();
    const page = await newPage();
    await page.goto(desk.url);
    await page.fill('#address', stack.url);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#key-step');
    await page.fill('#name', 'Vertrouwenspersoon');
    await page.fill('#passphrase', 'Welkom2026!!');
    expect(await page.textContent('#passphrase-strength')).toContain('Zwak');
    await page.fill('#repeat', 'Welkom2026!!');
    await page.click('desk-setup button[type="submit"]');
    await page.waitForSelector('#setup-error');
    expect(await page.textContent('#setup-error')).toContain('te zwak');
    await page.fill('#passphrase', 'paraplu fiets zeventig oranje');
    expect(await page.textContent('#passphrase-strength')).toBe('Sterk.');
    await page.fill('#repeat', 'paraplu fiets zeventig oranje');
    await page.click('desk-setup button[type="submit"]');
    await page.waitForSelector('desk-handover h1', { timeout: 30_000 });
    expect(await page.textContent('desk-handover')).toContain('nog niet in het meldpunt gezet');
    expect(await page.textContent('desk-handover')).toContain('Vertrouwenspersoon');
    // Reloaded: still the sheet (the site does not list the key), not an empty list.
    await page.reload();
    await page.waitForSelector('desk-handover h1');
    await page.close();
  }, 120_000);
});
