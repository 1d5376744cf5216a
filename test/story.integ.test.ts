/**
 * The whole story on the local stack: report → officer mailed → ack → reply → reporter reads it
 * verified → reporter answers → escalation to CLB with consent and without → CLB sees contact details
 * only with consent → close with outcome → reporter reads the outcome → the retention sweep deletes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../shared/client/reporter.ts';
import type { RetrievalCode } from '../shared/protocol/code.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';
import { dayOf, feedbackBy } from '../shared/wbk/deadlines.ts';

let stack: TestStack;
// Real time: officer requests are signed with the real clock and must be fresh. Moved only at the end.
let now = Date.now();
beforeAll(async () => {
  stack = await startStack({ clock: { now: () => new Date(now) } });
});
afterAll(() => stack?.stop());

const caseIdIn = (listing: string, after: string[]) =>
  listing.split('\n').map((l) => l.split(/\s+/)[0]!).find((id) => /^[0-9A-Z]{16}$/.test(id) && !after.includes(id))!;

describe('the whole story', () => {
  it('runs from report to deletion', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const officer = officerCli(stack, stack.officer);
    const clb = officerCli(stack, stack.clb);

    // 1. Two reports: one consents to sharing with CLB, one does not.
    const mailBefore = (await stack.sentMail()).length;
    const withConsent = await submitReport({
      api,
      channels,
      report: { ...sampleReport('De wethouder liet zijn zwager de opdracht winnen.'), contact: 'Bel me: 06-11112222', consent: { shareWithClb: true } },
    });
    const listing1 = await officer('cases');
    const consentCase = caseIdIn(listing1, []);
    const withoutConsent = await submitReport({
      api,
      channels,
      report: { ...sampleReport('Het raadslid intimideert medewerkers.'), contact: 'mail: geheim@example.org', consent: { shareWithClb: false } },
    });
    const noConsentCase = caseIdIn(await officer('cases'), [consentCase]);

    // 2. The officer was mailed, with nothing of the report in it.
    const mail = (await stack.sentMail()).slice(mailBefore);
    expect(mail.length).toBe(2);
    expect(mail[0]!.destination.to).toEqual([stack.config.channels[0]!.recipients[0]!.email]);
    expect(JSON.stringify(mail.map((m) => [m.subject, m.body]))).not.toMatch(/wethouder|zwager|06-1111|[0-9A-Z]{16}/);

    // 3. Acknowledge and reply; the reporter reads both, verified.
    const due = feedbackBy(dayOf(new Date(now)));
    expect(await officer('ack', consentCase)).toContain(`Feedback is due by ${due}`);
    await officer('reply', consentCase, '--message', 'Welke opdracht bedoelt u precies?');
    let seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.view.status).toBe('acknowledged');
    expect(seen.view.deadlines.feedbackBy).toBe(due);
    const [, ackEntry, replyEntry] = seen.thread;
    expect(ackEntry).toMatchObject({ payload: { kind: 'acknowledgement' }, signature: { status: 'verified', name: stack.officer.name } });
    expect(replyEntry).toMatchObject({ payload: { text: 'Welke opdracht bedoelt u precies?' }, signature: { status: 'verified' } });

    // 4. The reporter answers; the officer reads it, verified against the key inside the report.
    await postMessage(seen.session, 'De opdracht voor het nieuwe zwembad.');
    const shown = await officer('show', consentCase.slice(0, 6));
    expect(shown).toContain('De opdracht voor het nieuwe zwembad.');
    expect(shown.match(/VERIFIED: signed by melder/g)?.length).toBe(2);
    expect(shown).toContain('CONSENT to share with CLB: YES');

    // 5. Escalate both. CLB sees contact details only where the reporter consented.
    expect(await officer('escalate', consentCase, '--to', 'clb', '--note', 'Betreft een wethouder')).toContain('contact details included');
    expect(await officer('escalate', noConsentCase, '--to', 'clb')).toContain('contact details left out');
    const clbList = await clb('cases');
    expect(clbList).toContain(consentCase);
    expect(clbList).toContain(noConsentCase);
    const clbConsent = await clb('show', consentCase);
    expect(clbConsent).toContain('Bel me: 06-11112222');
    expect(clbConsent).toContain('De opdracht voor het nieuwe zwembad.');
    expect(clbConsent).toContain('VERIFIED: signed by ' + stack.officer.name);
    const clbNoConsent = await clb('show', noConsentCase);
    expect(clbNoConsent).toContain('Het raadslid intimideert medewerkers.');
    expect(clbNoConsent).not.toContain('geheim@example.org');
    expect(clbNoConsent).toContain('(not shared: no consent)');
    const mailToClb = (await stack.sentMail()).filter((m) => m.destination.to.includes(stack.config.escalation[0]!.email));
    expect(mailToClb.length).toBe(2);

    // With consent CLB joined the conversation, and the reporter sees it by name; without, it did not.
    seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.recipients.map((r) => r.name)).toContain(stack.clb.name);
    expect(seen.recipients.every((r) => r.trusted)).toBe(true);
    const other = await openCase({ api, channels, code: withoutConsent.code });
    expect(other.recipients.map((r) => r.name)).not.toContain(stack.clb.name);

    // CLB answers the officer on the escalation thread; the reporter never sees that thread.
    await clb('note', consentCase, '--message', 'Wij nemen contact op met de burgemeester.');
    expect(await officer('show', consentCase)).toContain('Wij nemen contact op met de burgemeester.');
    seen = await openCase({ api, channels, code: withConsent.code });
    expect(JSON.stringify(seen.thread.map((e) => e.payload))).not.toContain('burgemeester');

    // 6. Close with an outcome; the reporter reads it, verified, and can add nothing more.
    await officer('status', consentCase, 'in-progress');
    await officer('close', consentCase, '--outcome', 'De opdracht is opnieuw aanbesteed.');
    seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.view.status).toBe('closed');
    expect(seen.thread.at(-1)).toMatchObject({ payload: { kind: 'outcome', text: 'De opdracht is opnieuw aanbesteed.' }, signature: { status: 'verified' } });
    await expect(postMessage(seen.session, 'nog iets')).rejects.toMatchObject({ code: 'case-closed' });

    // 7. Retention: kept until the period has passed, then the daily job deletes it.
    const day = 24 * 60 * 60 * 1000;
    now += stack.config.retentionDays * day;
    expect((await stack.local.runDaily()).deleted).toBe(0);
    now += 2 * day;
    const swept = await stack.local.runDaily();
    expect(swept.deleted).toBe(1);
    expect(swept.reminded).toContain('integriteit'); // the other case is long overdue
    await expect(openCase({ api, channels, code: withConsent.code as RetrievalCode })).rejects.toMatchObject({ code: 'not-found' });
    expect(await stack.local.deps.cases.get(consentCase)).toBeNull();
    expect(await stack.local.deps.cases.get(noConsentCase)).not.toBeNull();
  });
});
