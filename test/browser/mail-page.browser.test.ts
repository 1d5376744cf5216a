/**
 * The local mail page in a real browser: it shows the notices sent, and a page of another site
 * open in the same browser can neither empty its list nor stop the stack. Before, an `<img>` of
 * `/get-emlContent` on any site ended the whole stack, and a form could empty the list.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICES } from '../../functions/mail/mailer.ts';
import { launchChromium } from '../support/browser.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  // Another site: `localhost` is not the mail page's site (127.0.0.1), whatever the port.
  attacker = createServer((_req, res) => {
    const mail = stack.mailUrl;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>elsewhere</title>
      <img src="${mail}/get-emlContent">
      <img src="${mail}/get-emlContent?messageId=x">
      <iframe name="sink"></iframe>
      <form method="post" action="${mail}/clear-store" target="sink"></form>
      <script>
        fetch('${mail}/store').then(() => (document.title = 'read'), () => (document.title = 'not read'));
        setTimeout(() => document.forms[0].submit(), 50);
      </script>`);
  });
  await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', ok));
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => attacker?.close(ok));
  await stack?.stop();
});

describe('the mail page of the local stack', () => {
  it('lists the notices sent, in the browser', async () => {
    await fileReport(stack, 'Voor de lijst met verzonden mail.');
    expect((await stack.local.runNotices()).mailed).toHaveLength(1);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(stack.mailUrl + '/');
    await expect.poll(() => page.textContent('body'), { timeout: 10_000 }).toContain(NOTICES.waiting.subject);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is not emptied, read or stopped by another site open in the same browser', async () => {
    const before = (await stack.sentMail()).length;
    expect(before).toBeGreaterThan(0);
    const page = await browser.newPage();
    await page.goto(attackerUrl);
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('not read');
    // The form went out (its frame shows the refusal), and the images were asked for.
    await expect.poll(() => page.frame('sink')?.textContent('body').catch(() => null), { timeout: 10_000 }).toContain('mail page itself');
    await page.close();
    expect((await stack.sentMail()).length).toBe(before);
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200);
  });
});
