import { describe, expect, it } from 'vitest';
import { solveInScript, solveWithWebCrypto } from './pow-solve.ts';
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

  it('splits a production-size challenge into 32 smaller puzzles, each bound to the access key and its place', async () => {
    expect(puzzlesFor(16)).toBe(32);
    expect(puzzlesFor(8)).toBe(1);
    const challenge = { token: 'v1.submit.12.x', difficulty: 12 };
    const nonce = await solveChallenge(challenge, 'access-key-a');
    const parts = nonce.split('-');
    expect(parts).toHaveLength(32);
    expect(await proofHolds(challenge.token, 'access-key-a', nonce, 12)).toBe(true);
    // Each puzzle is worth 7 bits: another binding fits all 32 by chance 1 in 2^224.
    expect(await proofHolds(challenge.token, 'access-key-b', nonce, 12)).toBe(false);
    // The same nonces in another order, or one fewer, do not hold.
    expect(await proofHolds(challenge.token, 'access-key-a', [...parts].reverse().join('-'), 12)).toBe(parts.every((p) => p === parts[0]));
    expect(await proofHolds(challenge.token, 'access-key-a', parts.slice(1).join('-'), 12)).toBe(false);
  });

  it('finds the same first nonce hashing in script (with a JIT) and with WebCrypto (without one)', async () => {
    for (const binding of ['a', 'b', 'c', 'a-much-longer-binding:15']) {
      const inScript = await solveInScript('v1.submit.10.x', binding, 10, {});
      const withWebCrypto = await solveWithWebCrypto('v1.submit.10.x', binding, 10, {});
      expect(withWebCrypto).toBe(inScript);
      expect(await workIsDone('v1.submit.10.x', binding, withWebCrypto, 10)).toBe(true);
    }
  });
});
