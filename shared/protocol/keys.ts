/** OpenPGP keys as protocol v1 uses them: v4, ed25519 + cv25519 (openpgp.js defaults), GnuPG-readable. */
import * as openpgp from 'openpgp';
import { CryptoError } from './errors.ts';

declare const brand: unique symbol;
export type ArmoredPublicKey = string & { readonly [brand]: 'ArmoredPublicKey' };
export type ArmoredPrivateKey = string & { readonly [brand]: 'ArmoredPrivateKey' };
/** 40 lower-case hex digits of a v4 primary key fingerprint. */
export type Fingerprint = string & { readonly [brand]: 'Fingerprint' };

export interface ReporterKey {
  publicKey: ArmoredPublicKey;
  lockedPrivateKey: ArmoredPrivateKey;
  fingerprint: Fingerprint;
  /** The same private key, unlocked, for signing right away without paying for S2K again. */
  unlocked: openpgp.PrivateKey;
}

/**
 * A fresh key pair for one report. The single user ID is empty: nothing in the key says who
 * made it. Locked with the unlock passphrase derived from the retrieval code.
 */
export async function generateReporterKey(passphrase: string): Promise<ReporterKey> {
  return generateKey({}, passphrase);
}

/** Officer and CLB keys: same algorithms, with a name the reporter is shown. */
export async function generateNamedKey(name: string, passphrase: string): Promise<ReporterKey> {
  return generateKey({ name }, passphrase);
}

async function generateKey(userID: { name?: string }, passphrase: string): Promise<ReporterKey> {
  const { publicKey, privateKey } = await openpgp.generateKey({ userIDs: [userID], format: 'object' });
  const locked = await openpgp.encryptKey({ privateKey, passphrase });
  return {
    publicKey: publicKey.armor() as ArmoredPublicKey,
    lockedPrivateKey: locked.armor() as ArmoredPrivateKey,
    fingerprint: publicKey.getFingerprint() as Fingerprint,
    unlocked: privateKey,
  };
}

/** Reads a public key and checks it can take part in protocol v1. Throws CryptoError('bad-key'). */
export async function readPublicKey(armored: string): Promise<openpgp.PublicKey> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch (cause) {
    throw new CryptoError('bad-key', 'not an armored OpenPGP public key', { cause });
  }
  if (key.isPrivate()) throw new CryptoError('bad-key', 'this is a private key; give the public key');
  if (key.keyPacket.version !== 4) throw new CryptoError('bad-key', 'only v4 keys are supported (GnuPG 2.2 compatibility)');
  try {
    await key.getEncryptionKey();
    await key.getSigningKey();
  } catch (cause) {
    throw new CryptoError('bad-key', 'the key cannot both encrypt and sign (expired, revoked or incomplete?)', { cause });
  }
  return key as openpgp.PublicKey;
}

/** Unlocks an armored private key. Throws CryptoError('bad-key' | 'wrong-passphrase'). */
export async function unlockPrivateKey(armored: string, passphrase: string): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (cause) {
    throw new CryptoError('bad-key', 'not an armored OpenPGP private key', { cause });
  }
  if (key.isDecrypted()) return key;
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (cause) {
    throw new CryptoError('wrong-passphrase', 'the passphrase does not unlock this key', { cause });
  }
}

export const fingerprintOf = (key: openpgp.Key): Fingerprint => key.getFingerprint() as Fingerprint;

/** The key ID a recipient's PKESK packet carries: that of its encryption subkey. */
export async function encryptionKeyId(key: openpgp.Key): Promise<string> {
  return (await key.getEncryptionKey()).getKeyID().toHex();
}
