/**
 * What the functions need to know of each configured key, worked out once with openpgp.js when the
 * site is built (or the local server starts), so that the functions themselves carry no OpenPGP
 * library: the fingerprint a request names, the key ID a message's PKESK packet carries, and the
 * signing key that checks an officer's requests (functions/openpgp/signature.ts).
 */
import type * as openpgp from 'openpgp';
import type { Config } from './schema.ts';
import { encryptionKeyId, fingerprintOf, readPublicKey } from '../protocol/keys.ts';
import { toBase64Url } from '../protocol/bytes.ts';
import { CryptoError } from '../protocol/errors.ts';

/** A public signing key as JSON: what the build works out of a configured key, or we read from a reporter's. */
export interface SigningKey {
  /** 16 lower-case hex digits: the key ID a signature by this key names as issuer. */
  keyId: string;
  /** A JSON Web Key: `{kty: 'OKP', crv: 'Ed25519', x}` or `{kty: 'RSA', n, e}`. */
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } | { kty: 'RSA'; n: string; e: string };
  /** When the key stops being valid, in ms since 1970, or null. */
  expires: number | null;
}

export interface KeyFacts {
  fingerprint: string;
  encryptionKeyId: string;
  signing: SigningKey;
}

/** Each configured key's facts, keyed by the armored key as the config gives it. */
export type ConfigKeyFacts = Record<string, KeyFacts>;

const time = (t: Date | number | null) => (t instanceof Date ? t.getTime() : null);

/** The facts of one key that `readPublicKey` accepts; throws CryptoError('bad-key') for a signing algorithm the server cannot check. */
export async function factsOf(key: openpgp.PublicKey): Promise<KeyFacts> {
  const signing = await key.getSigningKey();
  const params = signing.keyPacket.publicParams as { Q?: Uint8Array; A?: Uint8Array; n?: Uint8Array; e?: Uint8Array };
  const { algorithm, curve } = signing.getAlgorithmInfo() as { algorithm: string; curve?: string };
  let jwk: KeyFacts['signing']['jwk'];
  if (algorithm === 'eddsaLegacy' && curve === 'ed25519Legacy' && params.Q?.length === 33 && params.Q[0] === 0x40) jwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(params.Q.subarray(1)) };
  else if (algorithm === 'ed25519' && params.A?.length === 32) jwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(params.A) };
  else if ((algorithm === 'rsaEncryptSign' || algorithm === 'rsaSign') && params.n && params.e) jwk = { kty: 'RSA', n: toBase64Url(params.n), e: toBase64Url(params.e) };
  else throw new CryptoError('bad-key', `its signing key is ${algorithm}${curve ? ` (${curve})` : ''}; the server checks ed25519 and RSA signatures only`);
  const expiries = [time(await key.getExpirationTime()), signing === key ? null : time(await (signing as openpgp.Subkey).getExpirationTime())].filter((t): t is number => t !== null);
  return {
    fingerprint: fingerprintOf(key),
    encryptionKeyId: await encryptionKeyId(key),
    signing: { keyId: signing.getKeyID().toHex(), jwk, expires: expiries.length ? Math.min(...expiries) : null },
  };
}

/** Facts for every key in a config already checked by `parseConfig`. */
export async function keyFactsOf(config: Config): Promise<ConfigKeyFacts> {
  const armored = [...config.channels.flatMap((c) => c.recipients.map((r) => r.publicKey)), ...config.escalation.map((e) => e.publicKey)];
  const facts: ConfigKeyFacts = {};
  for (const text of armored) facts[text] ??= await factsOf(await readPublicKey(text));
  return facts;
}
