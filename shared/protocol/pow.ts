/**
 * Hashcash proof of work with SHA-256 from WebCrypto (no WebAssembly, so it works in Tor Browser's
 * safer mode). The work is bound to the request it protects, `SHA-256(token ":" binding ":" nonce)`,
 * where the binding is the access key: one solved challenge cannot be spent on another code or on
 * another case, so the server needs no record of spent challenges.
 */
import { sha256, utf8 } from './bytes.ts';

export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export async function workIsDone(token: string, binding: string, nonce: string, difficulty: number): Promise<boolean> {
  return leadingZeroBits(await sha256(utf8(`${token}:${binding}:${nonce}`))) >= difficulty;
}

export interface SolveOptions {
  signal?: AbortSignal;
  /** Called now and then with the number of hashes tried, for a progress display. */
  onProgress?: (tried: number) => void;
}

/** Finds a nonce; expected cost is 2^difficulty hashes. Hashes in batches to keep WebCrypto busy. */
export async function solveChallenge(
  challenge: { token: string; difficulty: number },
  binding: string,
  options: SolveOptions = {},
): Promise<string> {
  const batch = 64;
  for (let start = 0; ; start += batch) {
    options.signal?.throwIfAborted();
    const nonces = Array.from({ length: batch }, (_, i) => (start + i).toString(36));
    const done = await Promise.all(nonces.map((n) => workIsDone(challenge.token, binding, n, challenge.difficulty)));
    const found = done.indexOf(true);
    if (found >= 0) return nonces[found]!;
    if (start % 4096 === 0) options.onProgress?.(start + batch);
  }
}
