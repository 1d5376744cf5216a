/**
 * Forged proofs of work at a production-like difficulty, where a challenge is 32 puzzles: every
 * malformed or misplaced set of nonces is a 400 that names the proof, and nothing is stored. A
 * correct set is accepted, so the refusals are about the nonces and not the rest of the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proofHolds, puzzlesFor } from '../../shared/protocol/pow.ts';
import { buildSubmission, post, proof } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const DIFFICULTY = 12;
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ powDifficulty: DIFFICULTY });
});
afterAll(() => stack?.stop());

describe('forged proofs of work in 32 puzzles', () => {
  it('are refused, each as a 400 about the proof, with nothing stored; the real one is accepted', async () => {
    expect(puzzlesFor(DIFFICULTY)).toBe(32);
    const built = await buildSubmission(stack.url, stack.config);
    const pow = await proof(stack.url, 'submit', built.accessKey);
    const parts = pow.nonce.split('-');
    const elsewhere = (await proof(stack.url, 'submit', (await buildSubmission(stack.url, stack.config)).accessKey)).nonce.split('-');
    const forged: Array<[string, string]> = [
      ['one puzzle left out', parts.slice(1).join('-')],
      ['one puzzle too many', [...parts, parts[0]!].join('-')],
      ['two puzzles swapped', [parts[1], parts[0], ...parts.slice(2)].join('-')],
      ['one puzzle empty', ['', ...parts.slice(1)].join('-')],
      ['nonces solved for another access key', elsewhere.join('-')],
      ['only dashes', '-'.repeat(31)],
      ['other characters', ['é', '\u0000', '💥', ...parts.slice(3)].join('-')],
    ];
    for (const [what, nonce] of forged) {
      // A forgery that happens to hold (an empty nonce solves a 7-bit puzzle 1 time in 128) is no forgery.
      if (await proofHolds(pow.token, built.accessKey, nonce, DIFFICULTY)) continue;
      const before = await stack.countItems();
      const res = await post(stack.url, '/api/reports', { ...built.body, pow: { token: pow.token, nonce } });
      expect([res.status, res.json.error?.code], what).toEqual([400, 'pow-not-done']);
      expect(await stack.countItems(), what).toBe(before);
    }
    const tooLong = await post(stack.url, '/api/reports', { ...built.body, pow: { token: pow.token, nonce: `${pow.nonce}-${'0'.repeat(400)}` } });
    expect([tooLong.status, tooLong.json.error?.code]).toEqual([400, 'invalid-request']);

    const res = await post(stack.url, '/api/reports', { ...built.body, pow });
    expect(res.status).toBe(201);
  });
});
