/**
 * Solving one proof-of-work puzzle, in this thread: what the page runs without workers and what
 * each worker (pow-worker.ts) runs. Apart from pow.ts so that a worker does not bundle the code
 * that starts workers.
 */
import { sha256, utf8 } from './bytes.ts';
import { prefixHasher } from './sha256.ts';

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

/**
 * With a JIT, hashing in JavaScript (one prefix state, copied per nonce) is several times faster
 * than a WebCrypto call per hash, whose cost is mostly the call. Without one (Tor Browser's safer
 * levels run jitless: no WebAssembly is the sign) WebCrypto's native code is faster. Both compute
 * the same SHA-256; the server checks with its own.
 */
const jit = typeof WebAssembly !== 'undefined';

export async function solvePuzzle(token: string, binding: string, difficulty: number, options: SolveOptions): Promise<string> {
  return jit ? solveInScript(token, binding, difficulty, options) : solveWithWebCrypto(token, binding, difficulty, options);
}

async function solveInScript(token: string, binding: string, difficulty: number, options: SolveOptions): Promise<string> {
  const hash = prefixHasher(utf8(`${token}:${binding}:`));
  for (let n = 0; ; n++) {
    if (n % 8192 === 0) {
      // Let the page breathe (and be cancelled) every few milliseconds.
      await new Promise((ok) => setTimeout(ok, 0));
      options.signal?.throwIfAborted();
      if (n) options.onProgress?.(n);
    }
    const nonce = n.toString(36);
    if (leadingZeroBits(hash(utf8(nonce))) >= difficulty) return nonce;
  }
}

/** Finds a nonce; expected cost is 2^difficulty hashes. Hashes in batches to keep WebCrypto busy. */
async function solveWithWebCrypto(token: string, binding: string, difficulty: number, options: SolveOptions): Promise<string> {
  const challenge = { token, difficulty };
  const batch = 256;
  for (let start = 0; ; start += batch) {
    options.signal?.throwIfAborted();
    const nonces = Array.from({ length: batch }, (_, i) => (start + i).toString(36));
    const done = await Promise.all(nonces.map((n) => workIsDone(challenge.token, binding, n, challenge.difficulty)));
    const found = done.indexOf(true);
    if (found >= 0) return nonces[found]!;
    if (start % 4096 === 0) options.onProgress?.(start + batch);
  }
}
