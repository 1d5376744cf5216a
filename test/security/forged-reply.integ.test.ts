/** Attack: the server (or whoever holds the table) writes a "reply from the officer". The reporter sees it is not verified. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, submitReport } from '../../shared/client/reporter.ts';
import { sealPayload, type ArmoredMessage } from '../../shared/protocol/envelope.ts';
import { generateNamedKey, readPublicKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function storeReply(code: Parameters<typeof deriveCodeKeys>[0], signingKey: Awaited<ReturnType<typeof unlockPrivateKey>>) {
  const { accessKey } = await deriveCodeKeys(code);
  const caseId = await caseIdFor(stack.local.deps.keys, accessKey);
  const found = await stack.local.deps.cases.get(caseId);
  const keys = [await readPublicKey(found!.doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
  const message = await sealPayload({ payload: { v: 1, kind: 'reply', text: 'Wij sluiten uw melding.' }, signingKey, encryptionKeys: keys });
  await stack.local.deps.cases.appendMessage(caseId, { author: 'officer', day: '2026-11-23', message: message as ArmoredMessage, thread: 'case' });
}

describe('forged replies', () => {
  it('a reply signed by the officer verifies; one signed by a server key, named as the officer, does not', async () => {
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({ api: { base: stack.url }, channels, report: sampleReport('Vervalsing') });
    await storeReply(code, await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase));
    const forger = await generateNamedKey(stack.officer.name, 'x');
    await storeReply(code, forger.unlocked);

    const opened = await openCase({ api: { base: stack.url }, channels, code });
    const [genuine, forged] = opened.thread.slice(1);
    expect(genuine!.claimedAuthor).toBe('officer');
    expect(genuine!.signature).toMatchObject({ status: 'verified', name: stack.officer.name });
    expect(forged!.claimedAuthor).toBe('officer');
    expect(forged!.payload).toMatchObject({ text: 'Wij sluiten uw melding.' });
    expect(forged!.signature.status).toBe('unknown-signer');
  });
});
