/**
 * SHA-256 that takes its input piece by piece (FIPS 180-4). WebCrypto can only hash a whole
 * buffer, and a 500 MB evidence file must never be held whole in the page.
 */
import { BlockHash } from './block-hash.ts';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export class Sha256 extends BlockHash {
  private readonly h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly w = new Uint32Array(64);

  protected compress(bytes: Uint8Array, from: number, to: number) {
    for (let at = from; at < to; at += 64) compress(this.h, this.w, bytes, at);
  }

  /** A copy with the same state: hash a common prefix once, then each ending on a copy. */
  clone(): Sha256 {
    const copy = new Sha256();
    copy.h.set(this.h);
    copy.block.set(this.block);
    copy.filled = this.filled;
    copy.length = this.length;
    return copy;
  }

  /** The digest as 32 bytes. The object cannot be used after this. */
  digest(): Uint8Array {
    this.finish();
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    this.h.forEach((x, i) => view.setUint32(i * 4, x));
    return out;
  }

  /** The digest as lower-case hex. The object cannot be used after this. */
  hex(): string {
    return Array.from(this.digest(), (b) => b.toString(16).padStart(2, '0')).join('');
  }
}

function compress(H: Uint32Array, w: Uint32Array, data: Uint8Array, at: number) {
  for (let i = 0; i < 16; i++) w[i] = (data[at + 4 * i]! << 24) | (data[at + 4 * i + 1]! << 16) | (data[at + 4 * i + 2]! << 8) | data[at + 4 * i + 3]!;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/**
 * SHA-256 of `prefix` followed by each short `suffix` (at most 55 bytes), without allocating per
 * call: the prefix's full blocks are hashed once. For the proof of work, which hashes one long
 * prefix with many short nonces. The returned bytes are overwritten by the next call.
 */
export function prefixHasher(prefix: Uint8Array): (suffix: Uint8Array) => Uint8Array {
  const state = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const whole = prefix.length - (prefix.length % 64);
  for (let at = 0; at < whole; at += 64) compress(state, w, prefix, at);
  const rest = prefix.subarray(whole);
  const h = new Uint32Array(8);
  const block = new Uint8Array(128);
  const out = new Uint8Array(32);
  const view = new DataView(block.buffer);
  const outView = new DataView(out.buffer);
  return (suffix) => {
    const used = rest.length + suffix.length;
    const blocks = used + 9 <= 64 ? 1 : 2;
    block.fill(0);
    block.set(rest, 0);
    block.set(suffix, rest.length);
    block[used] = 0x80;
    const bits = (prefix.length + suffix.length) * 8;
    view.setUint32(blocks * 64 - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(blocks * 64 - 4, bits >>> 0);
    h.set(state);
    compress(h, w, block, 0);
    if (blocks === 2) compress(h, w, block, 64);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!);
    return out;
  };
}
