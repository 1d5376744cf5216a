/** A Web Worker that solves the proof-of-work puzzles it is handed, one at a time (pow.ts `solveInWorkers`). */
import { solvePuzzle } from './pow-solve.ts';
import type { Puzzle } from './pow.ts';

self.onmessage = async (event: MessageEvent<Puzzle & { index: number }>) => {
  const { index, token, binding, difficulty } = event.data;
  self.postMessage({ index, nonce: await solvePuzzle(token, binding, difficulty, {}) });
};
