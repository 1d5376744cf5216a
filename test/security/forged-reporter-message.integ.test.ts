/**
 * Attack: the server injects a "reporter" message signed with its own key, swaps the reporter key,
 * or moves a signed escalation into another case. The officer tool (and CLB's) shows each as not
 * verified, and trusts only the reporter key the encrypted report itself names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClbConsent } from '../../shared/schemas/payload.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { generateReporterKey, readPublicKey } from '../../shared/protocol/keys.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const lineOf = (shown: string, id: number) => shown.split('\n').find((l) => l.startsWith(`#${id} `)) ?? '';

/** What a server with its own key pair can make: a "reporter" message encrypted to exactly the case's readers. */
async function forge(caseId: string, text: string) {
  const { doc } = (await stack.local.deps.cases.get(caseId))!;
  const readerKeys = [await readPublicKey(doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
  if (doc.recipients.some((r) => r.role === 'clb')) readerKeys.push(await readPublicKey(stack.clb.publicKey));
  const forger = await generateReporterKey('x');
  const message = await sealPayload({ payload: { v: 1, kind: 'reporter-message', text }, signingKey: forger.unlocked, encryptionKeys: readerKeys });
  return stack.local.deps.cases.appendMessage(caseId, { author: 'reporter', day: doc.receivedOn, message, thread: 'case' });
}

async function newCase(what: string, consent: ClbConsent = 'without-contact') {
  const api = { base: stack.url };
  const channels = publicChannels(stack.config);
  const { code } = await submitReport({ api, channels, report: { ...sampleReport(what), consent: { clb: consent } } });
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
  return { caseId, code, officer: officerCli(stack, stack.officer), api, channels };
}

describe('forged reporter message', () => {
  it('is marked NOT VERIFIED, while the genuine report is VERIFIED', async () => {
    const { caseId, officer } = await newCase('Echte melding');
    await forge(caseId, 'Trek mijn melding maar in.');
    const shown = await officer('show', caseId);
    expect(lineOf(shown, 0)).toContain('VERIFIED: signed by melder');
    expect(lineOf(shown, 0)).not.toContain('NOT VERIFIED');
    expect(lineOf(shown, 1)).toMatch(/reporter · NOT VERIFIED: signed by unknown key/);
    expect(shown).toContain('Trek mijn melding maar in.');
    const json = JSON.parse(await officer('show', caseId, '--json')) as { entries: Array<{ id: string; verified: boolean }> };
    expect(json.entries.map((e) => [e.id, e.verified])).toEqual([['0', true], ['1', false]]);
  });

  it('a swapped reporter key is caught against the fingerprint inside the report', async () => {
    const { caseId, officer } = await newCase('Nog een melding');
    const found = (await stack.local.deps.cases.get(caseId))!;
    // The server swaps in its own key and signs a "reporter" message with it: that now matches the listed key.
    const swapped = await generateReporterKey('x');
    await stack.local.deps.cases.update(caseId, found.version, { ...found.doc, reporterPublicKey: swapped.publicKey });
    const readers = [await readPublicKey(found.doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
    const message = await sealPayload({ payload: { v: 1, kind: 'reporter-message', text: 'Vals' }, signingKey: swapped.unlocked, encryptionKeys: readers });
    await stack.local.deps.cases.appendMessage(caseId, { author: 'reporter', day: found.doc.receivedOn, message, thread: 'case' });

    const shown = await officer('show', caseId);
    expect(shown).toContain('WARNING: the reporter key the server lists is not the one the report names');
    expect(lineOf(shown, 0)).toContain('NOT VERIFIED');
    expect(lineOf(shown, 1)).toContain('NOT VERIFIED');
    await expect(officer('reply', caseId, '--message', 'hallo')).rejects.toThrow(/does not match the report/);
    await expect(officer('escalate', caseId, '--to', 'clb')).rejects.toThrow(/does not match the report/);
    expect(await stack.local.deps.cases.messages(caseId)).toHaveLength(1);
  });

  it('CLB, joined with consent, sees the genuine reporter message verified and the forged one not', async () => {
    const { caseId, code, officer, api, channels } = await newCase('Voor CLB', 'conversation');
    await officer('escalate', caseId, '--to', 'clb');
    await postMessage((await openCase({ api, channels, code })).session, 'Echt van mij.');
    await forge(caseId, 'Niet van mij.');
    const shown = await officerCli(stack, stack.clb)('show', caseId);
    expect(shown).toMatch(/reporter · VERIFIED: signed by melder \(reporter\)\n {2}reporter-message: Echt van mij\./);
    expect(shown).toMatch(/reporter · NOT VERIFIED: signed by unknown key \w+\n {2}reporter-message: Niet van mij\./);
  });

  it('an escalation moved into another case is NOT VERIFIED there', async () => {
    const a = await newCase('Zaak A');
    const b = await newCase('Zaak B');
    await a.officer('escalate', a.caseId, '--to', 'clb');
    await b.officer('escalate', b.caseId, '--to', 'clb');
    // The officer↔CLB thread has the same readers on every case of the channel: the server can copy between cases.
    const [fromA] = await stack.local.deps.cases.messages(a.caseId, 'clb');
    const moved = await stack.local.deps.cases.appendMessage(b.caseId, { author: 'officer', day: fromA!.day, message: fromA!.message, thread: 'clb' });
    const clb = officerCli(stack, stack.clb);
    const shown = await clb('show', b.caseId);
    expect(lineOf(shown, Number(moved.id))).toContain(`NOT VERIFIED: signed, but written for another case (${a.caseId})`);
    const own = (await stack.local.deps.cases.messages(b.caseId, 'clb'))[0]!;
    expect(lineOf(shown, Number(own.id))).toContain(`VERIFIED: signed by ${stack.officer.name}`);
    const json = JSON.parse(await clb('show', b.caseId, '--json')) as { entries: Array<{ id: string; verified: boolean }> };
    expect(json.entries.find((e) => e.id === moved.id)!.verified).toBe(false);
  });
});
