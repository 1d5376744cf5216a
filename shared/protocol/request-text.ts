/**
 * What an officer or CLB request's signature covers: method, path, timestamp, nonce and the SHA-256
 * of the body, one per line. The tool signs it (request-signing.ts); the server checks it
 * (functions/openpgp/request.ts), refuses stale timestamps and remembers nonces, so a captured
 * request cannot be replayed.
 */
import { sha256, toHex, utf8 } from './bytes.ts';

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
