/**
 * The reporter key check, read byte by byte without openpgp.js: it accepts exactly what the web app
 * makes, agrees with openpgp.js on fingerprint and key ID, and refuses forged or swapped
 * self-signatures, expired keys and keys whose secrets are not locked.
 */
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { armor, dearmor } from '../../shared/protocol/armor.ts';
import { generateReporterKey } from '../../shared/protocol/keys.ts';
import { readPackets, writePackets, type Packet } from '../../shared/protocol/packets.ts';
import { AppError } from '../errors.ts';
import { checkReporterKeys, DEVICE_CLOCK_AHEAD_MS } from './reporter-key.ts';

const packetsOf = (text: string, type: 'PUBLIC KEY BLOCK' | 'PRIVATE KEY BLOCK') => readPackets(dearmor(text, type));
const armored = (packets: Packet[], type: 'PUBLIC KEY BLOCK' | 'PRIVATE KEY BLOCK') => armor(type, writePackets(packets));

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    if (e instanceof AppError && e.status === 400 && e.code === 'bad-key') return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('the reporter key check', async () => {
  const key = await generateReporterKey('unlock');
  const other = await generateReporterKey('unlock');
  const pub = packetsOf(key.publicKey, 'PUBLIC KEY BLOCK');
  const locked = packetsOf(key.lockedPrivateKey, 'PRIVATE KEY BLOCK');
  const created = (await openpgp.readKey({ armoredKey: key.publicKey })).keyPacket.created.getTime();

  it('accepts the web app\'s key and agrees with openpgp.js on fingerprint and encryption key ID', async () => {
    const checked = await checkReporterKeys(key.publicKey, key.lockedPrivateKey);
    const parsed = await openpgp.readKey({ armoredKey: checked.publicKey });
    expect(checked.fingerprint).toBe(parsed.getFingerprint());
    expect(checked.encryptionKeyId).toBe((await parsed.getEncryptionKey()).getKeyID().toHex());
    expect(checked.lockedPrivateKey).toBe(armored(locked, 'PRIVATE KEY BLOCK'));
    const unlocked = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: checked.lockedPrivateKey }), passphrase: 'unlock' });
    expect(unlocked.getFingerprint()).toBe(key.fingerprint);
  });

  it('refuses a self-signature with any one bit of its signature changed', async () => {
    for (const index of [2, 4]) {
      const body = pub[index]!.body;
      for (const at of [body.length - 1, body.length - 40, body.length - 66]) {
        const forged = pub.map((p, i) => (i === index ? { ...p, body: body.map((b, j) => (j === at ? b ^ 1 : b)) } : p));
        const lockedForged = locked.map((p, i) => (i === index ? forged[i]! : p));
        expect(await refusal(() => checkReporterKeys(armored(forged, 'PUBLIC KEY BLOCK'), armored(lockedForged, 'PRIVATE KEY BLOCK'))), `packet ${index}, byte ${at}`).toMatch(/reporter key/);
      }
    }
  });

  it('refuses another key\'s subkey with its binding signature', async () => {
    const theirs = packetsOf(other.publicKey, 'PUBLIC KEY BLOCK');
    const swapped = [pub[0]!, pub[1]!, pub[2]!, theirs[3]!, theirs[4]!];
    const theirsLocked = packetsOf(other.lockedPrivateKey, 'PRIVATE KEY BLOCK');
    const lockedSwapped = [locked[0]!, locked[1]!, locked[2]!, theirsLocked[3]!, theirsLocked[4]!];
    expect(await refusal(() => checkReporterKeys(armored(swapped, 'PUBLIC KEY BLOCK'), armored(lockedSwapped, 'PRIVATE KEY BLOCK')))).toMatch(/self-signatures (do not hold|name another issuer)/);
  });

  it('refuses a locked key that is another key, or whose secrets are not locked', async () => {
    expect(await refusal(() => checkReporterKeys(key.publicKey, other.lockedPrivateKey))).toMatch(/does not belong/);
    expect(await refusal(() => checkReporterKeys(key.publicKey, key.unlocked.armor()))).toMatch(/locked with a passphrase/);
  });

  it('refuses an expired key, and one made more than a day ahead of the server\'s clock', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{}], keyExpirationTime: 60, format: 'object' });
    const lockedShort = (await openpgp.encryptKey({ privateKey, passphrase: 'x' })).armor();
    const made = publicKey.keyPacket.created.getTime();
    expect((await checkReporterKeys(publicKey.armor(), lockedShort, made + 30_000)).fingerprint).toBe(publicKey.getFingerprint());
    expect(await refusal(() => checkReporterKeys(publicKey.armor(), lockedShort, made + 61_000))).toMatch(/expired/);
    expect((await checkReporterKeys(key.publicKey, key.lockedPrivateKey, created - DEVICE_CLOCK_AHEAD_MS + 1000)).fingerprint).toBe(key.fingerprint);
    expect(await refusal(() => checkReporterKeys(key.publicKey, key.lockedPrivateKey, created - DEVICE_CLOCK_AHEAD_MS - 1000))).toMatch(/expired/);
  });

  it('refuses extra bytes after a key, and a signature with an unhashed subpacket other than the issuer', async () => {
    const padded = pub.map((p, i) => (i === 0 ? { ...p, body: new Uint8Array([...p.body, 0]) } : p));
    expect(await refusal(() => checkReporterKeys(armored(padded, 'PUBLIC KEY BLOCK'), key.lockedPrivateKey))).toMatch(/extra data/);
    // Unhashed area of the certification: length 0 -> one subpacket of type 20 (a notation) with a name in it.
    const body = pub[2]!.body;
    const hashedEnd = 6 + ((body[4]! << 8) | body[5]!);
    const text = new TextEncoder().encode('Jan');
    const sub = [1 + 8 + 1 + text.length, 20, 0x80, 0, 0, 0, 0, 1, 0, text.length, 0x78, ...text];
    const withText = new Uint8Array([...body.subarray(0, hashedEnd), 0, sub.length, ...sub, ...body.subarray(hashedEnd + 2)]);
    const changed = pub.map((p, i) => (i === 2 ? { ...p, body: withText } : p));
    const lockedChanged = locked.map((p, i) => (i === 2 ? { ...p, body: withText } : p));
    expect(await refusal(() => checkReporterKeys(armored(changed, 'PUBLIC KEY BLOCK'), armored(lockedChanged, 'PRIVATE KEY BLOCK')))).toMatch(/extra data/);
  });
});
