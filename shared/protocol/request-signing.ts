/**
 * Officer and CLB requests are signed with their OpenPGP key: a detached signature over the
 * canonical request text (request-text.ts). This is the signing side, used by the officer's tool.
 */
import * as openpgp from 'openpgp';
import { toBase64Url, utf8 } from './bytes.ts';
import { canonicalRequest, HEADERS } from './request-text.ts';
import { isExternal, publicOf, type OfficerKey } from './external-key.ts';

export { canonicalRequest, HEADERS, MAX_SKEW_MS } from './request-text.ts';

/** The headers that carry a request's signature. */
export async function signRequest(
  key: OfficerKey,
  request: { method: string; path: string; body: string; now?: Date },
): Promise<Record<string, string>> {
  const timestamp = String((request.now ?? new Date()).getTime());
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const text = await canonicalRequest(request.method, request.path, timestamp, nonce, request.body);
  const signature = isExternal(key)
    ? await key.signDetached(utf8(text))
    : await openpgp.sign({ message: await openpgp.createMessage({ binary: utf8(text) }), signingKeys: key, detached: true, format: 'binary' });
  return {
    [HEADERS.key]: publicOf(key).getFingerprint(),
    [HEADERS.timestamp]: timestamp,
    [HEADERS.nonce]: nonce,
    [HEADERS.signature]: toBase64Url(signature as Uint8Array),
  };
}
