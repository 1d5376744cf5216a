import { describe, expect, it } from 'vitest';
import { leadingZeroBits, proofHolds, puzzlesFor, solveChallenge, workIsDone } from './pow.ts';

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x80]))).toBe(16);
    expect(leadingZeroBits(new Uint8Array([0x0f]))).toBe(4);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it('finds a nonce that holds only for the binding it was solved for', async () => {
    const challenge = { token: 'v1.submit.10.x', difficulty: 10 };
    const nonce = await solveChallenge(challenge, 'access-key-a');
    expect(await workIsDone(challenge.token, 'access-key-a', nonce, 10)).toBe(true);
    // With 10 bits, a nonce valid for another binding by chance is 1 in 1024; try a few bindings.
    const elsewhere = await Promise.all(['b', 'c', 'd', 'e'].map((b) => workIsDone(challenge.token, b, nonce, 10)));
    expect(elsewhere.filter(Boolean).length).toBeLessThan(2);
  });

  it('splits a production-size challenge into sixteen smaller puzzles, each bound to the access key and its place', async () => {
    expect(puzzlesFor(16)).toBe(16);
    expect(puzzlesFor(8)).toBe(1);
    const challenge = { token: 'v1.submit.12.x', difficulty: 12 };
    const nonce = await solveChallenge(challenge, 'access-key-a');
    const parts = nonce.split('-');
    expect(parts).toHaveLength(16);
    expect(await proofHolds(challenge.token, 'access-key-a', nonce, 12)).toBe(true);
    // Each puzzle is worth 8 bits: another binding fits all sixteen by chance 1 in 2^128.
    expect(await proofHolds(challenge.token, 'access-key-b', nonce, 12)).toBe(false);
    // The same nonces in another order, or one fewer, do not hold.
    expect(await proofHolds(challenge.token, 'access-key-a', [...parts].reverse().join('-'), 12)).toBe(parts.every((p) => p === parts[0]));
    expect(await proofHolds(challenge.token, 'access-key-a', parts.slice(1).join('-'), 12)).toBe(false);
  });
});
