import { describe, expect, it } from 'vitest';
import { leadingZeroBits, solveChallenge, workIsDone } from './pow.ts';

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
});
