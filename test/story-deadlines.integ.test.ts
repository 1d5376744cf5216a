/**
 * The Wbk clock as the officer lives it, on the local stack with a moved clock: a report filed just
 * before summer time starts, the reminder mail two days before the acknowledgement is due (not
 * three), OVERDUE in the case table the day after, the feedback clock from a late acknowledgement,
 * and a clock that stops when feedback is given. The daily job also forgets old request nonces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { openCase, submitReport } from '../shared/client/reporter.ts';
import { NOTICES } from '../functions/mail/mailer.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';
import type { CaseSummary } from '../shared/schemas/officer-api.ts';

const DAY = 24 * 60 * 60 * 1000;
// Wednesday 25 March 2026, 11:00 in Amsterdam (CET); summer time starts on Sunday the 29th.
const start = Date.parse('2026-03-25T10:00:00Z');
let now = start;
const clock = () => new Date(now);
const at = (days: number, hourUtc = 10) => (now = start + days * DAY + (hourUtc - 10) * 60 * 60 * 1000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ clock: { now: clock } });
});
afterAll(() => stack?.stop());

describe('the Wbk clock', () => {
  it('reminds before a deadline, marks it overdue after, and stops when feedback is given', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const officer = officerCli(stack, stack.officer, clock);
    const officerEmail = stack.config.channels[0]!.recipients[0]!.email;
    const reminders = async () => (await stack.sentMail()).filter((m) => m.subject === NOTICES.deadlines.subject && m.destination.to.includes(officerEmail)).length;
    const list = async () => JSON.parse(await officer('cases', '--json')) as CaseSummary[];

    const { code, receipt } = await submitReport({ api, channels, report: sampleReport('Iets wat niet deugt.') });
    expect(receipt).toMatchObject({ status: 'received', receivedOn: '2026-03-25', acknowledgeBy: '2026-04-01' });
    expect(receipt.proof.statement).toContain('ontvangen op / received on: 2026-03-25');
    const [summary] = await list();
    expect(summary).toMatchObject({ receivedOn: '2026-03-25', acknowledgeBy: '2026-04-01', nextDeadline: '2026-04-01', overdue: false, awaitingYou: true });
    const caseId = summary!.caseId;

    // Three days ahead: no reminder yet. Two days ahead (30 March, after the clocks went forward): one.
    at(4);
    expect((await stack.local.runDaily()).reminded).toEqual([]);
    expect(await reminders()).toBe(0);
    at(5);
    expect((await stack.local.runDaily()).reminded).toEqual(['integriteit']);
    expect(await reminders()).toBe(1);
    expect(await officer('cases')).toMatch(/2026-04-01 acknowledge \(in 2 days\)/);

    // The deadline day itself is on time, until midnight in Amsterdam (22:00 UTC in summer).
    at(7, 21);
    expect((await list())[0]!.overdue).toBe(false);
    at(7, 22);
    const late = await officer('cases');
    expect(late).toMatch(new RegExp(`${caseId} .*2026-04-01 acknowledge \\(1 day late\\) .*OVERDUE`));
    expect(late).toContain('1 case(s) OVERDUE');
    expect((await stack.local.runDaily()).reminded).toEqual(['integriteit']);
    expect(await reminders()).toBe(2);

    // A late acknowledgement still starts the 3 months from the day it was given, by the calendar.
    at(8);
    expect(await officer('ack', caseId.slice(0, 5))).toContain('Feedback is due by 2026-07-02');
    const acknowledged = (await list())[0]!;
    expect(acknowledged).toMatchObject({ acknowledgedOn: '2026-04-02', feedbackBy: '2026-07-02', nextDeadline: '2026-07-02', overdue: false });
    const seen = await openCase({ api, channels, code });
    expect(seen.view.deadlines).toEqual({ acknowledgeBy: '2026-04-01', feedbackBy: '2026-07-02' });
    expect(seen.view.acknowledgedOn).toBe('2026-04-02');

    at(96); // 29 June: feedback due in 3 days
    expect((await stack.local.runDaily()).reminded).toEqual([]);
    at(97); // 30 June: in 2 days
    expect((await stack.local.runDaily()).reminded).toEqual(['integriteit']);
    expect(await officer('show', caseId)).toContain('Wbk clock: feedback due by 2026-07-02 (in 2 days)');

    // Feedback given: the clock stops; nothing is overdue or reminded any more.
    await officer('status', caseId, 'feedback-given', '--message', 'Wij hebben de penningmeester gesproken; de regels zijn aangescherpt.');
    at(130);
    expect((await stack.local.runDaily()).reminded).toEqual([]);
    expect((await list())[0]).toMatchObject({ status: 'feedback-given', nextDeadline: null, overdue: false });
    expect(await officer('show', caseId)).toContain('Wbk clock: stopped: feedback was given');
    const mails = await reminders();
    expect(mails).toBe(3);
  });

  it('forgets request nonces once their window has passed', async () => {
    const officer = officerCli(stack, stack.officer, clock);
    await officer('cases');
    const nonces = await stack.local.deps.cases.sweepNonces(Math.floor(now / 1000));
    expect(nonces).toBe(0); // all still inside their window
    now += 11 * 60 * 1000;
    expect((await stack.local.runDaily()).noncesSwept).toBeGreaterThan(0);
    expect(await stack.local.deps.cases.sweepNonces(Math.floor(now / 1000))).toBe(0);
  });
});
