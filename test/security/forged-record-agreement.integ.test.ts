/**
 * Oral reporting and meetings (directive 2019/1937 art. 9 and 18): the reporter asks for a meeting
 * (in the form and later), the officer records minutes for the reporter to check, and the reporter
 * agrees or corrects. Attack: the server forges the reporter's agreement; it shows NOT VERIFIED and
 * the record stays OPEN. Only an answer signed by the reporter's key changes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, requestMeeting, respondToRecord, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { generateReporterKey, readPublicKey } from '../../shared/protocol/keys.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-records-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('meetings and records the reporter checks', () => {
  it('carry the meeting wish, and count only the reporter\'s signed answer to a record', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({ api, channels, report: { ...sampleReport('Ik vertel het liever.'), conversation: 'video', meetingTimes: 'dinsdagavond' } });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
    const officer = officerCli(stack, stack.officer);
    expect(await officer('show', caseId)).toContain('Conversation wanted: video; proposed times: dinsdagavond');

    let opened = await openCase({ api, channels, code });
    await requestMeeting(opened.session, 'phone', 'zaterdagochtend');
    expect(await officer('show', caseId)).toContain('MEETING REQUESTED (phone); proposed times: zaterdagochtend');

    const minutes = join(work, 'verslag.txt');
    writeFileSync(minutes, 'Op dinsdag 24 november spraken wij telefonisch.\nU vertelde over de declaraties.');
    expect(await officer('record', caseId, '--title', 'Verslag gesprek 24 november', '--message-file', minutes)).toContain('Record "Verslag gesprek 24 november" added');
    let shown = await officer('show', caseId);
    expect(shown).toMatch(/Record "Verslag gesprek 24 november" \(#\d+\): OPEN/);

    // The reporter sees the record, verified, signed by the officer.
    opened = await openCase({ api, channels, code });
    const record = opened.thread.find((e) => e.payload?.kind === 'record')!;
    expect(record.signature).toMatchObject({ status: 'verified', name: stack.officer.name });
    const recordId = (record.payload as { recordId: string }).recordId;

    // The server forges "agreed": with its own key, encrypted to every reader, under the reporter's name.
    const { doc } = (await stack.local.deps.cases.get(caseId))!;
    const forger = await generateReporterKey('x');
    const forged = await sealPayload({
      payload: { v: 1, kind: 'record-response', recordId, agreed: true, corrections: '' },
      signingKey: forger.unlocked,
      encryptionKeys: [await readPublicKey(doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)],
    });
    await stack.local.deps.cases.appendMessage(caseId, { author: 'reporter', day: doc.receivedOn, message: forged, thread: 'case' });
    shown = await officer('show', caseId);
    expect(shown).toMatch(/NOT VERIFIED[^\n]*\n {2}The reporter AGREES with record/);
    expect(shown).toMatch(/Record "Verslag gesprek 24 november" \(#\d+\): OPEN/);

    // The reporter's own answer, signed: corrections, then (after a new record) agreement.
    await respondToRecord(opened.session, recordId, { agreed: false, corrections: 'Het ging over de reiskosten, niet de declaraties.' });
    shown = await officer('show', caseId);
    expect(shown).toMatch(/Record "Verslag gesprek 24 november" \(#\d+\): CORRECTED: Het ging over de reiskosten/);
    await officer('record', caseId, '--title', 'Verslag, verbeterd', '--message', 'U vertelde over de reiskosten.');
    opened = await openCase({ api, channels, code });
    const second = opened.thread.filter((e) => e.payload?.kind === 'record').at(-1)!;
    await respondToRecord(opened.session, (second.payload as { recordId: string }).recordId, { agreed: true });
    expect(await officer('show', caseId)).toMatch(/Record "Verslag, verbeterd" \(#\d+\): AGREED/);
  });
});
