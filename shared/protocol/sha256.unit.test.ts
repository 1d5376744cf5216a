import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, prefixHasher } from './sha256.ts';

describe('streaming SHA-256', () => {
  it('matches node:crypto for every length around the block edges, in any split', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 100_003]) {
      const data = randomBytes(n);
      const want = createHash('sha256').update(data).digest('hex');
      expect(new Sha256().update(data).hex(), `length ${n}`).toBe(want);
      const pieces = new Sha256();
      for (let at = 0; at < n; at += 7 + (at % 13)) pieces.update(data.subarray(at, Math.min(n, at + 7 + (at % 13))));
      expect(pieces.hex(), `length ${n} in pieces`).toBe(want);
    }
  });

  it('gives the FIPS 180-2 answer for "abc"', () => {
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a prefix with many short endings, at every length of the prefix\'s last block', () => {
    for (let n = 0; n < 140; n += 7) {
      const prefix = 'p'.repeat(n);
      const hash = prefixHasher(new TextEncoder().encode(prefix));
      for (const end of ['', '0', 'zzzz', 'x'.repeat(55)]) {
        expect(Buffer.from(hash(new TextEncoder().encode(end))).toString('hex'), `${n} + ${end.length}`).toBe(createHash('sha256').update(prefix + end).digest('hex'));
      }
    }
  });

  it('copies its state: a shared prefix, then different endings', () => {
    const prefix = new Sha256().update(new TextEncoder().encode('token:binding:'.repeat(9)));
    for (const end of ['0', '1', 'zz']) {
      const want = createHash('sha256').update('token:binding:'.repeat(9) + end).digest();
      expect(Buffer.from(prefix.clone().update(new TextEncoder().encode(end)).digest())).toEqual(want);
    }
  });
});
