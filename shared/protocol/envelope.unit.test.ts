import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoError } from './errors.ts';
import { openPayload, sealPayload } from './envelope.ts';
import { encryptionKeyId, generateNamedKey, generateReporterKey, readPublicKey, unlockPrivateKey, type ReporterKey } from './keys.ts';
import { bucketSize } from './padding.ts';

let reporter: ReporterKey;
let officer: ReporterKey;
let stranger: ReporterKey;
beforeAll(async () => {
  [reporter, officer, stranger] = await Promise.all([
    generateReporterKey('reporter pass'),
    generateNamedKey('Officer', 'officer pass'),
    generateNamedKey('Stranger', 'stranger pass'),
  ]);
});

const payload = { v: 1, kind: 'reply', text: 'Dank voor uw melding.' };

describe('sign-then-encrypt, decrypt-then-verify', () => {
  it('round-trips and names the signer', async () => {
    const officerPublic = await readPublicKey(officer.publicKey);
    const message = await sealPayload({ payload, signingKey: officer.unlocked, encryptionKeys: [await readPublicKey(reporter.publicKey)] });
    const opened = await openPayload({
      message,
      decryptionKey: await unlockPrivateKey(reporter.lockedPrivateKey, 'reporter pass'),
      expectedSigners: [{ name: 'Officer', key: officerPublic }],
    });
    expect(opened.payload).toEqual(payload);
    expect(opened.signature).toEqual({ status: 'verified', fingerprint: officer.fingerprint, name: 'Officer' });
  });

  it('does not verify a message signed by an unexpected key', async () => {
    const message = await sealPayload({ payload, signingKey: stranger.unlocked, encryptionKeys: [reporter.unlocked.toPublic()] });
    const opened = await openPayload({
      message,
      decryptionKey: reporter.unlocked,
      expectedSigners: [{ name: 'Officer', key: officer.unlocked.toPublic() }],
    });
    expect(opened.signature.status).toBe('unknown-signer');
  });

  it('fails on tampered ciphertext', async () => {
    const message = await sealPayload({ payload, signingKey: officer.unlocked, encryptionKeys: [reporter.unlocked.toPublic()] });
    const binary = new Uint8Array((await openpgp.unarmor(message)).data as Uint8Array);
    binary[binary.length - 40]! ^= 0x01;
    const tampered = openpgp.armor(openpgp.enums.armor.message, binary);
    await expect(openPayload({ message: tampered, decryptionKey: reporter.unlocked, expectedSigners: [] })).rejects.toMatchObject({
      kind: 'corrupt',
    });
  });

  it('refuses to decrypt for a key it is not addressed to', async () => {
    const message = await sealPayload({ payload, signingKey: officer.unlocked, encryptionKeys: [reporter.unlocked.toPublic()] });
    await expect(openPayload({ message, decryptionKey: stranger.unlocked, expectedSigners: [] })).rejects.toMatchObject({ kind: 'not-for-this-key' });
  });

  it('reports a missing signature', async () => {
    const message = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: JSON.stringify(payload) }),
      encryptionKeys: reporter.unlocked.toPublic(),
    });
    const opened = await openPayload({ message, decryptionKey: reporter.unlocked, expectedSigners: [{ name: 'Officer', key: officer.unlocked.toPublic() }] });
    expect(opened.signature).toEqual({ status: 'unsigned' });
  });

  it('pads the plaintext to a bucket, so lengths of similar messages are equal', async () => {
    const keys = [reporter.unlocked.toPublic()];
    const short = await sealPayload({ payload: { ...payload, text: 'a' }, signingKey: officer.unlocked, encryptionKeys: keys });
    const longer = await sealPayload({ payload: { ...payload, text: 'a'.repeat(700) }, signingKey: officer.unlocked, encryptionKeys: keys });
    expect(short.length).toBe(longer.length);
    expect([bucketSize(1), bucketSize(1024), bucketSize(1025), bucketSize(3 * 1024 * 1024 + 1)]).toEqual([1024, 1024, 2048, 4 * 1024 * 1024]);
  });

  it('writes v4 keys and SEIPD v1 messages, readable by GnuPG 2.2', async () => {
    expect(reporter.unlocked.keyPacket.version).toBe(4);
    const message = await sealPayload({ payload, signingKey: officer.unlocked, encryptionKeys: [reporter.unlocked.toPublic()] });
    const parsed = await openpgp.readMessage({ armoredMessage: message });
    expect(parsed.packets.map((p) => (p.constructor as unknown as { tag: number }).tag)).toEqual([1, 18]);
    expect(reporter.unlocked.getUserIDs()).toEqual(['']);
  });
});
