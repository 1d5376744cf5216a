/**
 * Attack (a server that forges): the server inserted an unsigned "reporter" message ("I withdraw;
 * the culprit is actually Y"). `show` marked it NOT VERIFIED, but `escalate --to clb` included it,
 * and CLB's `show` printed it inside a VERIFIED escalation signed by the integrity officer,
 * labelled "melder (reporter)". Escalate now passes on only verified messages, takes each author
 * from its signature, and names what it left out; asked for a forged message by number, it refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { generateReporterKey, readPublicKey } from '../../shared/protocol/keys.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const FORGED = 'Ik trek mijn melding in; de schuldige is eigenlijk Y.';

/** The server's forgery: a "reporter" message to exactly the case's readers, signed by a key of its own. */
async function forge(caseId: string) {
  const { doc } = (await stack.local.deps.cases.get(caseId))!;
  const readers = [await readPublicKey(doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
  const forger = await generateReporterKey('x');
  const message = await sealPayload({ payload: { v: 1, kind: 'reporter-message', text: FORGED }, signingKey: forger.unlocked, encryptionKeys: readers });
  return stack.local.deps.cases.appendMessage(caseId, { author: 'reporter', day: doc.receivedOn, message, thread: 'case' });
}

describe('escalating a case the server added a forged message to', () => {
  it('passes on only what verifies, says what it left out, and CLB never sees the forgery', async () => {
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({ api: { base: stack.url }, channels, report: { ...sampleReport('De penningmeester sjoemelt.'), consent: { clb: 'conversation' } } });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
    await postMessage((await openCase({ api: { base: stack.url }, channels, code })).session, 'Echte aanvulling van de melder.');
    const forged = await forge(caseId);
    const officer = officerCli(stack, stack.officer);
    expect(await officer('show', caseId)).toContain(FORGED);

    await expect(officer('escalate', caseId, '--to', 'clb', '--messages', `0,${forged.id}`)).rejects.toThrow(new RegExp(`#${forged.id} is NOT VERIFIED.*Nothing was sent`));
    const done = await officer('escalate', caseId, '--to', 'clb');
    expect(done).toContain(`Left out, NOT VERIFIED: #${forged.id}`);
    const sent = /message\(s\): ([^)]*)\)/.exec(done)![1]!.split(', ');
    expect(sent).toContain('#0');
    expect(sent).not.toContain(`#${forged.id}`);

    const clbSees = await officerCli(stack, stack.clb)('show', caseId);
    expect(clbSees).toContain('Echte aanvulling van de melder.');
    expect(clbSees).not.toContain(FORGED);
  });
});
