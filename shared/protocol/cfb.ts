/**
 * AES-256 in CFB mode as OpenPGP's SEIPD v1 uses it (zero IV, no resynchronisation), as a stream:
 * bytes in, whole 1 MiB chunks of ciphertext out, the rest at the end. AES runs natively: with the
 * keystream block X0 = E(C[-1]) carried from the chunk before, one WebCrypto AES-CBC call over the
 * chunk's plaintext with IV X0 yields E(C[0]) ... E(C[n-1]), the rest of the keystream and the next
 * chunk's X0 (CBC's chaining computes E(X[j] xor P[j]) = E(C[j])); then one XOR pass, in place.
 * Buffers are reused: a large allocation per chunk costs the page more than the AES.
 *
 * In a page, WebCrypto does the work on the calling thread, so `seipd.ts` runs this in a Web Worker.
 */
const BLOCK = 16;
/** Plaintext enciphered per WebCrypto call. */
export const CFB_CHUNK = 1 << 20;

export class CfbChunks {
  private readonly pending = new Uint8Array(CFB_CHUNK);
  private filled = 0;
  /** E(C[-1]): the keystream of the next block; null until the first, E(zero IV), is made. */
  private next: Uint8Array | null = null;
  /** The call before: each continues from its last block. */
  private last: Promise<unknown> = Promise.resolve();
  private constructor(private readonly key: CryptoKey) {}

  static async create(sessionKey: Uint8Array): Promise<CfbChunks> {
    return new CfbChunks(await crypto.subtle.importKey('raw', sessionKey as BufferSource, { name: 'AES-CBC' }, false, ['encrypt']));
  }

  /** Takes a copy of `bytes`; the whole chunks they complete, enciphered. Answered in the order asked. */
  write(bytes: Uint8Array): Promise<Uint8Array[]> {
    return this.inOrder(async () => {
      const out: Uint8Array[] = [];
      let at = 0;
      while (at < bytes.length) {
        const n = Math.min(CFB_CHUNK - this.filled, bytes.length - at);
        this.pending.set(bytes.subarray(at, at + n), this.filled);
        this.filled += n;
        at += n;
        if (this.filled === CFB_CHUNK) out.push(await this.cipher(this.filled));
      }
      return out;
    });
  }

  /** The rest, enciphered. */
  end(): Promise<Uint8Array[]> {
    return this.inOrder(async () => (this.filled > 0 ? [await this.cipher(this.filled)] : []));
  }

  private inOrder<T>(work: () => Promise<T>): Promise<T> {
    const done = this.last.then(work);
    this.last = done.catch(() => {});
    return done;
  }

  private async aesCbc(iv: Uint8Array, data: Uint8Array): Promise<ArrayBuffer> {
    return crypto.subtle.encrypt({ name: 'AES-CBC', iv: iv as BufferSource }, this.key, data as BufferSource);
  }

  /** Enciphers `pending[0, length)` (whole blocks, except at the very end) and empties it. */
  private async cipher(length: number): Promise<Uint8Array> {
    const p = this.pending;
    this.next ??= new Uint8Array(await this.aesCbc(new Uint8Array(BLOCK), new Uint8Array(BLOCK)), 0, BLOCK);
    const x0 = this.next;
    const blocks = Math.ceil(length / BLOCK);
    // Y[j] = E(C[j]) for j < blocks - 1 (and, for a whole chunk, Y[blocks-1]: the next X0).
    const whole = length % BLOCK === 0;
    const inputBlocks = whole ? blocks : blocks - 1;
    const buffer = inputBlocks > 0 ? await this.aesCbc(x0, p.subarray(0, inputBlocks * BLOCK)) : new ArrayBuffer(BLOCK * (blocks + 1));
    const out = new Uint8Array(buffer, 0, length);
    if (whole) this.next = new Uint8Array(buffer, (blocks - 1) * BLOCK, BLOCK).slice();
    // C[j] = Y[j-1] xor P[j], written over Y[j], from the end backwards; then C[0] = X0 xor P[0].
    const words = length >> 2;
    const y = new Int32Array(buffer, 0, blocks * 4);
    const pw = new Int32Array(p.buffer, p.byteOffset, words);
    for (let i = length - 1; i >= words * 4 && i >= BLOCK; i--) out[i] = out[i - BLOCK]! ^ p[i]!;
    for (let w = words - 1; w >= 4; w--) y[w] = y[w - 4]! ^ pw[w]!;
    for (let i = 0; i < Math.min(BLOCK, length); i++) out[i] = x0[i]! ^ p[i]!;
    this.filled = 0;
    return out;
  }
}
