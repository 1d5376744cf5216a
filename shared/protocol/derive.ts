/**
 * Keys derived from the retrieval code (protocol v1), with HKDF-SHA-256 from WebCrypto so that
 * browser and Node derive the same bytes. The access key is sent to the server; the unlock
 * passphrase never leaves the browser and locks the reporter's private key.
 */
import type { RetrievalCode } from './code.ts';
import { toBase64Url, utf8 } from './bytes.ts';

declare const accessKey: unique symbol;
/** 256 bits, base64url: the only thing derived from the code that the server ever sees. */
export type AccessKey = string & { readonly [accessKey]: true };

export const HKDF_SALT = 'meldpunt/v1';
export const ACCESS_INFO = 'meldpunt/v1/access';
export const UNLOCK_INFO = 'meldpunt/v1/unlock';

export interface CodeKeys {
  accessKey: AccessKey;
  unlockPassphrase: string;
}

async function hkdf(code: RetrievalCode, info: string): Promise<string> {
  const ikm = await crypto.subtle.importKey('raw', utf8(code), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(HKDF_SALT), info: utf8(info) },
    ikm,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}

export async function deriveCodeKeys(code: RetrievalCode): Promise<CodeKeys> {
  const [access, unlock] = await Promise.all([hkdf(code, ACCESS_INFO), hkdf(code, UNLOCK_INFO)]);
  return { accessKey: access as AccessKey, unlockPassphrase: unlock };
}
