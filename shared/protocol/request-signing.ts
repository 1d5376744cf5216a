/**
 * Officer and CLB requests are signed with their OpenPGP key: a detached signature over method,
 * path, timestamp, nonce and the SHA-256 of the body. The server checks it against configured
 * public keys, refuses stale timestamps and remembers nonces, so a captured request cannot be
 * replayed.
 */
import * as openpgp from 'openpgp';
import { sha256, toBase64Url, fromBase64Url, toHex, utf8 } from './bytes.ts';

export const HEADERS = {
  key: 'x-meldpunt-key',
  timestamp: 'x-meldpunt-timestamp',
  nonce: 'x-meldpunt-nonce',
  signature: 'x-meldpunt-signature',
} as const;

/** How far a request's clock may be from the server's. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export async function canonicalRequest(method: string, path: string, timestamp: string, nonce: string, body: string): Promise<string> {
  return ['meldpunt/v1', method.toUpperCase(), path, timestamp, nonce, toHex(await sha256(utf8(body)))].join('\n');
}

/** The headers that carry a request's signature. */
export async function signRequest(
  key: openpgp.PrivateKey,
  request: { method: string; path: string; body: string; now?: Date },
): Promise<Record<string, string>> {
  const timestamp = String((request.now ?? new Date()).getTime());
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const text = await canonicalRequest(request.method, request.path, timestamp, nonce, request.body);
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: utf8(text) }),
    signingKeys: key,
    detached: true,
    format: 'binary',
  });
  return {
    [HEADERS.key]: key.getFingerprint(),
    [HEADERS.timestamp]: timestamp,
    [HEADERS.nonce]: nonce,
    [HEADERS.signature]: toBase64Url(signature as Uint8Array),
  };
}

/** True only if `signature` is a valid detached signature by `key` over the canonical request. Never throws. */
export async function verifyRequestSignature(
  key: openpgp.PublicKey,
  request: { method: string; path: string; timestamp: string; nonce: string; body: string; signature: string },
): Promise<boolean> {
  try {
    const text = await canonicalRequest(request.method, request.path, request.timestamp, request.nonce, request.body);
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: utf8(text) }),
      signature: await openpgp.readSignature({ binarySignature: fromBase64Url(request.signature) }),
      verificationKeys: key,
      expectSigned: true,
      format: 'binary',
    });
    return result.signatures.length === 1 && (await result.signatures[0]!.verified) === true;
  } catch {
    return false;
  }
}
