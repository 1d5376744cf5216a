/**
 * Notices on the hour (functions/services/notices.ts): nothing a reporter does mails at that moment;
 * the hourly job mails each channel with something unannounced once, then not again until the
 * reporter adds something; a failed mail leaves it for the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, postMessage } from '../shared/client/reporter.ts';
import { publicChannels } from '../shared/config/schema.ts';
import { NOTICES } from '../functions/mail/mailer.ts';
import { runNotices } from '../functions/services/notices.ts';
import { officerCli } from './support/officer-cli.ts';
import { fileReport } from './support/reports.ts';
import { startStack, type TestStack } from './support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const mailSince = async (before: number) => (await stack.sentMail()).slice(before).map((m) => [m.destination.to, m.body.text]);

describe('notices on the hour', () => {
  it('mail each channel once for what reporters sent since the last run, and only for that', async () => {
    const [first, second] = stack.config.channels;
    const emails = (c: typeof first) => c!.recipients.map((r) => r.email);
    const before = (await stack.sentMail()).length;
    const a = await fileReport(stack, 'Eerste melding.', { channel: first!.id });
    await fileReport(stack, 'Tweede melding.', { channel: first!.id });
    await fileReport(stack, 'Derde melding.', { channel: second!.id });
    expect(await mailSince(before)).toEqual([]);

    expect((await stack.local.runNotices()).mailed.sort()).toEqual([first!.id, second!.id].sort());
    expect(await mailSince(before)).toEqual([
      [emails(first), NOTICES.waiting.text],
      [emails(second), NOTICES.waiting.text],
    ]);
    // Nothing new: no mail.
    expect(await stack.local.runNotices()).toEqual({ mailed: [], failed: [] });

    // The officer's reply is not the reporter's: no notice for it. The reporter's answer is.
    const officer = officerCli(stack, stack.officer);
    await officer('reply', a.caseId, '--message', 'Kunt u meer vertellen?');
    expect(await stack.local.runNotices()).toEqual({ mailed: [], failed: [] });
    const opened = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code: a.code });
    await postMessage(opened.session, 'Ja, het ging om de kascommissie.');
    const afterAnswer = (await stack.sentMail()).length;
    expect(await stack.local.runNotices()).toEqual({ mailed: [first!.id], failed: [] });
    expect(await mailSince(afterAnswer)).toEqual([[emails(first), NOTICES.waiting.text]]);
  });

  it('leave a channel unannounced when its mail fails, and announce it on the next run', async () => {
    const channel = stack.config.channels[0]!;
    await fileReport(stack, 'Melding terwijl de mail stoorde.', { channel: channel.id });
    const down = { ...stack.local.deps, mailer: { send: () => Promise.reject(new Error('SES is down')) } };
    expect(await runNotices(down)).toEqual({ mailed: [], failed: [channel.id] });
    const before = (await stack.sentMail()).length;
    expect(await stack.local.runNotices()).toEqual({ mailed: [channel.id], failed: [] });
    expect(await mailSince(before)).toHaveLength(1);
  });
});
