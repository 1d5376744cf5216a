/**
 * The web app's other promises, in real headless Chromium against the local stack: security
 * headers, openpgp.js only after first paint, nothing survives a reload, keyboard-only completion,
 * the quick exit and the history, 320 px, a code that finds nothing, and a server that lists a
 * reader the page does not know.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitReport, type OutgoingFile } from '../../shared/client/reporter.ts';
import { publicChannelsSchema } from '../../shared/config/schema.ts';
import { formatCode, generateCode } from '../../shared/protocol/code.ts';
import { axeViolations, launchChromium, tabTo } from '../support/browser.ts';
import { fileReport, sampleReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Files a report, lets the officer do something with it, and opens it with its code on the follow-up page. */
async function openAfter(what: string, officerDoes: (officer: ReturnType<typeof officerCli>, caseId: string) => Promise<unknown>, files: OutgoingFile[] = []) {
  const { code, caseId } = await fileReport(stack, what, {}, files);
  const officer = officerCli(stack, stack.officer);
  await officerDoes(officer, caseId);
  const page = await browser.newPage();
  await page.goto(`${stack.url}/#/terugkomen`);
  await page.fill('#code', formatCode(code));
  await page.click('follow-up form button[type=submit]');
  return { page, officer, caseId };
}

const next = (page: Page) => page.click('report-wizard form button[type=submit]');

/** The shortest way through the wizard to the receipt. */
async function quickReport(page: Page) {
  await page.goto(`${stack.url}/#/melden`);
  await page.waitForSelector('#category-0');
  await page.check('#category-0');
  await page.check('#channel-0');
  await page.check('#track-0');
  await next(page);
  await page.fill('#what', 'Kort verslag.');
  for (let step = 0; step < 4; step++) await next(page);
  await page.waitForSelector('code-receipt .code', { timeout: 30_000 });
}

/** A case made outside the page, with the shared client, and its code as printed. */
async function caseOutsideThePage(): Promise<string> {
  const channels = publicChannelsSchema.parse(await (await fetch(`${stack.url}/channels.json`)).json());
  const { code } = await submitReport({ api: { base: stack.url }, channels, report: sampleReport('Iets voor de test.') });
  return formatCode(code);
}

describe('the reporter web app in Chromium', () => {
  it('sends the production security headers and loads openpgp.js only after first paint', async () => {
    const page = await browser.newPage();
    const response = await page.goto(stack.url);
    const headers = response!.headers();
    const csp = headers['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    // Nothing in the HTML names the protocol chunk: no modulepreload pulls it in early.
    expect(await response!.text()).not.toContain('protocol-');
    const chunk = () => performance.getEntriesByType('resource').find((e) => e.name.includes('/assets/protocol-'));
    await page.waitForFunction(chunk);
    const timing = await page.evaluate(
      (find) => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        chunk: (new Function(`return (${find})()`)() as PerformanceEntry).startTime,
      }),
      chunk.toString(),
    );
    expect(timing.paint).not.toBeNull();
    expect(timing.paint!).toBeLessThan(timing.chunk);
    await page.close();
  });

  it('gives every control a target of at least 44×44 px on a phone (390×844, touch)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const tooSmall = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('button, a.button, header a, select, input[type=text], textarea, .choice label, label.file-button')]
          .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
          .map((el) => ({ what: `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}"`, ...el.getBoundingClientRect().toJSON() }))
          .filter((r) => r.width < 44 || r.height < 44)
          .map((r) => `${r.what}: ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
    await page.goto(stack.url);
    await page.waitForSelector('start-page h1');
    expect(await tooSmall(), 'start page').toEqual([]);
    await page.click('a[href="#/melden"]');
    await page.check('#category-0');
    expect(await tooSmall(), 'step 1').toEqual([]);
    // The five step numbers on one line, and a heading the page focuses gets no box.
    expect(new Set(await page.$$eval('.steps .number', (els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))).size).toBe(1);
    await next(page);
    await page.waitForFunction(() => document.activeElement?.tagName === 'H2');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('none');
    await page.click('report-wizard button:not(.primary)'); // back to step 1, to go on as a reporter would
    await next(page);
    await page.fill('#what', 'Op een telefoon.');
    await next(page);
    await page.setInputFiles('#attachments', { name: 'foto.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10) });
    await page.waitForSelector('.chosen-files li');
    expect(await tooSmall(), 'evidence step with a file').toEqual([]);
    // The file control says what it does, not the browser's "No file chosen".
    expect(await page.textContent('label.file-button')).toBe('Nog een bestand kiezen');
    await next(page);
    await next(page);
    await page.waitForSelector('dl.review');
    expect(await tooSmall(), 'review').toEqual([]);
    await page.goto(`${stack.url}/#/terugkomen`);
    await page.waitForSelector('#code');
    expect(await tooSmall(), 'come back').toEqual([]);
    await context.close();
  });

  it('names what came in since the reporter\'s own last message at the top, and goes to it', async () => {
    const { page } = await openAfter('Over de kas.', async (officer, caseId) => {
      await officer('reply', caseId, '--message', 'Dank u. Kunt u zeggen wanneer dit begon?');
      await officer('reply', caseId, '--message', 'En wie er nog meer van weet?');
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector('.new-since', { timeout: 30_000 });
    expect(await page.textContent('.new-since')).toContain('Er zijn 2 nieuwe berichten sinds uw laatste bericht.');
    // At the top of a phone's screen, not at the bottom of a long page.
    expect((await page.locator('.new-since').boundingBox())!.y).toBeLessThan(844);
    await page.click('.new-since button.go-new');
    await page.waitForFunction(() => document.activeElement?.classList.contains('message'));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Kunt u zeggen wanneer dit begon?');
    // Once the reporter answers, nothing is new any more; nothing was kept in the browser to know it.
    await page.fill('#reply', 'Sinds maart.');
    await page.click('follow-up form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 4, null, { timeout: 30_000 });
    expect(await page.locator('.new-since').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('forgets everything typed on reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/#/melden`);
    await page.waitForSelector('#category-0');
    await page.check('#category-0');
    await page.check('#channel-0');
    await page.check('#track-0');
    await next(page);
    await page.fill('#what', 'iets geheims');
    await page.reload();
    await page.waitForSelector('#category-0');
    expect(await page.isChecked('#category-0')).toBe(false);
    expect(await page.content()).not.toContain('iets geheims');

    // Nor when the page comes back from the back/forward cache: it is blanked when left, and
    // reloaded when shown from that cache (events sent by hand: headless Chromium keeps no such cache).
    await page.check('#category-0');
    await page.check('#channel-0');
    await page.check('#track-0');
    await next(page);
    await page.fill('#what', 'iets geheims');
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    expect(await page.evaluate(() => document.body.textContent)).toBe('');
    await Promise.all([page.waitForEvent('load'), page.evaluate(() => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))]);
    await page.waitForSelector('#category-0');
    expect(await page.content()).not.toContain('iets geheims');
    await page.close();
  });

  it('can be completed with the keyboard alone', async () => {
    const page = await browser.newPage();
    await page.goto(stack.url);
    const key = (k: string) => page.keyboard.press(k);
    await tabTo(page, 'a[href="#/melden"]');
    await key('Enter');
    await page.waitForSelector('#category-0');
    await tabTo(page, '#category-0');
    await key('Space');
    await key('ArrowDown'); // a radio group moves, and chooses, with the arrow keys
    // Who receives it and which rules apply are filled in from that choice, and can be changed.
    await tabTo(page, 'input[name=track]:checked');
    await key('Space');
    await tabTo(page, 'report-wizard button[type=submit]');
    await key('Enter');
    await page.waitForSelector('#what');
    await tabTo(page, '#what');
    await page.keyboard.type('Met alleen het toetsenbord gemeld.');
    for (const step of ['#who', '#hopes', 'dl.review']) {
      await tabTo(page, 'report-wizard button[type=submit]');
      await key('Enter');
      await page.waitForSelector(step);
    }
    await tabTo(page, 'report-wizard button[type=submit]');
    await key('Enter');
    await page.waitForSelector('#saved', { timeout: 30_000 });
    await tabTo(page, '#saved');
    await key('Space');
    await tabTo(page, 'code-receipt button.primary');
    await key('Enter');
    await page.waitForFunction(() => location.hash === '#/');
    await page.close();
  });

  it('has a quick exit on every page that leaves for a neutral site, and Meldpunt holds one history entry only', async () => {
    const page = await browser.newPage();
    // The neutral site is answered here: no request leaves this machine.
    await page.route(/^https:\/\/www\.knmi\.nl\//, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weer</title>' }));
    const exitAndGoBack = async (label: string) => {
      const before = await page.evaluate(() => history.length);
      await page.click('button.quick-exit');
      await page.waitForURL(/knmi\.nl/);
      expect(await page.evaluate(() => history.length), label).toBe(before);
      await page.goBack(); // "back" leads past Meldpunt, to the page before it
      expect(page.url(), label).toBe('about:blank');
    };
    for (const hash of ['#/', '#/melden', '#/terugkomen']) {
      await page.goto('about:blank');
      await page.goto(`${stack.url}/${hash}`);
      await page.waitForSelector('main h1');
      await exitAndGoBack(hash);
    }
    // Moving around inside the app adds no history entries either.
    await page.goto('about:blank');
    await page.goto(stack.url);
    await page.click('a[href="#/melden"]');
    await page.waitForSelector('#category-0');
    await page.click('header a[href="#/"]');
    await page.click('a[href="#/terugkomen"]');
    await page.waitForSelector('#code');
    expect(await page.evaluate(() => history.length)).toBe(2);
    await exitAndGoBack('after moving around');
    // And it goes through while the receipt holds the reporter on the page.
    await page.goto('about:blank');
    await quickReport(page);
    await exitAndGoBack('on the receipt');
    await page.close();
  });

  it('works at 320 px without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const hash of ['#/', '#/melden', '#/terugkomen']) {
      await page.goto(`${stack.url}/${hash}`);
      await page.waitForSelector('main h1');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), hash).toBeLessThanOrEqual(320);
    }
    await quickReport(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'receipt').toBeLessThanOrEqual(320);
    await page.close();
  });

  it('says so when a well-formed code finds no report', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/#/terugkomen`);
    await page.fill('#code', formatCode(generateCode()));
    await page.click('follow-up form button[type=submit]');
    await page.waitForSelector('#code-error', { timeout: 30_000 });
    // Well-formed, so no typo: the truth the reporter can act on (deleted after closing, or never made).
    expect(await page.textContent('#code-error')).toContain('geen melding met deze code');
    expect(await page.textContent('#code-error')).toContain('goed overgenomen');
    expect(await page.textContent('#code-error')).toContain('bewaartermijn');
    expect(await page.getAttribute('#code', 'aria-describedby')).toContain('code-error');
    await page.close();
  });

  it('when the readers changed under an open case, reads it again and says so at the reply', async () => {
    const code = await caseOutsideThePage();
    const page = await browser.newPage();
    await page.route('**/api/case/messages', (route) =>
      route.fulfill({ status: 400, json: { error: { code: 'wrong-recipients', message: 'The readers of this case changed.' } } }),
    );
    await page.goto(`${stack.url}/#/terugkomen`);
    await page.fill('#code', code);
    await page.click('follow-up form button[type=submit]');
    await page.waitForSelector('#reply', { timeout: 30_000 });
    let reads = 0;
    page.on('request', (r) => r.url().endsWith('/api/case') && reads++);
    await page.fill('#reply', 'Nog een vraag.');
    await page.click('follow-up form button[type=submit]');
    await page.waitForSelector('#reply-error', { timeout: 30_000 });
    expect(await page.textContent('#reply-error')).toContain('is net veranderd');
    expect(reads).toBe(1);
    expect(await page.inputValue('#reply')).toBe('Nog een vraag.'); // kept, to send again
    await page.close();
  });

  it('shows an officer\'s request for consent, sends the reporter\'s signed answer, and then names CLB as a reader', async () => {
    const voice = { blob: new Blob([new Uint8Array(2_000)]), name: 'spraakbericht-1.wav', type: 'audio/wav' };
    const photo = { blob: new Blob([new Uint8Array(3_000)]), name: 'foto.jpg', type: 'image/jpeg' };
    const { page, officer, caseId } = await openAfter('Over een wethouder.', (officer, caseId) => officer('ask-consent', caseId, '--scope', 'without-contact'), [voice, photo]);
    await page.waitForSelector('.consent.asked', { timeout: 30_000 });
    expect(await page.textContent('.consent')).toContain('Alleen de behandelaar(s) van dit meldpunt');
    // Nothing is chosen for the reporter, not even what was asked for.
    expect(await page.isChecked('#wider-without-contact')).toBe(false);
    expect(await page.isDisabled('.consent button[type=submit]')).toBe(true);
    await page.check('#wider-without-contact');
    await page.click('.consent button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.consent [role=status]')?.textContent?.includes('is verstuurd'), null, { timeout: 30_000 });
    const last = page.locator('.thread .message').last();
    expect(await last.getAttribute('class')).toContain(' verified');
    expect(await last.textContent()).toContain('zonder mijn contactgegevens');
    // The tool trusts the signed answer and escalates within it; the page then names CLB and what it received.
    expect(await officer('escalate', caseId, '--to', 'clb')).toContain('contact details left out');
    await page.click('follow-up button.refresh');
    await page.waitForSelector('.readers li.shared', { timeout: 30_000 });
    expect(await page.textContent('.readers li.shared')).toBe(
      `${stack.clb.name}: kreeg uw melding met de 2 bestanden erbij (ook uw spraakbericht, zoals u het verstuurde), zonder uw contactgegevens, en leest niet mee`,
    );
    await page.close();
  });

  it('lets the reporter answer a request for consent with a signed "no" or "not now", which the officer sees', async () => {
    for (const [button, said, seen] of [
      ['.consent-no', 'Nee: geen toestemming', 'CONSENT REFUSED by the reporter: no to conversation'],
      ['.consent-not-now', 'Nu niet', 'NOT NOW, the reporter answered to conversation'],
    ] as const) {
      const { page, officer, caseId } = await openAfter('Over een penningmeester.', (officer, caseId) => officer('ask-consent', caseId, '--scope', 'conversation'));
      await page.waitForSelector('.consent.asked', { timeout: 30_000 });
      await page.click(`.consent ${button}`);
      await page.waitForFunction(() => document.querySelectorAll('.thread .message').length === 3, null, { timeout: 30_000 });
      expect(await page.textContent('.consent [role=status]')).toContain('de behandelaar ziet het');
      const last = page.locator('.thread .message').last();
      expect(await last.getAttribute('class')).toContain(' verified');
      expect(await last.textContent(), button).toContain(said);
      expect(await page.textContent('.thread')).not.toContain('ER ONTBREEKT');
      // "No" closes the request; "not now" keeps it in view, answered, and more can still be allowed.
      expect(await page.locator('.consent.asked').count()).toBe(0);
      expect(await page.locator('.consent-answered').count()).toBe(button === '.consent-no' ? 0 : 1);
      expect(await page.locator('#wider-conversation').count()).toBe(1);
      expect(await officer('show', caseId)).toContain(seen);
      // Nothing was widened: CLB gets nothing.
      expect(await officer('escalate', caseId, '--to', 'clb').catch((e: Error) => e.message)).toContain('Not escalated');
      await page.close();
    }
  });

  it('shows who would read the case if it moved to another channel, sends the signed yes, and then names the new readers', async () => {
    const { page, officer, caseId } = await openAfter('Past beter bij de vertrouwenspersoon.', (officer, caseId) => officer('ask-move', caseId, '--to', 'vertrouwenspersoon'));
    await page.waitForSelector('.move.asked', { timeout: 30_000 });
    expect(await page.textContent('.move-readers')).toContain(stack.adviser.name);
    expect(await axeViolations(page)).toEqual([]);
    expect(await officer('move', caseId, '--to', 'vertrouwenspersoon').catch((e: Error) => e.message)).toContain('has not agreed');
    await page.click('.move button.agree-move');
    await page.waitForFunction(() => !document.querySelector('.move.asked'), null, { timeout: 30_000 });
    expect(await page.locator('.thread .message').last().getAttribute('class')).toContain(' verified');
    expect(await officer('move', caseId, '--to', 'vertrouwenspersoon')).toContain('Moved case');
    await page.click('follow-up button.refresh');
    await page.waitForFunction((name) => document.querySelector('.readers')?.textContent?.includes(name), stack.adviser.name, { timeout: 30_000 });
    expect(await page.textContent('.readers')).not.toContain(stack.officer.name);
    expect(await page.locator('.channel-moved').count()).toBe(0);
    await page.close();
  });

  it('asks before Back leaves the site with a typed draft, but not through the quick exit', async () => {
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.goto(`${stack.url}/#/melden`);
    await page.waitForSelector('#category-0');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.dismiss();
    });
    // Nothing typed yet: Back leaves without a question.
    await page.goBack();
    expect(dialogs).toEqual([]);
    await page.goForward();
    await page.waitForSelector('#category-0');
    await page.check('#category-0');
    await page.goBack({ timeout: 3_000 }).catch(() => undefined);
    expect(dialogs).toEqual(['beforeunload']);
    expect(page.url()).toContain('#/melden'); // dismissed: still here, draft kept
    expect(await page.isChecked('#category-0')).toBe(true);
    await page.click('button.quick-exit');
    await page.waitForURL((u) => !u.href.startsWith(stack.url), { timeout: 10_000 }).catch(() => undefined);
    expect(dialogs).toEqual(['beforeunload']);
    await page.close();
  });

  it('lets the reporter agree with a record and ask for a meeting, both signed with their own key', async () => {
    const { page, officer, caseId } = await openAfter('Mondeling gemeld.', (officer, caseId) => officer('record', caseId, '--title', 'Verslag van ons gesprek', '--message', 'U vertelde over de kascommissie.'));
    await page.waitForSelector('button.agree', { timeout: 30_000 });
    expect(await page.textContent('.thread')).toContain('Verslag van ons gesprek');
    await page.click('button.agree');
    await page.waitForSelector('.record-state', { timeout: 30_000 });
    expect(await page.textContent('.record-state')).toContain('akkoord');
    await page.check('#meeting-video');
    await page.fill('#meeting-times', 'woensdagmiddag');
    await page.click('button.request-meeting');
    await page.waitForFunction(() => document.querySelector('.thread')?.textContent?.includes('woensdagmiddag'), null, { timeout: 30_000 });
    const shown = await officer('show', caseId);
    expect(shown).toMatch(/Record "Verslag van ons gesprek" \(#\d+\): AGREED/);
    expect(shown).toContain('MEETING REQUESTED (video); proposed times: woensdagmiddag');
    await page.close();
  });

  it('with JavaScript off, shows the start page\'s content in Dutch and English, why sending and coming back need JavaScript, Tor\'s "Safer" level, the paper route and a plain "Snel weg" link', async () => {
    const { nl } = await import('../../web/src/i18n/nl.ts');
    const { en } = await import('../../web/src/i18n/en.ts');
    const { EXIT_URL } = await import('../../web/src/services/navigation.ts');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(stack.url);
    const text = (await page.textContent('body')) ?? '';
    for (const expected of [
      nl.start.heading,
      ...Object.values(nl.start.kinds).map((k) => k.name),
      nl.start.tracks.wbk,
      nl.start.next[0]!,
      nl.start.complaint,
      ...nl.start.routes,
      ...nl.start.safety,
      nl.noscript.why,
      nl.noscript.followUp,
      nl.noscript.paper,
      en.start.heading,
      en.noscript.why,
      en.noscript.followUp,
      ...en.noscript.tor,
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(await page.getAttribute('section.noscript', 'lang')).toBe('en');
    expect(await page.getAttribute('main.noscript', 'lang')).toBe('nl');
    // The advice names "Snel weg": without JavaScript it is a plain link, in both languages.
    expect(await page.locator(`a.quick-exit[href="${EXIT_URL}"]`).count()).toBe(2);
    // The paper route names the address from the site's config, not "the party office".
    expect(text).not.toContain('partijbureau');
    expect(await page.locator('main.noscript a[href="/per-post.txt"]').count()).toBe(1);
    const letter = await (await fetch(`${stack.url}/per-post.txt`)).text();
    for (const line of stack.config.paper!.address) expect(letter).toContain(line);
    expect(letter).toContain(`Telefoon / phone: ${stack.config.paper!.phone}`);
    expect(text).toContain('Veiliger');
    expect(text).toContain('Huis voor Klokkenluiders');
    // Nothing of the app ran: no wizard, no requests beyond the page and its style sheet.
    expect(await page.locator('report-wizard').count()).toBe(0);
    await context.close();
  });

  it('names a reader the server adds that the page does not know, and sends nothing', async () => {
    const code = await caseOutsideThePage();
    const page = await browser.newPage();
    // A compromised server lists one more reader on the case.
    await page.route('**/api/case', async (route) => {
      const response = await route.fetch();
      const view = await response.json();
      view.recipients.push({ role: 'officer', name: 'Mallory', fingerprint: 'ab'.repeat(20) });
      await route.fulfill({ response, json: view });
    });
    await page.goto(`${stack.url}/#/terugkomen`);
    await page.fill('#code', code);
    await page.click('follow-up form button[type=submit]');
    await page.waitForSelector('.thread .message', { timeout: 30_000 });
    expect(await page.textContent('.readers .untrusted')).toContain('Mallory');
    expect(await page.isDisabled('follow-up form button[type=submit]')).toBe(true);
    await page.close();
  });
});
