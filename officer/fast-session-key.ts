/**
 * The session key of a message to the officer's key, computed with Node's own crypto. openpgp.js
 * does the same X25519 step through WebCrypto, importing the private key anew for every message;
 * over a thousand cases that is most of the desk's wait. The steps are RFC 6637's (ECDH with
 * Curve25519, its KDF and AES key wrap) for the key type the tool makes (`init`). Anything else,
 * and any failure, returns null: the caller then lets openpgp.js decrypt as usual, so this only
 * ever makes reading faster, never more permissive (the message's integrity is checked either way).
 */
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import * as openpgp from 'openpgp';

interface Prepared {
  privateKey: KeyObject;
  /** RFC 6637 §8: curve OID, algorithm, KDF parameters, "Anonymous Sender    ", fingerprint. */
  param: Uint8Array;
  hash: string;
  wrap: string;
  keyBytes: number;
}

const WRAP: Record<string, [string, number]> = { aes128: ['id-aes128-wrap', 16], aes192: ['id-aes192-wrap', 24], aes256: ['id-aes256-wrap', 32] };
const KEY_BYTES: Record<string, number> = { aes128: 16, aes192: 24, aes256: 32 };
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Internals of openpgp.js's key packets that this reads: documented fields of its packet classes. */
interface EcdhSubkey {
  algorithm: number;
  version: number;
  publicParams: { oid: { getName(): string; write(): Uint8Array }; Q: Uint8Array; kdfParams: { hash: number; cipher: number; write(): Uint8Array } };
  privateParams?: { d?: Uint8Array };
  getFingerprintBytes(): Uint8Array;
}

const cache = new WeakMap<object, Prepared | null>();

function prepare(packet: EcdhSubkey): Prepared | null {
  if (cache.has(packet)) return cache.get(packet)!;
  let prepared: Prepared | null = null;
  const kdf = kdfOf(packet);
  const { publicParams: pub, privateParams } = packet;
  if (kdf && privateParams?.d) {
    // The legacy encoding stores the X25519 secret big-endian; X25519 wants it little-endian.
    const secret = privateParams.d.slice().reverse();
    prepared = { ...kdf, privateKey: createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: b64url(secret), x: b64url(pub.Q.subarray(1)) }, format: 'jwk' }) };
  }
  cache.set(packet, prepared);
  return prepared;
}

function unwrapSessionKey(prepared: Prepared, V: Uint8Array, C: Uint8Array): openpgp.SessionKey | null {
  if (V.length !== 33 || V[0] !== 0x40) return null;
  const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(V.subarray(1)) }, format: 'jwk' });
  const shared = diffieHellman({ privateKey: prepared.privateKey, publicKey: ephemeral });
  if (shared.every((b) => b === 0)) return null;
  return sessionKeyFromShared(prepared, shared, C);
}

/**
 * RFC 6637 §8 from the X25519 shared secret, wherever it was computed (here, or by gpg-agent on a
 * token): the KDF, AES key unwrap, then the algorithm byte, the key and its checksum.
 */
export function sessionKeyFromShared(prepared: Pick<Prepared, 'param' | 'hash' | 'wrap' | 'keyBytes'>, shared: Uint8Array, C: Uint8Array): openpgp.SessionKey | null {
  const Z = createHash(prepared.hash).update(Uint8Array.of(0, 0, 0, 1)).update(shared).update(prepared.param).digest().subarray(0, prepared.keyBytes);
  const decipher = createDecipheriv(prepared.wrap, Z, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const padded = Buffer.concat([decipher.update(C), decipher.final()]);
  // PKCS#5 padding, then: cipher algorithm, session key, two-byte checksum.
  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > 8 || !padded.subarray(padded.length - pad).every((b) => b === pad)) return null;
  const body = padded.subarray(0, padded.length - pad);
  const algorithm = openpgp.enums.read(openpgp.enums.symmetric, body[0]!) as string;
  const data = body.subarray(1, body.length - 2);
  const sum = data.reduce((s, b) => (s + b) & 0xffff, 0);
  if (KEY_BYTES[algorithm] !== data.length || sum !== body.readUInt16BE(body.length - 2)) return null;
  return { data: new Uint8Array(data), algorithm: algorithm as openpgp.SessionKey['algorithm'] };
}

/** The KDF parameters of an ECDH Curve25519 (legacy) subkey, from its public part alone; null for other keys. */
export function kdfOf(packet: Pick<EcdhSubkey, 'algorithm' | 'version' | 'publicParams' | 'getFingerprintBytes'>): Pick<Prepared, 'param' | 'hash' | 'wrap' | 'keyBytes'> | null {
  const pub = packet.publicParams;
  const hash = openpgp.enums.read(openpgp.enums.hash, pub.kdfParams.hash) as string;
  const wrap = WRAP[openpgp.enums.read(openpgp.enums.symmetric, pub.kdfParams.cipher) as string];
  if (packet.algorithm !== openpgp.enums.publicKey.ecdh || packet.version !== 4 || pub.oid.getName() !== 'curve25519Legacy' || !wrap || !['sha256', 'sha384', 'sha512'].includes(hash)) return null;
  return {
    param: Buffer.concat([pub.oid.write(), Uint8Array.of(openpgp.enums.publicKey.ecdh), pub.kdfParams.write(), Buffer.from('Anonymous Sender    '), packet.getFingerprintBytes()]),
    hash,
    wrap: wrap[0],
    keyBytes: wrap[1],
  };
}

/** The session key of `message` for `key`, or null where openpgp.js should do it (other key types, any doubt). */
export function fastSessionKey(message: openpgp.Message<Uint8Array>, key: openpgp.PrivateKey): openpgp.SessionKey | null {
  try {
    for (const packet of message.packets.filterByTag(openpgp.enums.packet.publicKeyEncryptedSessionKey)) {
      const pkesk = packet as unknown as { version: number; publicKeyAlgorithm: number; publicKeyID: openpgp.KeyID; encrypted: { V?: Uint8Array; C?: { data?: Uint8Array } } };
      if (pkesk.version !== 3 || pkesk.publicKeyAlgorithm !== openpgp.enums.publicKey.ecdh) continue;
      const sub = key.getKeys(pkesk.publicKeyID)[0];
      const prepared = sub && prepare(sub.keyPacket as unknown as EcdhSubkey);
      if (!prepared || !pkesk.encrypted.V || !pkesk.encrypted.C?.data) continue;
      return unwrapSessionKey(prepared, pkesk.encrypted.V, pkesk.encrypted.C.data);
    }
  } catch {
    // Fall through: openpgp.js decides.
  }
  return null;
}
