/**
 * The server's check on a reporter's key pair: exactly the shape the web app makes, so a key
 * cannot carry a name, an address or any other text to the readers. A v4 ed25519 primary key with
 * one empty user ID and one cv25519 encryption subkey, each with one valid self-signature that
 * holds nothing beyond what openpgp.js writes; the locked private key is the same key, its secrets
 * locked with a passphrase. Read byte by byte here (no openpgp.js in the functions). What passes is
 * stored in canonical armor.
 */
import { createHash } from 'node:crypto';
import { armor, dearmor, type ArmorType } from '../../shared/protocol/armor.ts';
import { toBase64Url } from '../../shared/protocol/bytes.ts';
import { CryptoError } from '../../shared/protocol/errors.ts';
import type { ArmoredPrivateKey, ArmoredPublicKey, Fingerprint } from '../../shared/protocol/keys.ts';
import { readPackets, TAG, writePackets, type Packet } from '../../shared/protocol/packets.ts';
import { badRequest } from '../errors.ts';
import { ALGORITHM, createdAt, holdsOffThread, issuers, readSignature, SIGNATURE_TYPE, SUBPACKET, u32, type Signature, type SigningKey } from '../openpgp/signature.ts';

/** openpgp.js's per-signature salt: the one notation its keys carry. */
const SALT_NOTATION = 'salt@notations.openpgpjs.org';
const ED25519_OID = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01];
const CURVE25519_OID = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01];
const ECDH = 18;
/** Subpackets openpgp.js writes in a key's self-signatures (and a key expiry, should it set one). */
const HASHED: number[] = [
  SUBPACKET.created, SUBPACKET.keyExpires, SUBPACKET.preferredCiphers, SUBPACKET.issuer, SUBPACKET.notation, SUBPACKET.preferredHashes,
  SUBPACKET.preferredCompression, SUBPACKET.primaryUserId, SUBPACKET.keyFlags, SUBPACKET.features, SUBPACKET.issuerFingerprint,
];
const FLAG = { sign: 0x02, encrypt: 0x0c } as const;
/**
 * How far ahead of the server's clock a reporter's device may be when it makes the key: a phone
 * whose clock runs fast must not be turned away (the times say nothing the server relies on).
 */
export const DEVICE_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

const refuse = (why: string) => badRequest('bad-key', `The reporter key is not one this site makes: ${why}.`);

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((x, i) => bytes[i] === x);

/** A v4 key packet body as hashed in a signature or fingerprint: 0x99, two-octet length, body. */
function framed(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + body.length);
  out[0] = 0x99;
  out[1] = body.length >> 8;
  out[2] = body.length & 0xff;
  out.set(body, 3);
  return out;
}

const fingerprintOf = (body: Uint8Array) => createHash('sha1').update(framed(body)).digest('hex');

/**
 * The public part of a v4 key packet of the given shape, and its creation time; throws if it is
 * another shape. Ed25519 (legacy EdDSA) primary key: 51 octets; cv25519 ECDH subkey: 56 octets.
 */
function publicPart(body: Uint8Array, kind: 'primary' | 'subkey'): { part: Uint8Array; created: number } {
  const [algorithm, oid, length] = kind === 'primary' ? [ALGORITHM.eddsaLegacy, ED25519_OID, 51] : [ECDH, CURVE25519_OID, 56];
  const at = 6 + 1 + oid.length;
  const shaped =
    body.length >= length &&
    body[0] === 4 &&
    body[5] === algorithm &&
    body[6] === oid.length &&
    startsWith(body.subarray(7), oid) &&
    // MPI of 263 bits: 0x40 and the 32-octet point.
    body[at] === 0x01 && body[at + 1] === 0x07 && body[at + 2] === 0x40 &&
    // ECDH: KDF parameters, 3 octets: reserved 1, SHA-2 hash, AES key wrap.
    (kind === 'primary' || (body[at + 35] === 3 && body[at + 36] === 1 && [8, 9, 10].includes(body[at + 37]!) && [7, 8, 9].includes(body[at + 38]!)));
  if (!shaped) throw refuse(kind === 'primary' ? 'its primary key is not v4 ed25519' : 'its subkey is not cv25519');
  return { part: body.subarray(0, length), created: u32(body, 1) * 1000 };
}

function readArmored(text: string, type: ArmorType): Packet[] {
  try {
    return readPackets(dearmor(text, type));
  } catch (e) {
    if (e instanceof CryptoError) throw refuse(e.message);
    throw e;
  }
}

/** Nothing in a self-signature beyond what openpgp.js writes: no notations but its salt, no text, no extra data. */
function checkSubpackets(signature: Signature) {
  for (const p of signature.hashed) {
    if (!HASHED.includes(p.type)) throw refuse('its signatures carry extra data');
    if (p.type === SUBPACKET.notation) {
      const nameLength = (p.body[4]! << 8) | p.body[5]!;
      const valueLength = (p.body[6]! << 8) | p.body[7]!;
      const name = new TextDecoder().decode(p.body.subarray(8, 8 + nameLength));
      if (name !== SALT_NOTATION || valueLength > 32 || p.body.length !== 8 + nameLength + valueLength) throw refuse('its signatures carry notations');
    }
  }
  if (signature.unhashed.some((p) => p.type !== SUBPACKET.issuer)) throw refuse('its signatures carry extra data');
}

/**
 * A self-signature of the given type over `signed`, by the primary key, valid now, with `flags`
 * among its key flags. Returns when the key it speaks for expires (ms), or null, and whether its
 * mathematics holds: worked out off the event loop, for the caller to await.
 */
function checkSelfSignature(
  body: Uint8Array,
  types: number[],
  key: SigningKey & { fingerprint: string },
  signed: Uint8Array[],
  keyCreated: number,
  flags: number,
  now: number,
): { expires: number | null; holds: Promise<boolean> } {
  const signature = readSignature(body);
  if (!signature || !types.includes(signature.type) || signature.algorithm !== ALGORITHM.eddsaLegacy) throw refuse('its self-signatures are not ed25519 signatures of the right kind');
  checkSubpackets(signature);
  const { keyIds, fingerprints } = issuers(signature);
  if (keyIds.some((id) => id !== key.keyId) || fingerprints.some((f) => f !== key.fingerprint)) throw refuse('its self-signatures name another issuer');
  const created = createdAt(signature);
  const keyFlags = signature.hashed.filter((p) => p.type === SUBPACKET.keyFlags);
  const expiry = signature.hashed.filter((p) => p.type === SUBPACKET.keyExpires);
  if (created === null || keyFlags.length !== 1 || !(keyFlags[0]!.body[0]! & flags) || expiry.length > 1) {
    throw refuse('its self-signatures do not hold');
  }
  const seconds = expiry[0]?.body.length === 4 ? u32(expiry[0].body) : 0;
  const expires = seconds > 0 ? keyCreated + seconds * 1000 : null;
  const latest = now + DEVICE_CLOCK_AHEAD_MS;
  if (created < keyCreated || created > latest || keyCreated > latest || (expires !== null && now >= expires)) {
    throw refuse('it cannot both sign and encrypt (expired, revoked or incomplete?)');
  }
  return { expires, holds: holdsOffThread(signature, key, signed) };
}

export interface CheckedReporterKeys {
  fingerprint: Fingerprint;
  /** The key ID a PKESK packet to the reporter carries: the subkey's. */
  encryptionKeyId: string;
  publicKey: ArmoredPublicKey;
  lockedPrivateKey: ArmoredPrivateKey;
}

/** Checks both halves of the reporter's key pair; rejects with a 400 that says what is wrong. */
export async function checkReporterKeys(publicText: string, lockedText: string, now = Date.now()): Promise<CheckedReporterKeys> {
  const shape = 'it has other packets than one key, one empty user ID and one encryption subkey';
  const pub = readArmored(publicText, 'PUBLIC KEY BLOCK');
  if (pub.length !== 5 || pub.some((p, i) => p.tag !== [TAG.publicKey, TAG.userId, TAG.signature, TAG.publicSubkey, TAG.signature][i])) throw refuse(shape);
  const locked = readArmored(lockedText, 'PRIVATE KEY BLOCK');
  if (locked.length !== 5 || locked.some((p, i) => p.tag !== [TAG.secretKey, TAG.userId, TAG.signature, TAG.secretSubkey, TAG.signature][i])) throw refuse(shape);
  if (pub[1]!.body.length !== 0 || locked[1]!.body.length !== 0) throw refuse('its user ID is not empty (a key must not say who made it)');
  if (pub[0]!.body.length !== 51 || pub[3]!.body.length !== 56) throw refuse('its keys carry extra data');

  const primary = publicPart(pub[0]!.body, 'primary');
  const subkey = publicPart(pub[3]!.body, 'subkey');
  const fingerprint = fingerprintOf(primary.part);
  const key = { keyId: fingerprint.slice(-16), fingerprint, jwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: toBase64Url(primary.part.subarray(19, 51)) }, expires: null };
  const userId = new Uint8Array([0xb4, 0, 0, 0, 0]);
  const certification = checkSelfSignature(pub[2]!.body, [0x10, 0x11, 0x12, SIGNATURE_TYPE.positiveCertification], key, [framed(primary.part), userId], primary.created, FLAG.sign, now);
  const binding = checkSelfSignature(pub[4]!.body, [SIGNATURE_TYPE.subkeyBinding], key, [framed(primary.part), framed(subkey.part)], subkey.created, FLAG.encrypt, now);
  if (certification.expires !== null && subkey.created >= certification.expires) throw refuse('it cannot both sign and encrypt (expired, revoked or incomplete?)');

  // The locked key: the same public keys and signatures, and secrets that are locked.
  const same = equal(publicPart(locked[0]!.body, 'primary').part, primary.part) && equal(publicPart(locked[3]!.body, 'subkey').part, subkey.part);
  if (!same || !equal(locked[2]!.body, pub[2]!.body) || !equal(locked[4]!.body, pub[4]!.body)) {
    throw badRequest('bad-key', 'The locked private key does not belong to the reporter public key.');
  }
  // S2K usage after the public part: 254 or 253 is locked with a passphrase; 0 is not locked.
  if (![locked[0]!.body[51], locked[3]!.body[56]].every((usage) => usage === 254 || usage === 253)) {
    throw badRequest('bad-key', 'The private key must be locked with a passphrase before it is sent.');
  }
  // Both verifications ran on the thread pool while the checks above went on.
  const [certified, bound] = await Promise.all([certification.holds, binding.holds]);
  if (!certified || !bound) throw refuse('its self-signatures do not hold');
  return {
    fingerprint: fingerprint as Fingerprint,
    encryptionKeyId: fingerprintOf(subkey.part).slice(-16),
    publicKey: armor('PUBLIC KEY BLOCK', writePackets(pub)) as ArmoredPublicKey,
    lockedPrivateKey: armor('PRIVATE KEY BLOCK', writePackets(locked)) as ArmoredPrivateKey,
  };
}
