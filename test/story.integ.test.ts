/**
 * The whole story on the local stack: report → officer mailed → ack → reply → reporter reads it
 * verified → reporter answers → escalation to CLB with consent and without → CLB sees contact details
 * only with consent → close with outcome → reporter reads the outcome → the retention sweep deletes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../shared/client/reporter.ts';
import { NOTICES } from '../functions/mail/mailer.ts';
import { addDays, dayOf, feedbackBy } from '../shared/wbk/deadlines.ts';
import { startStack, type SentMail, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';

let stack: TestStack;
// One clock for the stack and the officer tool: signed requests must be fresh by the server's time.
let now = Date.now();
const clock = () => new Date(now);
beforeAll(async () => {
  stack = await startStack({ clock: { now: clock } });
});
afterAll(() => stack?.stop());

const caseIdIn = (listing: string, after: string[]) =>
  listing.split('\n').map((l) => l.split(/\s+/)[0]!).find((id) => /^[0-9A-Z]{16}$/.test(id) && !after.includes(id))!;
// The row after its case id: an id is random base32 and may itself spell NEW or OVERDUE.
const rowOf = (listing: string, caseId: string) =>
  listing.split('\n').find((l) => l.startsWith(caseId))?.slice(caseId.length) ?? '';

/** Mail must say only that something is waiting: none of the case's words, no case id. */
function expectContentFree(mail: SentMail[], secrets: string[]) {
  const text = JSON.stringify(mail.map((m) => [m.subject, m.body]));
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/[0-9A-Z]{16}/);
}

describe('the whole story', () => {
  it('runs from report to deletion', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const officer = officerCli(stack, stack.officer, clock);
    const clb = officerCli(stack, stack.clb, clock);
    const officerEmail = stack.config.channels[0]!.recipients[0]!.email;
    const clbEmail = stack.config.escalation[0]!.email;
    const secrets = ['wethouder', 'zwager', '06-1111', 'raadslid', 'geheim@example.org', 'zwembad'];

    // 1. Two reports: one consents to sharing with CLB, one does not.
    const mailBefore = (await stack.sentMail()).length;
    const withConsent = await submitReport({
      api,
      channels,
      report: { ...sampleReport('De wethouder liet zijn zwager de opdracht winnen.'), contact: 'Bel me: 06-11112222', consent: { clb: 'conversation' } },
    });
    const consentCase = caseIdIn(await officer('cases'), []);
    const withoutConsent = await submitReport({
      api,
      channels,
      report: { ...sampleReport('Het raadslid intimideert medewerkers.'), contact: 'mail: geheim@example.org', consent: { clb: 'without-contact' } },
    });
    const listing = await officer('cases');
    const noConsentCase = caseIdIn(listing, [consentCase]);
    expect(rowOf(listing, noConsentCase)).toMatch(/received .* acknowledge \(in 7 days\) +1 +NEW/);

    // 2. Nothing is mailed when a report comes in; the hourly notice mails the officer once for
    // both, with nothing of the reports in it.
    expect((await stack.sentMail()).slice(mailBefore)).toEqual([]);
    expect(await stack.local.runNotices()).toEqual({ mailed: ['integriteit'], failed: [] });
    const mail = (await stack.sentMail()).slice(mailBefore);
    expect(mail.map((m) => [m.destination.to, m.subject, m.body.text])).toEqual([[[officerEmail], NOTICES.waiting.subject, NOTICES.waiting.text]]);
    expectContentFree(mail, secrets);

    // 3. Acknowledge and reply; the reporter reads both, verified.
    const due = feedbackBy(dayOf(clock()));
    expect(await officer('ack', consentCase)).toContain(`Feedback is due by ${due}`);
    await officer('reply', consentCase, '--message', 'Welke opdracht bedoelt u precies?');
    let seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.view.status).toBe('acknowledged');
    expect(seen.view.deadlines.feedbackBy).toBe(due);
    const [, ackEntry, replyEntry] = seen.thread;
    expect(ackEntry).toMatchObject({ payload: { kind: 'acknowledgement' }, signature: { status: 'verified', name: stack.officer.name } });
    expect(replyEntry).toMatchObject({ payload: { text: 'Welke opdracht bedoelt u precies?' }, signature: { status: 'verified' } });
    expect(rowOf(await officer('cases'), consentCase)).not.toContain('NEW');

    // 4. The reporter answers; the officer sees it waiting and reads it, verified against the key inside the report.
    await postMessage(seen.session, 'De opdracht voor het nieuwe zwembad.');
    expect(rowOf(await officer('cases'), consentCase)).toMatch(/acknowledged .* feedback .* 4 +NEW/);
    const shown = await officer('show', consentCase.slice(0, 6));
    expect(shown).toContain('De opdracht voor het nieuwe zwembad.');
    expect(shown.match(/VERIFIED: signed by melder/g)?.length).toBe(2);
    expect(shown).toContain('CONTACT DETAILS: Bel me: 06-11112222');
    expect(shown).toContain('CONSENT (CLB), in the report: conversation');
    expect(shown).toContain(`Wbk clock: feedback due by ${due}`);

    // 5. Escalate both. CLB sees contact details only where the reporter consented.
    expect(await officer('escalate', consentCase, '--to', 'clb', '--note', 'Betreft een wethouder')).toContain('contact details included');
    expect(await officer('escalate', noConsentCase, '--to', 'clb')).toContain('contact details left out');
    const clbList = await clb('cases');
    expect(rowOf(clbList, consentCase)).toMatch(/NEW escalated:clb/);
    expect(rowOf(clbList, noConsentCase)).toMatch(/NEW escalated:clb/);
    const clbConsent = await clb('show', consentCase);
    expect(clbConsent).toContain('Contact details: Bel me: 06-11112222');
    expect(clbConsent).toContain('De opdracht voor het nieuwe zwembad.');
    expect(clbConsent).toContain('VERIFIED: signed by ' + stack.officer.name);
    const clbNoConsent = await clb('show', noConsentCase);
    expect(clbNoConsent).toContain('Het raadslid intimideert medewerkers.');
    expect(clbNoConsent).not.toContain('geheim@example.org');
    expect(clbNoConsent).toContain('Contact details: (not shared: no consent)');
    expect(clbNoConsent).toContain('CONTACT DETAILS: (not shared with you: the reporter did not consent)');
    const mailToClb = (await stack.sentMail()).filter((m) => m.destination.to.includes(clbEmail));
    expect(mailToClb.map((m) => m.body.text)).toEqual([NOTICES.escalation.text, NOTICES.escalation.text]);
    expectContentFree(mailToClb, secrets);

    // With consent CLB joined the conversation, and the reporter sees it by name; without, it did not.
    seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.recipients.map((r) => r.name)).toContain(stack.clb.name);
    expect(seen.recipients.every((r) => r.trusted)).toBe(true);
    const other = await openCase({ api, channels, code: withoutConsent.code });
    expect(other.recipients.map((r) => r.name)).not.toContain(stack.clb.name);

    // The reporter writes to everyone now on the case; CLB verifies it against the reporter key the
    // officer's signed escalation names, and answers the reporter, who sees CLB's answer verified.
    await postMessage(seen.session, 'Ik wil CLB graag spreken.');
    const clbJoined = await clb('show', consentCase);
    expect(clbJoined).toMatch(/reporter · VERIFIED: signed by melder \(reporter\)\n {2}reporter-message: Ik wil CLB graag spreken\./);
    await clb('reply', consentCase, '--message', 'U hoort binnen een week van CLB.');
    seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.thread.at(-1)).toMatchObject({ payload: { kind: 'reply', text: 'U hoort binnen een week van CLB.' }, signature: { status: 'verified', name: stack.clb.name } });
    expect(await officer('show', consentCase)).toContain('U hoort binnen een week van CLB.');
    // Without consent CLB is no reader of the conversation, and the tool says what it can do instead.
    await expect(clb('reply', noConsentCase, '--message', 'hallo')).rejects.toThrow(/did not consent to CLB joining.*note/s);
    await expect(clb('close', consentCase, '--outcome', 'x')).rejects.toThrow(/Only the case's own officers/);

    // CLB answers the officer on the escalation thread; the reporter never sees that thread.
    await clb('note', noConsentCase, '--message', 'Wij nemen contact op met de burgemeester.');
    expect(rowOf(await officer('cases'), noConsentCase)).toContain('NEW');
    expect(await officer('show', noConsentCase)).toMatch(/\[escalation thread\] clb · VERIFIED: signed by .*\n {2}note: Wij nemen contact op met de burgemeester\./);
    const otherAgain = await openCase({ api, channels, code: withoutConsent.code });
    expect(otherAgain.thread).toHaveLength(1);
    expect(otherAgain.view.messages).toHaveLength(1);

    // 6. Close with an outcome; the reporter reads it, verified, and can add nothing more.
    await officer('status', consentCase, 'in-progress');
    await officer('close', consentCase, '--outcome', 'De opdracht is opnieuw aanbesteed.');
    seen = await openCase({ api, channels, code: withConsent.code });
    expect(seen.view.status).toBe('closed');
    expect(seen.thread.at(-1)).toMatchObject({ payload: { kind: 'outcome', text: 'De opdracht is opnieuw aanbesteed.' }, signature: { status: 'verified', name: stack.officer.name } });
    await expect(postMessage(seen.session, 'nog iets')).rejects.toMatchObject({ code: 'case-closed' });
    await expect(officer('reply', consentCase, '--message', 'nog iets')).rejects.toThrow(/is closed/);
    // The reporter is told when the case will be deleted; a closed case waits for nobody, not even after a late note.
    expect(seen.view.deleteAfter).toBe(addDays(dayOf(clock()), stack.config.retentionDays));
    await clb('note', consentCase, '--message', 'Nog een laatste opmerking.');
    expect(rowOf(await officer('cases'), consentCase)).toMatch(/closed/);
    expect(rowOf(await officer('cases'), consentCase)).not.toContain('NEW');

    // 7. Retention: kept until the period has passed, then the daily job deletes it. The other case,
    // never acknowledged, is long overdue by then: its officer gets the fixed reminder.
    const day = 24 * 60 * 60 * 1000;
    now += stack.config.retentionDays * day;
    expect((await stack.local.runDaily()).deleted).toBe(0);
    expect(await stack.local.deps.cases.get(consentCase)).not.toBeNull();
    now += 2 * day;
    const mailBeforeSweep = (await stack.sentMail()).length;
    const swept = await stack.local.runDaily();
    expect(swept.deleted).toBe(1);
    expect(swept.reminded).toEqual(['integriteit']);
    const reminders = (await stack.sentMail()).slice(mailBeforeSweep);
    expect(reminders.map((m) => [m.destination.to, m.subject, m.body.text])).toEqual([[[officerEmail], NOTICES.deadlines.subject, NOTICES.deadlines.text]]);
    expectContentFree(reminders, secrets);
    await expect(openCase({ api, channels, code: withConsent.code })).rejects.toMatchObject({ code: 'not-found' });
    expect(await stack.local.deps.cases.get(consentCase)).toBeNull();
    expect(await stack.local.deps.cases.messages(consentCase)).toEqual([]);
    const after = await officer('cases');
    expect(after).not.toContain(consentCase);
    expect(rowOf(after, noConsentCase)).toMatch(/days late\) .*OVERDUE/);
    expect(await clb('cases')).not.toContain(consentCase);
  });
});
