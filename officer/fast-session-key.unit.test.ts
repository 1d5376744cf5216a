import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { generateNamedKey, unlockPrivateKey } from '../shared/protocol/keys.ts';
import { fastSessionKey } from './fast-session-key.ts';

const officer = await generateNamedKey('Officer', 'a long passphrase');
const key = await unlockPrivateKey(officer.lockedPrivateKey, 'a long passphrase');
const other = await openpgp.generateKey({ userIDs: [{ name: 'other' }], format: 'object' });

async function messageTo(keys: openpgp.PublicKey[]) {
  const armored = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'hallo' }), encryptionKeys: keys });
  return openpgp.readMessage({ armoredMessage: armored });
}

describe('fastSessionKey', () => {
  it('finds the same session key as openpgp.js, wherever the officer\'s PKESK is', async () => {
    for (const recipients of [[key.toPublic()], [other.publicKey, key.toPublic()]]) {
      const message = await messageTo(recipients);
      const fast = fastSessionKey(message, key);
      const [expected] = await openpgp.decryptSessionKeys({ message, decryptionKeys: key });
      expect(fast).toEqual({ data: expected!.data, algorithm: expected!.algorithm });
    }
  });

  it('leaves to openpgp.js what is not for this key, of another key type, or altered', async () => {
    expect(fastSessionKey(await messageTo([other.publicKey]), key)).toBeNull();
    const rfc9580 = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'x' }], format: 'object' });
    expect(fastSessionKey(await messageTo([rfc9580.publicKey]), rfc9580.privateKey)).toBeNull();
    const message = await messageTo([key.toPublic()]);
    const pkesk = message.packets.filterByTag(openpgp.enums.packet.publicKeyEncryptedSessionKey)[0] as unknown as { encrypted: { C: { data: Uint8Array } } };
    pkesk.encrypted.C.data[3]! ^= 1;
    expect(fastSessionKey(message, key)).toBeNull();
  });
});
