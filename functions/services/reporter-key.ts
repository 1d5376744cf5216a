/**
 * The server's check on a reporter's key pair: exactly the shape the web app makes, so a key
 * cannot carry a name, an address or any other text to the readers. A v4 ed25519 primary key with
 * one empty user ID and one cv25519 encryption subkey, each with one self-signature and nothing
 * in the signatures beyond what openpgp.js writes. What passes is stored in canonical armor.
 */
import * as openpgp from 'openpgp';
import { armor, dearmor, type ArmorType } from '../../shared/protocol/armor.ts';
import { CryptoError } from '../../shared/protocol/errors.ts';
import type { ArmoredPrivateKey, ArmoredPublicKey } from '../../shared/protocol/keys.ts';
import { readPackets, TAG, writePackets } from '../../shared/protocol/packets.ts';
import { badRequest } from '../errors.ts';

/** openpgp.js's per-signature salt: the one notation its keys carry. */
const SALT_NOTATION = 'salt@notations.openpgpjs.org';
const ISSUER_SUBPACKET = 16;

const refuse = (why: string) => badRequest('bad-key', `The reporter key is not one this site makes: ${why}.`);

/** The fields of a signature packet that openpgp.js parses but does not type. */
interface LooseSignature {
  rawNotations: Array<{ name: string; value: Uint8Array }>;
  unhashedSubpackets: Array<{ type: number; body: Uint8Array }>;
  unknownSubpackets: unknown[];
  policyURI: string | null;
  preferredKeyServer: string | null;
  signersUserID: string | null;
  regularExpression: unknown;
}

function checkSignature(signature: unknown) {
  const s = signature as LooseSignature;
  if (s.rawNotations.some((n) => n.name !== SALT_NOTATION || n.value.length > 32)) throw refuse('its signatures carry notations');
  if (s.unhashedSubpackets.some((p) => p.type !== ISSUER_SUBPACKET) || s.unknownSubpackets.length > 0) throw refuse('its signatures carry extra data');
  if (s.policyURI !== null || s.preferredKeyServer !== null || s.signersUserID !== null || s.regularExpression !== null) throw refuse('its signatures carry text');
}

/** Canonical bytes of an armored key whose packets are exactly `tags`. */
function canonicalPackets(text: string, type: ArmorType, tags: number[]): Uint8Array<ArrayBuffer> {
  let packets;
  try {
    packets = readPackets(dearmor(text, type));
  } catch (e) {
    if (e instanceof CryptoError) throw refuse(e.message);
    throw e;
  }
  if (packets.length !== tags.length || packets.some((p, i) => p.tag !== tags[i])) throw refuse('it has other packets than one key, one empty user ID and one encryption subkey');
  if (packets[1]!.body.length !== 0) throw refuse('its user ID is not empty (a key must not say who made it)');
  return writePackets(packets);
}

function checkShape(key: openpgp.Key) {
  const primary = key.getAlgorithmInfo() as { algorithm: string; curve?: string };
  const subkey = key.subkeys[0]?.getAlgorithmInfo() as { algorithm: string; curve?: string } | undefined;
  if (key.keyPacket.version !== 4 || primary.algorithm !== 'eddsaLegacy' || primary.curve !== 'ed25519Legacy') throw refuse('its primary key is not v4 ed25519');
  if (!subkey || subkey.algorithm !== 'ecdh' || subkey.curve !== 'curve25519Legacy') throw refuse('its subkey is not cv25519');
  const signatures = [...key.users.flatMap((u) => [...u.selfCertifications, ...u.otherCertifications, ...u.revocationSignatures]), ...key.subkeys.flatMap((k) => [...k.bindingSignatures, ...k.revocationSignatures])];
  signatures.forEach(checkSignature);
}

export interface CheckedReporterKeys {
  key: openpgp.PublicKey;
  publicKey: ArmoredPublicKey;
  lockedPrivateKey: ArmoredPrivateKey;
}

/** Checks both halves of the reporter's key pair; throws a 400 that says what is wrong. */
export async function checkReporterKeys(publicText: string, lockedText: string): Promise<CheckedReporterKeys> {
  const publicBytes = canonicalPackets(publicText, 'PUBLIC KEY BLOCK', [TAG.publicKey, TAG.userId, TAG.signature, TAG.publicSubkey, TAG.signature]);
  const lockedBytes = canonicalPackets(lockedText, 'PRIVATE KEY BLOCK', [TAG.secretKey, TAG.userId, TAG.signature, TAG.secretSubkey, TAG.signature]);
  let key: openpgp.PublicKey;
  let locked: openpgp.PrivateKey;
  try {
    key = await openpgp.readKey({ binaryKey: publicBytes }) as openpgp.PublicKey;
    locked = await openpgp.readPrivateKey({ binaryKey: lockedBytes });
  } catch {
    throw refuse('it does not parse as an OpenPGP key');
  }
  if (key.isPrivate()) throw refuse('the public key is a private key');
  checkShape(key);
  checkShape(locked);
  try {
    await key.getEncryptionKey();
    await key.getSigningKey();
  } catch {
    throw refuse('it cannot both sign and encrypt (expired, revoked or incomplete?)');
  }
  if (locked.isDecrypted()) throw badRequest('bad-key', 'The private key must be locked with a passphrase before it is sent.');
  if (locked.getFingerprint() !== key.getFingerprint()) throw badRequest('bad-key', 'The locked private key does not belong to the reporter public key.');
  return {
    key,
    publicKey: armor('PUBLIC KEY BLOCK', publicBytes) as ArmoredPublicKey,
    lockedPrivateKey: armor('PRIVATE KEY BLOCK', lockedBytes) as ArmoredPrivateKey,
  };
}
