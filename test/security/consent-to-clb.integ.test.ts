/**
 * Attack and promise: CLB receives no more than the reporter allowed. Without consent the tool
 * sends CLB nothing; with "without contact" only the report, its contact details removed; wider
 * consent counts only as a message signed by the reporter, so one the server forges changes
 * nothing. The reporter's reader list names every key that received any part of the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { giveConsent, openCase, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { generateReporterKey, readPublicKey } from '../../shared/protocol/keys.ts';
import type { ClbConsent } from '../../shared/schemas/payload.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const CONTACT = 'Bel mij: 06-55554444';

async function newCase(what: string, clb: ClbConsent) {
  const api = { base: stack.url };
  const channels = publicChannels(stack.config);
  const { code } = await submitReport({ api, channels, report: { ...sampleReport(what), contact: CONTACT, consent: { clb } } });
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
  return { caseId, open: () => openCase({ api, channels, code }) };
}

const officer = () => officerCli(stack, stack.officer);
const clb = () => officerCli(stack, stack.clb);
const refused = (p: Promise<unknown>) => p.then(() => null, (e: Error) => e.message);

describe('consent to CLB', () => {
  it('none: the tool refuses, says why, and CLB gets nothing', async () => {
    const { caseId, open } = await newCase('Alleen voor de functionaris', 'none');
    const why = await refused(officer()('escalate', caseId, '--to', 'clb'));
    expect(why).toMatch(/Not escalated: the reporter chose that only the officers of this channel may read the report/);
    expect(why).toContain(`ask-consent ${caseId}`);
    expect(await stack.local.deps.cases.messages(caseId)).toEqual([]);
    expect((await stack.local.deps.cases.get(caseId))!.doc).toMatchObject({ escalated: false, escalatedTo: [] });
    expect(await clb()('cases')).not.toContain(caseId);
    const seen = await open();
    expect(seen.consent).toBe('none');
    expect(seen.sharedWith).toEqual([]);
    expect(seen.recipients.map((r) => r.role)).toEqual(['reporter', 'officer']);
  });

  it('without-contact: only the report goes, without contact details, and the reporter sees CLB received it', async () => {
    const { caseId, open } = await newCase('Zonder mijn gegevens naar CLB', 'without-contact');
    await officer()('reply', caseId, '--message', 'Dank, een vraag: wanneer was dit?');
    expect(await refused(officer()('escalate', caseId, '--to', 'clb', '--messages', '0,1'))).toMatch(/may not go to CLB/);
    expect(await officer()('escalate', caseId, '--to', 'clb')).toContain('contact details left out');
    const shown = await clb()('show', caseId);
    expect(shown).toContain('Zonder mijn gegevens naar CLB');
    expect(shown).not.toContain('06-55554444');
    const seen = await open();
    expect(seen.recipients.map((r) => r.name)).not.toContain(stack.clb.name);
    expect(seen.sharedWith).toEqual([{ name: stack.clb.name, fingerprint: expect.any(String), received: 'report-without-contact', trusted: true }]);
  });

  it('a consent message forged by the server does not count', async () => {
    const { caseId } = await newCase('Geen toestemming gegeven', 'none');
    const { doc } = (await stack.local.deps.cases.get(caseId))!;
    // The server has every public key on the case, but not the reporter's private key.
    const forger = await generateReporterKey('x');
    const readers = [await readPublicKey(doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
    const forged = await sealPayload({ payload: { v: 1, kind: 'consent', clb: 'conversation' }, signingKey: forger.unlocked, encryptionKeys: readers });
    await stack.local.deps.cases.appendMessage(caseId, { author: 'reporter', day: doc.receivedOn, message: forged, thread: 'case' });
    const shown = await officer()('show', caseId);
    expect(shown).toMatch(/CONSENT given by the reporter: conversation/);
    expect(shown).toMatch(/NOT VERIFIED/);
    expect(shown).toContain("Reporter's consent (CLB): none");
    expect(await refused(officer()('escalate', caseId, '--to', 'clb'))).toMatch(/Not escalated/);
    expect(await clb()('cases')).not.toContain(caseId);
  });

  it('asked in the conversation and given by the reporter, signed: then CLB may join', async () => {
    const { caseId, open } = await newCase('Later mag CLB meelezen', 'none');
    expect(await officer()('ask-consent', caseId, '--scope', 'conversation')).toContain('Asked the reporter');
    let seen = await open();
    expect(seen.consentRequest).toMatchObject({ scope: 'conversation' });
    await giveConsent(seen.session, 'conversation');
    seen = await open();
    expect(seen.consent).toBe('conversation');
    expect(seen.consentRequest).toBeNull();
    expect(await officer()('show', caseId)).toContain("Reporter's consent (CLB): conversation");
    expect(await officer()('escalate', caseId, '--to', 'clb')).toContain('contact details included');
    expect(await clb()('show', caseId)).toContain('06-55554444');
    seen = await open();
    expect(seen.recipients.find((r) => r.name === stack.clb.name)).toMatchObject({ role: 'clb', trusted: true });
    expect(seen.sharedWith).toEqual([]);
  });
});
