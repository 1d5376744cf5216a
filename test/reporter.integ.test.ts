import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannelsSchema } from '../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../shared/client/reporter.ts';
import { openPayload } from '../shared/protocol/envelope.ts';
import { readPublicKey, unlockPrivateKey } from '../shared/protocol/keys.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { sampleReport } from './support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());


describe('end to end over HTTP against the local stack', () => {
  it('a report to a channel the page does not know is refused before it is sent; the proof of work begun beside it is all that reached the server', async () => {
    const paths: string[] = [];
    const api = { base: stack.url, fetch: ((url: string, init?: RequestInit) => (paths.push(new URL(url).pathname), fetch(url, init))) as typeof fetch };
    const channels = publicChannelsSchema.parse(await (await fetch(`${stack.url}/channels.json`)).json());
    await expect(submitReport({ api, channels, report: { ...sampleReport('Niet verzonden.'), channel: 'onbekend' } })).rejects.toThrow(/does not know channel "onbekend"/);
    expect(paths.filter((p) => p !== '/api/challenge')).toEqual([]);
  });

  it('submits a report as the browser does, reopens it with the code, and the officer decrypts and verifies it', async () => {
    const api = { base: stack.url };
    const channels = publicChannelsSchema.parse(await (await fetch(`${stack.url}/channels.json`)).json());
    const { code, receipt } = await submitReport({ api, channels, report: sampleReport('De penningmeester betaalde zichzelf.') });
    expect(receipt.status).toBe('received');

    const opened = await openCase({ api, channels, code });
    expect(opened.thread).toHaveLength(1);
    expect(opened.thread[0]!.payload).toMatchObject({ kind: 'report', answers: { what: 'De penningmeester betaalde zichzelf.' } });
    expect(opened.thread[0]!.signature.status).toBe('verified');
    expect(opened.recipients.every((r) => r.trusted)).toBe(true);

    await postMessage(opened.session, 'Ik heb nog een bonnetje gevonden.');
    const again = await openCase({ api, channels, code });
    expect(again.thread.map((e) => e.payload?.kind)).toEqual(['report', 'reporter-message']);

    // The officer, on their own machine, with only the ciphertexts and their key.
    const officerKey = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const reporterKey = await readPublicKey(again.view.reporterPublicKey);
    for (const stored of again.view.messages) {
      const opened = await openPayload({ message: stored.message, decryptionKey: officerKey, expectedSigners: [{ name: 'reporter', key: reporterKey }] });
      expect(opened.signature).toMatchObject({ status: 'verified', name: 'reporter' });
    }
    const first = await openPayload({ message: again.view.messages[0]!.message, decryptionKey: officerKey, expectedSigners: [] });
    expect(first.payload).toMatchObject({ reporterFingerprint: again.recipients[0]!.fingerprint });

    // Neither the report nor the message mailed anyone; the hourly notice does, once, with none of their words.
    expect(await stack.sentMail()).toEqual([]);
    await stack.local.runNotices();
    const mail = await stack.sentMail();
    expect(mail).toHaveLength(1);
    expect(JSON.stringify(mail)).not.toContain('penningmeester');
  });
});
