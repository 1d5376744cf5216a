/**
 * What SHA-1 (`sha1.ts`) and SHA-256 (`sha256.ts`) share: input taken piece by piece into 64-byte
 * blocks, and the same padding (0x80, zeros, the length in bits as 64 bits big-endian).
 */
export abstract class BlockHash {
  protected readonly block = new Uint8Array(64);
  protected filled = 0;
  protected length = 0;

  /** Hashes the whole 64-byte blocks of `bytes` from `from` to `to` (a multiple of 64 apart). */
  protected abstract compress(bytes: Uint8Array, from: number, to: number): void;

  update(data: Uint8Array): this {
    this.length += data.length;
    let at = 0;
    if (this.filled > 0) {
      const n = Math.min(64 - this.filled, data.length);
      this.block.set(data.subarray(0, n), this.filled);
      this.filled += n;
      at = n;
      if (this.filled < 64) return this;
      this.compress(this.block, 0, 64);
      this.filled = 0;
    }
    const whole = data.length - ((data.length - at) % 64);
    if (whole > at) this.compress(data, at, whole);
    at = whole;
    this.block.set(data.subarray(at), 0);
    this.filled = data.length - at;
    return this;
  }

  /** Pads the input: afterwards the state is the digest. */
  protected finish(): void {
    const bits = this.length * 8;
    const pad = new Uint8Array((this.filled < 56 ? 56 : 120) - this.filled + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(pad.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(pad.length - 4, bits >>> 0);
    this.update(pad);
  }
}
