/**
 * The digest that binds an evidence file to the signed seal its sender made (`files.ts`): SHA-256
 * of each 1 MiB chunk of the file (the last one shorter; none for an empty file), then SHA-256 of
 * those 32-byte digests one after the other. Every SHA-256 is WebCrypto's own, so it runs natively
 * even where JavaScript has no JIT, and a chunk is hashed while the next is read.
 *
 * With shell tools only: `split -b 1048576 -a 6 FILE chunk. && for c in chunk.*; do openssl dgst
 * -sha256 -binary "$c"; done | sha256sum` (docs/decisions/0006-files-sealed-after-the-code.md).
 */
import { toHex } from './bytes.ts';

export const TREE_CHUNK = 1 << 20;

export class TreeHash {
  private readonly digests: Array<Promise<ArrayBuffer>> = [];
  private readonly pending = new Uint8Array(TREE_CHUNK);
  private filled = 0;
  private size = 0;

  get bytes() {
    return this.size;
  }

  update(data: Uint8Array): void {
    this.size += data.length;
    let at = 0;
    // A whole chunk in place is hashed without a copy.
    if (this.filled === 0) for (; at + TREE_CHUNK <= data.length; at += TREE_CHUNK) this.chunk(data.subarray(at, at + TREE_CHUNK));
    while (at < data.length) {
      const n = Math.min(TREE_CHUNK - this.filled, data.length - at);
      this.pending.set(data.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === TREE_CHUNK) {
        this.chunk(this.pending.slice());
        this.filled = 0;
      }
    }
  }

  /** Lower-case hex of the root. */
  async hex(): Promise<string> {
    if (this.filled > 0) this.chunk(this.pending.slice(0, this.filled));
    this.filled = 0;
    const digests = await Promise.all(this.digests);
    const all = new Uint8Array(digests.length * 32);
    digests.forEach((d, i) => all.set(new Uint8Array(d), i * 32));
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', all)));
  }

  private chunk(bytes: Uint8Array) {
    const digest = crypto.subtle.digest('SHA-256', bytes as BufferSource);
    digest.catch(() => {}); // awaited in hex()
    this.digests.push(digest);
  }
}
