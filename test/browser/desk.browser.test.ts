/**
 * The officer's desk in real Chromium against the local stack: every view axe-clean in Dutch and
 * English, the list and search, a reply written with the keyboard only, and the whole story
 * (acknowledge, reply, escalate within consent, close, export) checked afterwards with the tool.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingFile, ReportInput } from '../../shared/client/reporter.ts';
import { formatCode } from '../../shared/protocol/code.ts';
import { checkStep, launchChromium, smallTargets, tabTo } from '../support/browser.ts';
import { startTestDesk, type TestDesk } from '../support/desk.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let browser: Browser;
let desk: TestDesk;
let withConsent: string;
let withoutConsent: string;
const codes: string[] = [];

async function file(what: string, over: Partial<ReportInput> = {}, files: OutgoingFile[] = []) {
  const { code, caseId } = await fileReport(stack, what, over, files);
  codes.push(formatCode(code));
  return caseId;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  desk = await startTestDesk(stack, stack.officer);
  withConsent = await file('De penningmeester betaalt facturen aan zijn zwager.', { consent: { clb: 'conversation' }, contact: 'Bel 06-12345678 na zes uur' });
  withoutConsent = await file('Een bestuurder intimideert vrijwilligers op de afdelingsavond.');
});
afterAll(async () => {
  await desk?.close();
  await browser?.close();
  await stack?.stop();
});

/** The result of the last action: it stays on screen above the actions, and has focus. */
async function status(page: Page, expected: RegExp) {
  await page.waitForFunction(
    (re) => new RegExp(re).test(document.querySelector('.action-result')?.textContent ?? '') && document.activeElement === document.querySelector('.action-result'),
    expected.source,
    { timeout: 30_000 },
  );
}

describe('the officer desk in Chromium', () => {
  it('shows every view axe-clean in Dutch and English, lists with titles, searches, and locks', async () => {
    const page = await browser.newPage();
    await page.goto(desk.url);
    for (const lang of ['nl', 'en'] as const) {
      await page.waitForSelector('table.cases tbody tr');
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.locator('table.cases tbody tr').count()).toBe(2);
      expect(await page.textContent('table.cases')).toContain('De penningmeester betaalt facturen aan zijn zwager.');
      await checkStep(page, 'desk-list', { lang, shots: true });

      await page.fill('#q', 'zwager');
      await page.press('#q', 'Enter');
      await page.waitForFunction(() => document.querySelectorAll('table.cases tbody tr').length === 1);
      await page.click('table.cases tbody a');
      await page.waitForSelector('desk-case-view h1');
      expect(await page.textContent('desk-case-view')).toContain('06-12345678');
      expect(await page.textContent('verified-badge')).toMatch(lang === 'nl' ? /ECHT: ondertekend door/ : /VERIFIED: signed by/);
      await checkStep(page, 'desk-case', { lang, shots: true });

      await page.goto(`${desk.url}#/report`);
      await page.waitForSelector('table.report');
      await checkStep(page, 'desk-report', { lang, shots: true });

      await page.click('button.lock');
      await page.waitForSelector('#passphrase');
      expect(await page.textContent('main')).not.toContain('zwager');
      await checkStep(page, 'desk-locked', { lang, shots: true });
      await page.fill('#passphrase', 'not the passphrase');
      await page.press('#passphrase', 'Enter');
      await page.waitForSelector('#passphrase-error');
      await page.fill('#passphrase', stack.officer.passphrase);
      await page.press('#passphrase', 'Enter');
      await page.goto(`${desk.url}#/`);
      if (lang === 'nl') await page.click('button.lang');
    }
    await page.close();
  });

  it('moves focus to each new view\'s heading, names the view in the title, and keeps every target at least 24×24 px', async () => {
    const page = await browser.newPage();
    const small = () => smallTargets(page);
    await page.goto(desk.url);
    await page.waitForSelector('table.cases tbody tr');
    expect(await page.title()).toBe('Meldingen – Meldpunt – bureau');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await small()).toEqual([]);

    // Opened with the keyboard: focus on the case's heading, the title names the case.
    await tabTo(page, `a[href="#/case/${withoutConsent}"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.matches('desk-case-view h1') ?? false, null, { timeout: 30_000 });
    expect(await page.title()).toBe(`Zaak ${withoutConsent.slice(0, 8)} – Meldpunt – bureau`);
    await page.click('#action-reply summary');
    expect(await small()).toEqual([]);

    await page.goto(`${desk.url}#/report`);
    await page.waitForSelector('table.report');
    expect(await page.title()).toBe('Jaarverslag en register – Meldpunt – bureau');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Jaarverslag');
    expect(await small()).toEqual([]);
    await page.close();
  });

  it('does the whole story: acknowledge, a reply by keyboard only, escalate within consent, close, export', async () => {
    const page = await browser.newPage();
    await page.goto(`${desk.url}#/case/${withConsent}`);
    await page.waitForSelector('#action-ack summary');
    await page.click('#action-ack summary');
    await page.click('#action-ack button[type=submit]');
    await status(page, /^De ontvangst is bevestigd\. De melder ziet uw bevestiging met de code\.$/);
    // Acknowledging is no longer to do: its form goes once the case is read again, its result stays, with focus.
    await page.waitForFunction(() => !document.querySelector('#action-ack'), null, { timeout: 30_000 });
    await status(page, /^De ontvangst is bevestigd\./);

    // The reply, with the keyboard only.
    await page.focus('desk-case-view h1');
    await tabTo(page, '#action-reply summary');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply-text');
    await page.keyboard.type('Dank u. Mogen wij de facturen inzien?');
    await tabTo(page, '#action-reply button[type=submit]');
    await page.keyboard.press('Enter');
    await status(page, /^Uw antwoord is verstuurd\./);
    expect(await page.inputValue('#reply-text')).toBe(''); // sent is sent: not twice

    await page.click('#action-escalate summary');
    await page.fill('#escalate-note', 'Graag uw oordeel.');
    await page.click('#action-escalate button[type=submit]');
    await status(page, /voorgelegd aan het CLB/);

    await page.click('#action-close summary');
    await page.selectOption('#close-result', 'founded');
    await page.fill('#close-text', 'Wij hebben het onderzocht: de melding is gegrond.');
    await page.click('#action-close button[type=submit]');
    await status(page, /De zaak is afgesloten/);
    await page.waitForFunction(() => !document.querySelector('#action-reply'));

    await page.click('#action-export summary');
    await page.fill('#export-folder', 'register/zaak-a');
    await page.click('#action-export button[type=submit]');
    await status(page, new RegExp(`^Geëxporteerd naar .*register/zaak-a$`));
    expect(existsSync(join(desk.folder, 'register/zaak-a', `${withConsent}-summary.md`))).toBe(true);

    // The tool reads what the desk sent as signed by the officer; CLB has the case.
    const shown = await officerCli(stack, stack.officer)('show', withConsent);
    expect(shown).toMatch(/officer · VERIFIED: signed by .*\n\s+reply: Dank u\. Mogen wij de facturen inzien\?/);
    expect(shown).toContain('outcome (founded): Wij hebben het onderzocht');
    expect(shown).toMatch(/\[escalation thread\] officer · VERIFIED/);
    expect(await officerCli(stack, stack.clb)('cases')).toContain(withConsent);

    // The reporter reads the reply and the outcome, with its conclusion, on the follow-up page.
    await page.goto(`${stack.url}/#/terugkomen`);
    await page.fill('#code', codes[0]!);
    await page.click('follow-up form button[type=submit]');
    await page.waitForSelector('.result', { timeout: 30_000 });
    expect(await page.textContent('.result')).toBe('Conclusie: gegrond');
    expect(await page.textContent('follow-up')).toContain('Dank u. Mogen wij de facturen inzien?');
    await page.close();
  });

  it('shows an image from memory, and offers other files only to save', async () => {
    // A 1×1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    const caseId = await file('Met een foto en een pdf.', {}, [
      { blob: new Blob([png]), name: 'foto.png', type: 'image/png' },
      { blob: new Blob(['%PDF-1.4 test']), name: 'stuk.pdf', type: 'application/pdf' },
    ]);
    const page = await browser.newPage();
    await page.goto(`${desk.url}#/case/${caseId}`);
    await page.waitForSelector('button.show-file');
    expect(await page.locator('button.show-file').count()).toBe(1); // the PDF is not shown, only saved
    expect(await page.textContent('desk-message')).toContain('Dit soort bestand toont het bureau niet: sla het op en open het');
    expect(await page.locator('a.save-file').count()).toBe(2); // every file has its own save
    await page.click('button.show-file');
    await page.waitForSelector('img.preview');
    expect(await page.getAttribute('img.preview', 'src')).toMatch(/^blob:/);
    expect(await page.evaluate('document.querySelector("img.preview").decode().then(() => document.querySelector("img.preview").naturalWidth)')).toBe(1);
    await checkStep(page, 'desk-files', { lang: 'nl' });
    // The desk serves the PDF to no page, whatever its address.
    const pdf = (await (await fetch(`${desk.url}api/cases/${caseId}`, { headers: { origin: desk.origin } })).json()) as { files: Array<{ id: string; name: string }> };
    const pdfId = pdf.files.find((f) => f.name === 'stuk.pdf')!.id;
    expect((await fetch(`${desk.url}api/cases/${caseId}/file/${pdfId}`)).status).toBe(400);
    await page.close();
  });

  it('offers no escalation where the reporter did not consent, only asking for it', async () => {
    const page = await browser.newPage();
    await page.goto(`${desk.url}#/case/${withoutConsent}`);
    await page.waitForSelector('#action-ask-consent');
    expect(await page.locator('#action-escalate').count()).toBe(0);
    expect(await page.textContent('desk-case-view')).toContain('Alleen de functionarissen van dit kanaal; niets naar het CLB.');
    // A refusal, in the desk's own words.
    await page.click('#action-reply summary');
    await page.click('#action-reply button[type=submit]');
    await status(page, /^Dat lukte niet: Schrijf eerst een tekst\.$/);
    await page.close();
  });
});
