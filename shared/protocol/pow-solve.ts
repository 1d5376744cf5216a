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

/** SHA-256, from WebCrypto by default; the server passes Node's synchronous one (no promise and thread hop per hash). */
export type Digest = (data: Uint8Array<ArrayBuffer>) => Uint8Array | Promise<Uint8Array>;

export async function workIsDone(token: string, binding: string, nonce: string, difficulty: number, digest: Digest = sha256): Promise<boolean> {
  return leadingZeroBits(await digest(utf8(`${token}:${binding}:${nonce}`))) >= difficulty;
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

export async function solveInScript(token: string, binding: string, difficulty: number, options: SolveOptions): Promise<string> {
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

/**
 * Finds a nonce; expected cost is 2^difficulty hashes. Hashes in batches to keep WebCrypto busy,
 * writing each nonce into one buffer: `digest` copies its input before it returns (WebCrypto: "get
 * a copy of the bytes"), and without a JIT building a string and encoding it per hash cost twice
 * the hash.
 */
export async function solveWithWebCrypto(token: string, binding: string, difficulty: number, options: SolveOptions): Promise<string> {
  const prefix = utf8(`${token}:${binding}:`);
  // A nonce is at most 11 base-36 digits (Number.MAX_SAFE_INTEGER).
  const input = new Uint8Array(prefix.length + 11);
  input.set(prefix);
  const batch = 256;
  const pending = new Array<Promise<ArrayBuffer>>(batch);
  for (let start = 0; ; start += batch) {
    options.signal?.throwIfAborted();
    for (let i = 0; i < batch; i++) {
      const nonce = (start + i).toString(36);
      for (let j = 0; j < nonce.length; j++) input[prefix.length + j] = nonce.charCodeAt(j);
      pending[i] = crypto.subtle.digest('SHA-256', input.subarray(0, prefix.length + nonce.length));
    }
    const hashes = await Promise.all(pending);
    const found = hashes.findIndex((hash) => leadingZeroBits(new Uint8Array(hash)) >= difficulty);
    if (found >= 0) return (start + found).toString(36);
    if (start % 4096 === 0) options.onProgress?.(start + batch);
  }
}
