/** The server's check of an officer's or CLB's signed request (shared/protocol/request-text.ts). */
import { fromBase64Url, utf8 } from '../../shared/protocol/bytes.ts';
import { readPackets, TAG } from '../../shared/protocol/packets.ts';
import { canonicalRequest, MAX_SKEW_MS } from '../../shared/protocol/request-text.ts';
import { verifyDetached, type SigningKey } from './signature.ts';

/**
 * True only if `signature` (base64url of one OpenPGP signature packet) is a valid detached
 * signature by `key` over the canonical request, made no later than `now` (within the allowed
 * clock skew). Never throws.
 */
export async function verifyRequestSignature(
  key: SigningKey,
  request: { method: string; path: string; timestamp: string; nonce: string; body: string; signature: string },
  now: number,
): Promise<boolean> {
  try {
    const packets = readPackets(fromBase64Url(request.signature));
    if (packets.length !== 1 || packets[0]!.tag !== TAG.signature) return false;
    const text = await canonicalRequest(request.method, request.path, request.timestamp, request.nonce, request.body);
    return verifyDetached(key, utf8(text), packets[0]!.body, now, MAX_SKEW_MS);
  } catch {
    return false;
  }
}
