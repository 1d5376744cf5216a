import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CiphertextScan } from './ciphertext-scan.ts';
import { CryptoError } from './errors.ts';

let message: Uint8Array;
let keyId: string;
beforeAll(async () => {
  const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'x' }], format: 'object' });
  const key = privateKey.toPublic();
  keyId = (await key.getEncryptionKey()).getKeyID().toHex();
  message = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: randomBytes(300_000) }), encryptionKeys: key, format: 'binary' });
});

/** Scans `bytes` fed in chunks of `size`. */
function scan(bytes: Uint8Array, size = 7000) {
  const s = new CiphertextScan();
  for (let at = 0; at < bytes.length; at += size) s.push(bytes.subarray(at, at + size));
  return s.end();
}
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('the scan of a whole stored file', () => {
  it('accepts an encrypted message fed in any chunk size, and names its reader', () => {
    // 13-byte chunks split every packet header somewhere.
    for (const size of [13, 4096, 65536, message.length]) expect(scan(message, size).keyIds).toEqual([keyId]);
  });

  it('refuses plaintext anywhere inside the encrypted body, not only in its head', () => {
    for (const at of [70_000, 200_000, message.length - 3000]) {
      const forged = Uint8Array.from(message);
      forged.set(new TextEncoder().encode('Naam van de melder: Jan Jansen, Dorpsstraat 1. '.repeat(50)).subarray(0, 2100), at);
      expect(refusal(() => scan(forged))).toMatch(/reads as text/);
    }
  });

  it('refuses a file cut short, bytes after the message, and a second message', () => {
    expect(refusal(() => scan(message.subarray(0, message.length - 1)))).toMatch(/ends in the middle/);
    expect(refusal(() => scan(new Uint8Array([...message, 0xc0 | 18, 1, 1])))).toMatch(/after the encrypted data/);
    expect(refusal(() => scan(new Uint8Array([...message, 0])))).toMatch(/after the encrypted data/);
    expect(refusal(() => scan(new Uint8Array([...message, ...message])))).toMatch(/after the encrypted data/);
    expect(refusal(() => scan(new TextEncoder().encode('plain text'.repeat(1000))))).toMatch(/not OpenPGP/);
    expect(refusal(() => scan(new Uint8Array()))).toMatch(/no complete encrypted/);
  });
});
