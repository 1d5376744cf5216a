/**
 * Attack: markup in what the other side wrote. A reporter writes HTML into every free field of a
 * report, a later message and a file's name; the officer writes it into a reply. The desk shows the
 * reporter's words and the follow-up page the officer's as text: each screen shows the markup
 * literally and builds no element from it (the strict CSP would stop a script, but not a form, a
 * link or an image that leaks a read).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, openCase } from '../../shared/client/reporter.ts';
import { formatCode } from '../../shared/protocol/code.ts';
import { publicChannelsSchema } from '../../shared/config/schema.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestDesk, type TestDesk } from '../support/desk.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

/** Markup that, built into the page, would leave an element marked `data-pwned`. */
const markup = (where: string) =>
  `${where}: <b data-pwned>vet</b><img data-pwned src="/x.png"><a data-pwned href="https://evil.example/">klik</a><form data-pwned action="https://evil.example/"><input name="q"></form><script data-pwned>document.title='pwned'</script>"><svg data-pwned onload="document.title='pwned'">`;

let stack: TestStack;
let browser: Browser;
let desk: TestDesk;
let caseId: string;
let code: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  const filed = await fileReport(
    stack,
    markup('what'),
    {
      answers: { what: markup('what'), when: markup('when'), where: { level: 'afdeling', detail: markup('where') }, who: markup('who'), witnesses: markup('witnesses'), evidence: markup('evidence'), hopes: markup('hopes') },
      contact: markup('contact'),
      meetingTimes: markup('times'),
      conversation: 'phone',
    },
    [{ blob: new Blob(['bijlage']), name: '"><img data-pwned src=x>.pdf', type: 'application/pdf' }],
  );
  caseId = filed.caseId;
  code = formatCode(filed.code);
  const channels = publicChannelsSchema.parse(await (await fetch(`${stack.url}/channels.json`)).json());
  const opened = await openCase({ api: { base: stack.url }, channels, code: filed.code });
  await postMessage(opened.session, markup('message'));
  await officerCli(stack, stack.officer)('reply', caseId, '--message', markup('reply'));
  desk = await startTestDesk(stack, stack.officer);
}, 120_000);
afterAll(async () => {
  await desk?.close();
  await browser?.close();
  await stack?.stop();
});

async function noMarkupBuilt(page: Page, container: string, expected: string[]) {
  expect(await page.locator('[data-pwned]').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
  const text = (await page.textContent(container)) ?? '';
  for (const field of expected) expect(text, field).toContain(markup(field));
}

describe('markup written by the other side', () => {
  it('is shown as text on the desk: report, message and file name', async () => {
    const page = await browser.newPage();
    await page.goto(desk.url);
    await page.waitForSelector('table.cases tbody tr');
    expect(await page.locator('[data-pwned]').count()).toBe(0);
    await page.click('table.cases tbody a');
    await page.waitForSelector('desk-case-view h1');
    await page.waitForFunction(() => (document.querySelector('desk-case-view')?.textContent ?? '').includes('message: <b'), undefined, { timeout: 30_000 });
    await noMarkupBuilt(page, 'desk-case-view', ['what', 'when', 'where', 'who', 'witnesses', 'evidence', 'hopes', 'contact', 'times', 'message', 'reply']);
    expect(await page.textContent('desk-case-view')).toContain('"><img data-pwned src=x>.pdf');
    await page.close();
  });

  it('is shown as text on the reporter\'s follow-up page: the officer\'s reply', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/#/terugkomen`);
    await page.fill('#code', code);
    await page.click('follow-up form button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('follow-up')?.textContent ?? '').includes('reply: <b'), undefined, { timeout: 30_000 });
    await noMarkupBuilt(page, 'follow-up', ['reply', 'message']);
    await page.close();
  });
});
