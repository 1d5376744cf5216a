/**
 * Hashcash proof of work with SHA-256 from WebCrypto (no WebAssembly, so it works in Tor Browser's
 * safer mode). The work is bound to the request it protects, `SHA-256(token ":" binding ":" nonce)`,
 * where the binding is the access key: one solved challenge cannot be spent on another code or on
 * another case, so the server needs no record of spent challenges.
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
 * How many smaller puzzles a challenge of `difficulty` is split into. One hashcash puzzle has an
 * exponential spread (one visitor in twenty waits three times the mean); sixteen puzzles of four
 * bits less ask the same expected work with a spread four times narrower. Low difficulties (tests,
 * benchmarks) stay one puzzle.
 */
export const puzzlesFor = (difficulty: number) => (difficulty >= 12 ? 16 : 1);

/**
 * Whether `nonce` solves the challenge for `binding`: one nonce for one puzzle, or one per puzzle
 * joined by `-`, puzzle i bound to `binding:i`.
 */
export async function proofHolds(token: string, binding: string, nonce: string, difficulty: number): Promise<boolean> {
  const count = puzzlesFor(difficulty);
  if (count === 1) return workIsDone(token, binding, nonce, difficulty);
  const parts = nonce.split('-');
  if (parts.length !== count) return false;
  const each = difficulty - Math.log2(count);
  for (const [i, part] of parts.entries()) if (!(await workIsDone(token, `${binding}:${i}`, part, each))) return false;
  return true;
}

/** Solves a challenge: expected cost 2^difficulty hashes, in `puzzlesFor(difficulty)` puzzles. */
export async function solveChallenge(
  challenge: { token: string; difficulty: number },
  binding: string,
  options: SolveOptions = {},
): Promise<string> {
  const count = puzzlesFor(challenge.difficulty);
  if (count === 1) return solvePuzzle(challenge.token, binding, challenge.difficulty, options);
  const nonces: string[] = [];
  const each = challenge.difficulty - Math.log2(count);
  for (let i = 0; i < count; i++) nonces.push(await solvePuzzle(challenge.token, `${binding}:${i}`, each, options));
  return nonces.join('-');
}

/**
 * With a JIT, hashing in JavaScript (one prefix state, copied per nonce) is several times faster
 * than a WebCrypto call per hash, whose cost is mostly the call. Without one (Tor Browser's safer
 * levels run jitless: no WebAssembly is the sign) WebCrypto's native code is faster. Both compute
 * the same SHA-256; the server checks with its own.
 */
const jit = typeof WebAssembly !== 'undefined';

async function solvePuzzle(token: string, binding: string, difficulty: number, options: SolveOptions): Promise<string> {
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
