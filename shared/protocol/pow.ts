/**
 * Hashcash proof of work with SHA-256 from WebCrypto (no WebAssembly, so it works in Tor Browser's
 * safer mode). The work is bound to the request it protects, `SHA-256(token ":" binding ":" nonce)`,
 * where the binding is the access key: one solved challenge cannot be spent on another code or on
 * another case, so the server needs no record of spent challenges.
 */
import { solvePuzzle, workIsDone, type Digest, type SolveOptions } from './pow-solve.ts';

export { leadingZeroBits, workIsDone, type Digest, type SolveOptions } from './pow-solve.ts';

/**
 * How many smaller puzzles a challenge of `difficulty` is split into. One hashcash puzzle has an
 * exponential spread (one visitor in twenty waits three times the mean); 32 puzzles of five bits
 * less ask the same expected work with a spread √32 ≈ 5.7 times narrower (sixteen left one send in
 * twenty at 1.5 times the median without a JIT). Low difficulties (tests, benchmarks) stay one puzzle.
 */
export const puzzlesFor = (difficulty: number) => (difficulty >= 12 ? 32 : 1);

/**
 * Whether `nonce` solves the challenge for `binding`: one nonce for one puzzle, or one per puzzle
 * joined by `-`, puzzle i bound to `binding:i`.
 */
export async function proofHolds(token: string, binding: string, nonce: string, difficulty: number, digest?: Digest): Promise<boolean> {
  const count = puzzlesFor(difficulty);
  if (count === 1) return workIsDone(token, binding, nonce, difficulty, digest);
  const parts = nonce.split('-');
  if (parts.length !== count) return false;
  const each = difficulty - Math.log2(count);
  for (const [i, part] of parts.entries()) if (!(await workIsDone(token, `${binding}:${i}`, part, each, digest))) return false;
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
  const each = challenge.difficulty - Math.log2(count);
  const puzzles = Array.from({ length: count }, (_, i): Puzzle => ({ token: challenge.token, binding: `${binding}:${i}`, difficulty: each }));
  const nonces = (await solveInWorkers(puzzles, options.signal)) ?? [];
  for (let i = nonces.length; i < count; i++) nonces.push(await solvePuzzle(challenge.token, `${binding}:${i}`, each, options));
  return nonces.join('-');
}

export interface Puzzle {
  token: string;
  binding: string;
  difficulty: number;
}

/** At most this many workers: phones have 4 to 8 cores, and the page must stay responsive. */
const MAX_WORKERS = 4;

/**
 * In a browser with more than one core, the puzzles are shared among Web Workers (a same-origin
 * script, which the CSP's `script-src 'self'` allows), so a challenge takes the time of one share.
 * Resolves to every nonce in order, or null where there are no workers (Node, one core) or one
 * fails to start: the caller then solves in this thread.
 */
async function solveInWorkers(puzzles: Puzzle[], signal?: AbortSignal): Promise<string[] | null> {
  const cores = typeof navigator === 'undefined' ? 1 : (navigator.hardwareConcurrency ?? 1);
  if (typeof Worker !== 'function' || cores < 2) return null;
  const workers: Worker[] = [];
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const nonces: string[] = [];
      let next = 0;
      let solved = 0;
      const give = (worker: Worker) => {
        if (next < puzzles.length) worker.postMessage({ index: next, ...puzzles[next++]! });
      };
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      for (let i = 0; i < Math.min(cores, MAX_WORKERS, puzzles.length); i++) {
        const worker = new Worker(new URL('./pow-worker.ts', import.meta.url), { type: 'module' });
        worker.onmessage = (event: MessageEvent<{ index: number; nonce: string }>) => {
          nonces[event.data.index] = event.data.nonce;
          if (++solved === puzzles.length) resolve(nonces);
          else give(worker);
        };
        worker.onerror = () => reject(new Error('worker failed'));
        workers.push(worker);
        give(worker);
      }
    });
  } catch {
    signal?.throwIfAborted();
    return null;
  } finally {
    for (const worker of workers) worker.terminate();
  }
}

