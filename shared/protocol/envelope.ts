/**
 * Sign-then-encrypt and decrypt-then-verify for protocol v1 payloads. The server's check of what it
 * stores is `ciphertext.ts`.
 *
 * Messages are SEIPD v1 (openpgp.js default, aeadProtect off) without compression, so GnuPG 2.2
 * reads them and padding is not undone by compression.
 */
import * as openpgp from 'openpgp';
import { CryptoError } from './errors.ts';
import { fromUtf8 } from './bytes.ts';
import { padJson } from './padding.ts';
import { fingerprintOf, type Fingerprint } from './keys.ts';
import { externallySigned, isExternal, publicOf, sessionKeysFor, type OfficerKey } from './external-key.ts';

declare const brand: unique symbol;
export type ArmoredMessage = string & { readonly [brand]: 'ArmoredMessage' };

const config = { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed, aeadProtect: false };

export async function sealPayload(options: {
  payload: unknown;
  signingKey: OfficerKey;
  encryptionKeys: openpgp.PublicKey[];
}): Promise<ArmoredMessage> {
  const key = options.signingKey;
  const bytes = padJson(options.payload);
  // A key held elsewhere (GnuPG, a token) signs first; the result is encrypted the same way.
  const armored = isExternal(key)
    ? await openpgp.encrypt({ message: await externallySigned(bytes, key), encryptionKeys: options.encryptionKeys, format: 'armored', config })
    : await openpgp.encrypt({ message: await openpgp.createMessage({ binary: bytes, format: 'binary' }), encryptionKeys: options.encryptionKeys, signingKeys: key, format: 'armored', config });
  return armored as ArmoredMessage;
}

/** A key whose signature we would accept, and the name the reader knows it by. */
export interface ExpectedSigner {
  key: openpgp.PublicKey;
  name: string;
}

export type SignatureCheck =
  | { status: 'verified'; fingerprint: Fingerprint; name: string }
  | { status: 'unsigned' }
  /** Signed, but by no key the reader expects: what a server forgery with its own key looks like. */
  | { status: 'unknown-signer'; keyId: string }
  /** Claims an expected signer, but the signature does not verify. */
  | { status: 'bad-signature'; fingerprint: Fingerprint; name: string };

export interface Opened {
  payload: unknown;
  signature: SignatureCheck;
}

/**
 * Decrypts, then says who signed. Throws CryptoError for anything that cannot be decrypted or is
 * not JSON; a missing or foreign signature is not an error but a `signature` result to show.
 */
export async function openPayload(options: {
  message: string;
  decryptionKey: OfficerKey;
  expectedSigners: ExpectedSigner[];
  /** A faster way to the session key (the officer tool's, in Node); null lets openpgp.js find it. */
  sessionKey?: (message: openpgp.Message<Uint8Array>, key: openpgp.PrivateKey) => openpgp.SessionKey | null;
}): Promise<Opened> {
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await openpgp.readMessage({ armoredMessage: options.message });
  } catch (cause) {
    throw new CryptoError('not-encrypted', 'not an armored OpenPGP message', { cause });
  }
  const key = options.decryptionKey;
  const ours = new Set(publicOf(key).getKeys().map((k) => k.getKeyID().toHex()));
  if (!message.getEncryptionKeyIDs().some((id) => ours.has(id.toHex()))) {
    throw new CryptoError('not-for-this-key', 'this message is not encrypted to this key');
  }
  // A key held elsewhere answers here; its failures (a stopped agent, a cancelled PIN) are its own, not the message's.
  const external = isExternal(key) ? (await sessionKeysFor(message, key))[0] : undefined;
  if (isExternal(key) && !external) throw new CryptoError('not-for-this-key', 'no session key for this key');
  let result: Awaited<ReturnType<typeof openpgp.decrypt<Uint8Array>>>;
  try {
    const sessionKey = external ?? options.sessionKey?.(message, key as openpgp.PrivateKey);
    result = await openpgp.decrypt({
      message,
      ...(sessionKey ? { sessionKeys: sessionKey } : { decryptionKeys: key as openpgp.PrivateKey }),
      verificationKeys: options.expectedSigners.map((s) => s.key),
      format: 'binary',
      config,
    });
  } catch (cause) {
    throw new CryptoError('corrupt', 'the message does not decrypt: damaged or altered', { cause });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(fromUtf8(result.data as Uint8Array));
  } catch (cause) {
    throw new CryptoError('corrupt', 'the decrypted message is not protocol v1 JSON', { cause });
  }
  return { payload, signature: await checkSignature(result.signatures, options.expectedSigners) };
}

async function checkSignature(
  signatures: openpgp.VerifyMessageResult['signatures'],
  expected: ExpectedSigner[],
): Promise<SignatureCheck> {
  const first = signatures[0];
  if (!first) return { status: 'unsigned' };
  const signer = expected.find((s) => s.key.getKeys(first.keyID).length > 0);
  if (!signer) return { status: 'unknown-signer', keyId: first.keyID.toHex() };
  const fingerprint = fingerprintOf(signer.key);
  try {
    await first.verified;
    return { status: 'verified', fingerprint, name: signer.name };
  } catch {
    return { status: 'bad-signature', fingerprint, name: signer.name };
  }
}
