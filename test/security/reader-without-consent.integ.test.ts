/**
 * Attack (a server that forges), in the officer tool: on a case whose reporter gave CLB consent
 * `none`, the server listed a key under the role `clb` (the real CLB key, or another channel's
 * adviser key) with no escalation; `officer reply` encrypted to it, and the page trusted it because
 * the key was published. The tool and the page now send to a CLB reader only if it is a published
 * escalation target and the reporter's signed consent allows it; the page says it is not allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptionKeyId, fingerprintOf, readPublicKey } from '../../shared/protocol/keys.ts';
import { openCase, postMessage } from '../../shared/client/reporter.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack, type Identity } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** The server adds `who`'s key to the case's readers under the role `clb`, as anyone with table access can. */
async function addReader(caseId: string, who: Identity) {
  const found = (await stack.local.deps.cases.get(caseId))!;
  const key = await readPublicKey(who.publicKey);
  const doc = {
    ...found.doc,
    recipients: [...found.doc.recipients, { role: 'clb' as const, name: 'CLB', fingerprint: fingerprintOf(key) }],
    recipientKeyIds: [...found.doc.recipientKeyIds, await encryptionKeyId(key)],
  };
  expect(await stack.local.deps.cases.update(caseId, found.version, doc)).toBe(true);
}

describe('a CLB reader the reporter never allowed', () => {
  for (const [name, who] of [['the real CLB key', () => stack.clb], ['another channel\'s adviser key', () => stack.adviser]] as const) {
    it(`gets nothing from officer reply: ${name}`, async () => {
      const { caseId } = await fileReport(stack, 'Alleen voor de integriteitsfunctionaris.', { consent: { clb: 'none' } });
      await addReader(caseId, who());
      const officer = officerCli(stack, stack.officer);
      await expect(officer('reply', caseId, '--message', 'Dank u.')).rejects.toThrow(/Not sending anything/);
      expect((await stack.local.deps.cases.messages(caseId, 'case')).filter((m) => m.author === 'officer')).toEqual([]);
    });
  }

  it('gets nothing from the reporter\'s page either, which names it as not allowed', async () => {
    const { caseId, code } = await fileReport(stack, 'Alleen voor de integriteitsfunctionaris.', { consent: { clb: 'none' } });
    await addReader(caseId, stack.clb);
    const opened = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code });
    expect(opened.recipients.find((r) => r.role === 'clb')).toMatchObject({ trusted: false, problem: 'no-consent' });
    await expect(postMessage(opened.session, 'Mag CLB dit lezen?')).rejects.toThrow(/nothing was sent/);
    expect(await stack.local.deps.cases.messages(caseId, 'case')).toEqual([]);
  });

  it('is a reader the page accepts once the reporter signed consent for the conversation', async () => {
    const { caseId, code } = await fileReport(stack, 'CLB mag meelezen.', { consent: { clb: 'conversation' } });
    await addReader(caseId, stack.clb);
    const opened = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code });
    expect(opened.recipients.find((r) => r.role === 'clb')).toMatchObject({ trusted: true });
  });
});
