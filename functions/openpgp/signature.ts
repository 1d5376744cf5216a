/**
 * OpenPGP v4 signatures (RFC 9580 §5.2) read and checked with node:crypto, so that the functions do
 * not carry openpgp.js (a third of a megabyte and most of a cold start) for the one thing they do
 * with it: check a signature by a key whose facts were worked out when the site was built
 * (shared/config/key-facts.ts), or by a reporter's key whose shape is fixed.
 *
 * Only what the server needs: EdDSA over Ed25519 (legacy and RFC 9580 forms) and RSA, SHA-2 hashes,
 * and a whitelist of subpackets per use. Anything else does not verify.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { SigningKey } from '../../shared/config/key-facts.ts';

export type { SigningKey } from '../../shared/config/key-facts.ts';

export const SIGNATURE_TYPE = { binary: 0x00, positiveCertification: 0x13, subkeyBinding: 0x18 } as const;
export const SUBPACKET = {
  created: 2,
  signatureExpires: 3,
  keyExpires: 9,
  preferredCiphers: 11,
  issuer: 16,
  notation: 20,
  preferredHashes: 21,
  preferredCompression: 22,
  primaryUserId: 25,
  keyFlags: 27,
  features: 30,
  issuerFingerprint: 33,
} as const;

const HASHES: Record<number, string> = { 8: 'sha256', 9: 'sha384', 10: 'sha512' };
export const ALGORITHM = { rsa: 1, rsaSign: 3, eddsaLegacy: 22, ed25519: 27 } as const;

export interface Subpacket {
  type: number;
  critical: boolean;
  body: Uint8Array;
}

export interface Signature {
  type: number;
  algorithm: number;
  hash: number;
  hashed: Subpacket[];
  unhashed: Subpacket[];
  /** Version to the end of the hashed subpackets: what the trailer covers. */
  hashedPart: Uint8Array;
  left16: Uint8Array;
  /** The algorithm's signature fields after the two hash octets. */
  material: Uint8Array;
}

class Malformed extends Error {}

const u16 = (b: Uint8Array, at: number) => {
  if (at + 2 > b.length) throw new Malformed();
  return (b[at]! << 8) | b[at + 1]!;
};
export const u32 = (b: Uint8Array, at = 0) => {
  if (at + 4 > b.length) throw new Malformed();
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
};

function readSubpackets(area: Uint8Array): Subpacket[] {
  const out: Subpacket[] = [];
  let at = 0;
  while (at < area.length) {
    const first = area[at++]!;
    let length: number;
    if (first < 192) length = first;
    else if (first < 255) {
      if (at >= area.length) throw new Malformed();
      length = ((first - 192) << 8) + area[at++]! + 192;
    } else {
      length = u32(area, at);
      at += 4;
    }
    if (length < 1 || at + length > area.length) throw new Malformed();
    out.push({ type: area[at]! & 0x7f, critical: (area[at]! & 0x80) !== 0, body: area.subarray(at + 1, at + length) });
    at += length;
  }
  return out;
}

/** Parses a v4 signature packet's body; null if it is not one. */
export function readSignature(body: Uint8Array): Signature | null {
  try {
    if (body[0] !== 4 || body.length < 10) return null;
    const hashedLength = u16(body, 4);
    const hashedEnd = 6 + hashedLength;
    const unhashedLength = u16(body, hashedEnd);
    const unhashedEnd = hashedEnd + 2 + unhashedLength;
    if (unhashedEnd + 2 > body.length) return null;
    return {
      type: body[1]!,
      algorithm: body[2]!,
      hash: body[3]!,
      hashed: readSubpackets(body.subarray(6, hashedEnd)),
      unhashed: readSubpackets(body.subarray(hashedEnd + 2, unhashedEnd)),
      hashedPart: body.subarray(0, hashedEnd),
      left16: body.subarray(unhashedEnd, unhashedEnd + 2),
      material: body.subarray(unhashedEnd + 2),
    };
  } catch (e) {
    if (e instanceof Malformed) return null;
    throw e;
  }
}

/**
 * The MPIs in `bytes`, each as its value's bytes; exactly `count` and nothing after them, each in
 * its one canonical form (bit count exact, no leading zero octet), or null.
 */
function readMpis(bytes: Uint8Array, count: number): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.length) return null;
    const bits = u16(bytes, at);
    const length = Math.ceil(bits / 8);
    at += 2;
    if (length === 0 || at + length > bytes.length) return null;
    if (32 - Math.clz32(bytes[at]!) !== bits - (length - 1) * 8) return null;
    out.push(bytes.subarray(at, at + length));
    at += length;
  }
  return at === bytes.length ? out : null;
}

const leftPad = (bytes: Uint8Array, size: number): Uint8Array | null => {
  if (bytes.length > size) return null;
  const out = new Uint8Array(size);
  out.set(bytes, size - bytes.length);
  return out;
};

const keyObjects = new WeakMap<SigningKey['jwk'], KeyObject>();
function keyObject(jwk: SigningKey['jwk']): KeyObject {
  let key = keyObjects.get(jwk);
  if (!key) keyObjects.set(jwk, (key = createPublicKey({ key: jwk, format: 'jwk' })));
  return key;
}

/** The signature's creation time in ms, from its hashed area; null if absent or given twice. */
export function createdAt(signature: Signature): number | null {
  const found = signature.hashed.filter((p) => p.type === SUBPACKET.created);
  return found.length === 1 && found[0]!.body.length === 4 ? u32(found[0]!.body, 0) * 1000 : null;
}

/** The signature mathematics `holds` leaves to the crypto library: algorithm (null for EdDSA), data, key and signature. */
interface Verification {
  algorithm: string | null;
  data: Uint8Array;
  key: KeyObject;
  signature: Uint8Array;
}

/**
 * Everything `holds` checks before the mathematics: the hash, its left 16 bits, the key type and
 * the signature's MPIs. Null where the signature cannot hold.
 */
function prepare(signature: Signature, key: SigningKey, signed: Uint8Array[]): Verification | null {
  const hashName = HASHES[signature.hash];
  if (!hashName) return null;
  const trailer = new Uint8Array(6);
  trailer[0] = 4;
  trailer[1] = 0xff;
  new DataView(trailer.buffer).setUint32(2, signature.hashedPart.length);
  const parts = [...signed, signature.hashedPart, trailer];
  const hash = createHash(hashName);
  for (const part of parts) hash.update(part);
  const digest = hash.digest();
  if (digest[0] !== signature.left16[0] || digest[1] !== signature.left16[1]) return null;
  try {
    if (key.jwk.kty === 'OKP') {
      let raw: Uint8Array | null = null;
      if (signature.algorithm === ALGORITHM.eddsaLegacy) {
        const mpis = readMpis(signature.material, 2);
        const r = mpis && leftPad(mpis[0]!, 32);
        const s = mpis && leftPad(mpis[1]!, 32);
        if (r && s) raw = Buffer.concat([r, s]);
      } else if (signature.algorithm === ALGORITHM.ed25519 && signature.material.length === 64) raw = signature.material;
      // EdDSA in OpenPGP signs the digest, not the data.
      return raw && { algorithm: null, data: digest, key: keyObject(key.jwk), signature: raw };
    }
    if (signature.algorithm !== ALGORITHM.rsa && signature.algorithm !== ALGORITHM.rsaSign) return null;
    const mpis = readMpis(signature.material, 1);
    const modulus = Buffer.from(key.jwk.n, 'base64url').length;
    const s = mpis && leftPad(mpis[0]!, modulus);
    return s && { algorithm: hashName, data: Buffer.concat(parts), key: keyObject(key.jwk), signature: s };
  } catch {
    return null;
  }
}

/**
 * True if `signature` is by `key` over `signed` (the parts the signature type hashes, in order)
 * and its mathematics holds. Checks nothing about subpackets or times: callers do.
 */
export function holds(signature: Signature, key: SigningKey, signed: Uint8Array[]): boolean {
  const v = prepare(signature, key, signed);
  try {
    return v !== null && cryptoVerify(v.algorithm, v.data, v.key, v.signature);
  } catch {
    return false;
  }
}

/**
 * `holds`, with the mathematics (the costly part: ~0.12 ms an ed25519 signature here) on libuv's
 * thread pool, so the event loop goes on serving other requests meanwhile. Never rejects.
 */
export function holdsOffThread(signature: Signature, key: SigningKey, signed: Uint8Array[]): Promise<boolean> {
  const v = prepare(signature, key, signed);
  if (!v) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      cryptoVerify(v.algorithm, v.data, v.key, v.signature, (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}

/** The issuer a signature names (key ID, and fingerprint if given), wherever it carries them. */
export function issuers(signature: Signature): { keyIds: string[]; fingerprints: string[] } {
  const all = [...signature.hashed, ...signature.unhashed];
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    keyIds: all.filter((p) => p.type === SUBPACKET.issuer).map((p) => hex(p.body)),
    fingerprints: all.filter((p) => p.type === SUBPACKET.issuerFingerprint && p.body[0] === 4).map((p) => hex(p.body.subarray(1))),
  };
}

/**
 * True only if `signature` (one v4 signature packet's body) is a valid binary-document signature
 * by `key` over `data`, made at a time the key was valid and not after `now` (plus `skew`). Every
 * subpacket must be one this check understands. Never throws.
 */
export function verifyDetached(key: SigningKey, data: Uint8Array, body: Uint8Array, now: number, skew = 0): boolean {
  const signature = readSignature(body);
  if (!signature || signature.type !== SIGNATURE_TYPE.binary) return false;
  const created = createdAt(signature);
  if (created === null || created > now + skew) return false;
  if (key.expires !== null && (now >= key.expires || created >= key.expires)) return false;
  const understood: number[] = [SUBPACKET.created, SUBPACKET.signatureExpires, SUBPACKET.issuer, SUBPACKET.issuerFingerprint];
  if ([...signature.hashed, ...signature.unhashed].some((p) => p.critical && !understood.includes(p.type))) return false;
  const expires = signature.hashed.find((p) => p.type === SUBPACKET.signatureExpires);
  if (expires && (expires.body.length !== 4 || (u32(expires.body, 0) > 0 && now >= created + u32(expires.body, 0) * 1000))) return false;
  const { keyIds, fingerprints } = issuers(signature);
  if (keyIds.some((id) => id !== key.keyId) || fingerprints.some((f) => !f.endsWith(key.keyId))) return false;
  return holds(signature, key, [data]);
}
