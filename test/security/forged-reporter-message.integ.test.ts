/** Attack: the server injects a "reporter" message signed with its own key. The officer tool shows it as not verified. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { submitReport } from '../../shared/client/reporter.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { generateReporterKey, readPublicKey } from '../../shared/protocol/keys.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('forged reporter message', () => {
  it('is marked NOT VERIFIED, while the genuine report is VERIFIED', async () => {
    await submitReport({ api: { base: stack.url }, channels: publicChannels(stack.config), report: sampleReport('Echte melding') });
    const officer = officerCli(stack, stack.officer);
    const caseId = (await officer('cases', '--json')).match(/"caseId": "([0-9A-Z]{16})"/)![1]!;
    const { doc } = (await stack.local.deps.cases.get(caseId))!;
    // The server's own key pair, pretending to be the reporter, encrypted to exactly the right readers.
    const forger = await generateReporterKey('x');
    const readers = [await readPublicKey(doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
    const message = await sealPayload({ payload: { v: 1, kind: 'reporter-message', text: 'Trek mijn melding maar in.' }, signingKey: forger.unlocked, encryptionKeys: readers });
    await stack.local.deps.cases.appendMessage(caseId, { author: 'reporter', day: doc.receivedOn, message, thread: 'case' });

    const shown = await officer('show', caseId);
    const lines = shown.split('\n');
    expect(lines.find((l) => l.startsWith('#0 '))).toContain('VERIFIED: signed by melder');
    expect(lines.find((l) => l.startsWith('#1 '))).toMatch(/NOT VERIFIED: signed by unknown key/);
    expect(shown).toContain('Trek mijn melding maar in.');
  });

  it('a swapped reporter key is caught against the fingerprint inside the report', async () => {
    await submitReport({ api: { base: stack.url }, channels: publicChannels(stack.config), report: sampleReport('Nog een melding') });
    const officer = officerCli(stack, stack.officer);
    const ids = [...(await officer('cases', '--json')).matchAll(/"caseId": "([0-9A-Z]{16})"/g)].map((m) => m[1]!);
    for (const caseId of ids) {
      const found = (await stack.local.deps.cases.get(caseId))!;
      if (!found.doc.first) continue;
      const swapped = await generateReporterKey('x');
      await stack.local.deps.cases.update(caseId, found.version, { ...found.doc, reporterPublicKey: swapped.publicKey });
      const shown = await officer('show', caseId);
      expect(shown).toContain('WARNING: the reporter key the server lists is not the one inside the report');
      await expect(officer('reply', caseId, '--message', 'hallo')).rejects.toThrow(/does not match the report/);
    }
  });
});
