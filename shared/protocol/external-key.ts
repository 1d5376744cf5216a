/**
 * A private key this process does not hold: kept by GnuPG's agent, perhaps on a hardware token.
 * It gives the session key of a message to it, and signatures, and nothing else. Everything that
 * signs or decrypts takes an `OfficerKey`: a key unlocked here, or one of these.
 */
import * as openpgp from 'openpgp';

export interface ExternalKey {
  readonly external: true;
  readonly publicKey: openpgp.PublicKey;
  /** The session key of a message encrypted to this key, or null when none of its PKESKs is for it. */
  sessionKey(message: openpgp.Message<Uint8Array>): Promise<openpgp.SessionKey | null>;
  /** A detached binary signature over `data` (signature type 0x00, binary). */
  signDetached(data: Uint8Array): Promise<Uint8Array>;
}

export type OfficerKey = openpgp.PrivateKey | ExternalKey;

export const isExternal = (key: OfficerKey): key is ExternalKey => 'external' in key && key.external === true;

/** The key's public part: what fingerprints, key IDs and recipients are read from. */
export const publicOf = (key: OfficerKey): openpgp.PublicKey | openpgp.PrivateKey => (isExternal(key) ? key.publicKey : key);

/** The session keys of `message` that `key` opens (none: an empty list). */
export async function sessionKeysFor(message: openpgp.Message<Uint8Array>, key: OfficerKey): Promise<openpgp.SessionKey[]> {
  if (isExternal(key)) {
    const found = await key.sessionKey(message);
    return found ? [found] : [];
  }
  const keys: Array<{ data: Uint8Array; algorithm: string | null }> = await openpgp.decryptSessionKeys({ message, decryptionKeys: key }).catch(() => []);
  return keys.filter((k): k is openpgp.SessionKey => k.algorithm !== null);
}

/**
 * `data` signed by an external key, as openpgp.js would sign it: one-pass signature, literal data
 * (binary), signature. The signature is the key's detached one over the same bytes.
 */
export async function externallySigned(data: Uint8Array, key: ExternalKey): Promise<openpgp.Message<Uint8Array>> {
  const signature = (await openpgp.readSignature({ binarySignature: await key.signDetached(data) })).packets[0]!;
  const onePass = new openpgp.OnePassSignaturePacket();
  Object.assign(onePass, {
    version: 3,
    signatureType: signature.signatureType,
    hashAlgorithm: signature.hashAlgorithm,
    publicKeyAlgorithm: signature.publicKeyAlgorithm,
    issuerKeyID: signature.issuerKeyID,
    flags: 1,
  });
  const literal = new openpgp.LiteralDataPacket();
  (literal as unknown as { setBytes(bytes: Uint8Array, format: number): void }).setBytes(data, openpgp.enums.literal.binary);
  const packets = new openpgp.PacketList<openpgp.AnyPacket>();
  packets.push(onePass, literal, signature);
  return new openpgp.Message(packets) as openpgp.Message<Uint8Array>;
}
