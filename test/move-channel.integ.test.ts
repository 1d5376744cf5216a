/**
 * Moving a case to another channel (from the confidential adviser to the integrity officer), only
 * with the reporter's signed consent. Every message and file keeps its encrypted data and gets new
 * session keys: the new officer reads and verifies all of it, the old one can no longer reach it,
 * the reporter sees the new readers, and the internal notes of the old channel are gone. Attacks:
 * a move without consent, a server that moves a case on its own, and move requests that leave
 * something out, swap the encrypted data or add a reader.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeToMove, downloadFile, openCase, postMessage } from '../shared/client/reporter.ts';
import { publicChannels } from '../shared/config/schema.ts';
import { dearmor } from '../shared/protocol/armor.ts';
import { toBase64Url } from '../shared/protocol/bytes.ts';
import { readPackets, TAG, writePackets } from '../shared/protocol/packets.ts';
import { encryptionKeyId, fingerprintOf, generateNamedKey, unlockPrivateKey } from '../shared/protocol/keys.ts';
import { sealPayload } from '../shared/protocol/envelope.ts';
import { readPublicKey } from '../shared/protocol/keys.ts';
import { OfficerClient } from '../officer/client.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { fileReport } from './support/reports.ts';
import { gnupgFor } from './support/gnupg.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const adviser = () => officerCli(stack, stack.adviser);
const officer = () => officerCli(stack, stack.officer);
const clb = () => officerCli(stack, stack.clb);
const refused = (p: Promise<unknown>) => p.then(() => null, (e: Error) => e.message);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const channels = () => publicChannels(stack.config);
const EVIDENCE = new TextEncoder().encode('Notulen van de vergadering van 3 maart, met de gewijzigde stemuitslag.\n'.repeat(40));

async function adviserCase(what: string) {
  const filed = await fileReport(stack, what, { channel: 'vertrouwenspersoon', consent: { clb: 'conversation' } }, [
    { blob: new Blob([EVIDENCE]), name: 'notulen.txt', type: 'text/plain' },
  ]);
  return { ...filed, open: () => openCase({ api: { base: stack.url }, channels: channels(), code: filed.code }) };
}

describe('moving a case to another channel', () => {
  it('needs the reporter\'s signed consent, then hands everything over and nothing else', async () => {
    const { caseId, open } = await adviserCase('Intimidatie tijdens de ledenvergadering');
    await adviser()('ack', caseId);
    await adviser()('reply', caseId, '--message', 'Dank u. Dit hoort eigenlijk bij de integriteitsfunctionaris.');
    await adviser()('internal', caseId, '--message', 'Eigen aantekening: melder klonk bang.');
    await adviser()('escalate', caseId, '--to', 'clb');
    await clb()('note', caseId, '--message', 'CLB leest mee.');

    // Without consent: refused, and nothing changes.
    const before = (await stack.local.deps.cases.get(caseId))!.doc;
    const why = await refused(adviser()('move', caseId, '--to', 'integriteit'));
    expect(why).toContain('the reporter has not agreed');
    expect(why).toContain(`ask-move ${caseId} --to integriteit`);
    expect((await stack.local.deps.cases.get(caseId))!.doc).toEqual(before);

    // The adviser asks; the reporter sees who would read the case, and agrees with a signed message.
    expect(await adviser()('ask-move', caseId, '--to', 'integriteit')).toContain('Asked the reporter');
    const asked = await open();
    expect(asked.moveRequest).toMatchObject({ to: 'integriteit', readers: [stack.officer.name] });
    expect(asked.moveRequest!.text).toContain(stack.officer.name);
    await agreeToMove(asked.session, 'integriteit');
    expect((await open()).moveRequest).toBeNull();

    const mailsBefore = (await stack.sentMail()).length;
    const moved = await adviser()('move', caseId, '--to', 'integriteit');
    expect(moved).toMatch(/Moved case .* now read it, and you no longer do/);
    expect(moved).toContain('1 internal note(s) stayed behind and were deleted');
    const mails = (await stack.sentMail()).slice(mailsBefore);
    expect(mails.some((m) => m.destination.to.includes(stack.config.channels[0]!.recipients[0]!.email))).toBe(true);

    // The server's record: new channel and readers, internal notes gone, the same encrypted data.
    const after = (await stack.local.deps.cases.get(caseId))!.doc;
    expect(after.channel).toBe('integriteit');
    expect(after.recipients.map((r) => r.name)).toEqual(['Melder', stack.officer.name, stack.clb.name]);
    const data = (armored: string) => sha(writePackets(readPackets(dearmor(armored, 'MESSAGE')).filter((p) => p.tag === TAG.seipd)));
    expect(data(after.first)).toBe(data(before.first));
    expect((await stack.local.deps.cases.messages(caseId)).map((m) => m.thread)).not.toContain('internal');

    // The new officer lists it and reads everything, every signature verified, the file too.
    expect(await officer()('cases')).toContain(caseId);
    const shown = await officer()('show', caseId);
    expect(shown).toContain('Intimidatie tijdens de ledenvergadering');
    expect(shown).toContain('Dit hoort eigenlijk bij de integriteitsfunctionaris');
    expect(shown).toContain('CLB leest mee');
    expect(shown).not.toContain('melder klonk bang');
    expect(shown).not.toMatch(/NOT VERIFIED|unreadable/i);
    const dir = mkdtempSync(join(tmpdir(), 'meldpunt-moved-'));
    // Two files: the reporter's, and CLB's re-encrypted copy on the escalation thread; both re-wrapped.
    expect(await officer()('files', caseId, dir)).toContain('2 of 2 file(s) saved');
    for (const saved of readdirSync(dir)) expect(sha(readFileSync(join(dir, saved)))).toBe(sha(EVIDENCE));
    // The register stays readable without this software: the exported files decrypt with GnuPG and the new officer's key.
    const register = join(dir, 'register');
    await officer()('export', caseId, register);
    const gpg = gnupgFor(stack.officer, dir);
    const exported = readdirSync(register).filter((f) => f.endsWith('.gpg'));
    expect(exported).toHaveLength(2);
    for (const f of exported) expect(sha(gpg(['--decrypt', join(register, f)]))).toBe(sha(EVIDENCE));
    gpg(['--import', join(register, 'reporter-public-key.asc')]);
    expect(gpg(['--decrypt', join(register, readdirSync(register).find((f) => f.endsWith('-000-case-reporter.asc'))!)]).toString()).toContain('Intimidatie tijdens de ledenvergadering');
    // CLB, who had joined, still reads along; the officer can write on the CLB thread.
    expect(await clb()('show', caseId)).toContain('Intimidatie tijdens de ledenvergadering');
    await officer()('note', caseId, '--message', 'Ik neem het over van de vertrouwenspersoon.');
    expect(await clb()('show', caseId)).toContain('Ik neem het over');

    // The old channel's officer no longer reaches it.
    expect(await adviser()('cases')).not.toContain(caseId);
    expect(await refused(adviser()('show', caseId))).toMatch(/403/);

    // The reporter sees the new readers, can still read and check everything, and writes to them.
    const seen = await open();
    expect(seen.channelOk).toBe(true);
    expect(seen.recipients.map((r) => [r.name, r.trusted])).toEqual([['Melder', true], [stack.officer.name, true], [stack.clb.name, true]]);
    expect(seen.thread.every((e) => e.signature.status === 'verified')).toBe(true);
    const ref = seen.thread[0]!.payload!.kind === 'report' ? seen.thread[0]!.payload!.files[0]! : null;
    const chunks: Uint8Array[] = [];
    expect(await downloadFile(seen.session, ref!, (c) => void chunks.push(c))).toEqual({ status: 'verified' });
    await postMessage(seen.session, 'Fijn, dank u.');
    expect(await officer()('show', caseId)).toContain('Fijn, dank u.');
  });

  it('a case the server moves on its own: the reporter\'s page and the officer\'s tool send nothing', async () => {
    const { caseId, open } = await adviserCase('Verkeerd kanaal');
    const { doc, version } = (await stack.local.deps.cases.get(caseId))!;
    const officerEntry = stack.config.channels[0]!.recipients[0]!;
    const officerKey = await readPublicKey(officerEntry.publicKey);
    await stack.local.deps.cases.update(caseId, version, {
      ...doc,
      channel: 'integriteit',
      recipients: [doc.recipients[0]!, { role: 'officer', name: officerEntry.name, fingerprint: fingerprintOf(officerKey) }],
      recipientKeyIds: [doc.recipientKeyIds[0]!, await encryptionKeyId(officerKey)],
    });
    const seen = await open();
    expect(seen.channelOk).toBe(false);
    expect(seen.session.encryptionKeys).toBeNull();
    await expect(postMessage(seen.session, 'mag niet weg')).rejects.toThrow(/nothing was sent/);
    // The officer of the channel it was moved to cannot read the report, and cannot reply to it.
    expect(await refused(officer()('reply', caseId, '--message', 'hallo'))).toMatch(/does not match the report|neither chose nor agreed/);
  });

  it('a move request that leaves out a message, swaps the encrypted data or adds a reader is refused, and nothing changes', async () => {
    const { caseId, open } = await adviserCase('Poging tot knoeien');
    await adviser()('reply', caseId, '--message', 'Een antwoord.');
    await adviser()('ask-move', caseId, '--to', 'integriteit');
    await agreeToMove((await open()).session, 'integriteit');
    const key = await unlockPrivateKey(stack.adviser.privateKey, stack.adviser.passphrase);
    const client = new OfficerClient(stack.url, key);
    const before = (await stack.local.deps.cases.get(caseId))!.doc;
    const messages = await stack.local.deps.cases.messages(caseId);
    const files = await stack.local.deps.files.list(caseId);
    const officerKey = await readPublicKey(stack.officer.publicKey);
    const reporterKey = await readPublicKey(before.reporterPublicKey);
    const clbKey = await readPublicKey(stack.clb.publicKey);
    // Real session key packets for the right readers, from a message made for the purpose: they do not open this case's data, but the shape is right.
    const headerFor = async (keys: typeof officerKey[]) => {
      const m = await sealPayload({ payload: { v: 1, kind: 'reply', text: 'x' }, signingKey: key, encryptionKeys: keys });
      return toBase64Url(writePackets(readPackets(dearmor(m, 'MESSAGE')).filter((p) => p.tag === TAG.pkesk)));
    };
    const good = await headerFor([reporterKey, officerKey]);
    const all = { to: 'integriteit', messages: [{ id: '0', header: good }, ...messages.map((m) => ({ id: m.id, header: good }))], files: files.map((f) => ({ id: f.fileId, header: good })) };
    const intruder = (await generateNamedKey('Meelezer', 'x')).unlocked.toPublic();
    const attempts: Array<[string, unknown, RegExp]> = [
      ['a message left out', { ...all, messages: all.messages.slice(0, 1) }, /409.*every message and file/],
      ['a file left out', { ...all, files: [] }, /409.*every message and file/],
      ['a message twice', { ...all, messages: [...all.messages, all.messages[0]] }, /409.*every message and file/],
      ['an empty header', { ...all, messages: all.messages.map((m) => ({ ...m, header: '' })) }, /400/],
      ['a reader too many', { ...all, messages: [{ id: '0', header: await headerFor([reporterKey, officerKey, intruder]) }, ...all.messages.slice(1)] }, /400.*exactly the keys/],
      ['CLB, who never joined', { ...all, messages: [{ id: '0', header: await headerFor([reporterKey, officerKey, clbKey]) }, ...all.messages.slice(1)] }, /400.*exactly the keys/],
      ['encrypted data instead of session keys', { ...all, messages: [{ id: '0', header: toBase64Url(dearmor(before.first, 'MESSAGE')) }, ...all.messages.slice(1)] }, /400.*session key packets/],
      ['not base64url', { ...all, messages: [{ id: '0', header: 'a' }, ...all.messages.slice(1)] }, /400/],
      ['its own channel', { ...all, to: 'vertrouwenspersoon' }, /400.*already in this channel/],
      ['an unknown channel', { ...all, to: 'nergens' }, /400.*no channel/],
    ];
    for (const [what, body, expected] of attempts) {
      const why = await refused(client.post(caseId, 'move', body));
      expect(why, what).toMatch(expected);
    }
    expect((await stack.local.deps.cases.get(caseId))!.doc, 'nothing changed').toEqual(before);
    expect(await stack.local.deps.cases.messages(caseId)).toEqual(messages);
    // The officer of the other channel, and CLB, cannot move it at all.
    const other = new OfficerClient(stack.url, await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase));
    expect(await refused(other.post(caseId, 'move', all))).toMatch(/403/);
  });
});
