/**
 * Writes one OpenPGP SEIPD v1 packet (RFC 9580 §5.13.1) as a stream, for evidence files: the same
 * packet openpgp.js and GnuPG 2.2 write and read, made here because openpgp.js's own streaming path
 * hashes and ciphers in JavaScript a few kilobytes at a time. Here AES runs natively, 1 MiB at a
 * time (`cfb.ts`, in a Web Worker in the page), while this thread hashes the next MiB for the MDC.
 * Only the MDC's SHA-1 is JavaScript (`sha1.ts`): it bounds the speed without a JIT.
 *
 * The packet has a definite length, so the plaintext's length must be known up front (a File's
 * size is). The session key is the caller's: files pass it to `encryptSessionKey` for the readers.
 */
import { Sha1 } from './sha1.ts';
import { Cfb, cfbCipher, type Cipher } from './cfb.ts';

const BLOCK = 16;
/** Plaintext enciphered per WebCrypto call. */
const CHUNK = 1 << 20;
const TAG_SEIPD = 18;
const TAG_LITERAL = 11;
const TAG_MDC = 19;

/** A new-format packet header with a definite length (RFC 9580 §4.2.1). */
export function packetHeader(tag: number, length: number): Uint8Array {
  const first = 0xc0 | tag;
  if (length < 192) return Uint8Array.of(first, length);
  if (length < 8384) return Uint8Array.of(first, ((length - 192) >> 8) + 192, (length - 192) & 0xff);
  if (length > 0xffffffff) throw new RangeError('a packet can hold at most 4 GiB');
  return Uint8Array.of(first, 0xff, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
}

/**
 * The header of a binary literal data packet of `size` bytes, with no file name and no date: the
 * name and the date the reporter gave are inside the signed message, nothing else is revealed.
 */
export function literalHeader(size: number): Uint8Array {
  const body = Uint8Array.of(0x62, 0, 0, 0, 0, 0); // 'b', name length 0, date 0
  const header = packetHeader(TAG_LITERAL, body.length + size);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** 32 random bytes: an AES-256 session key for one file. */
export const newSessionKey = () => crypto.getRandomValues(new Uint8Array(32));

export class SeipdWriter {
  private readonly mdc = new Sha1();
  private pending = new Uint8Array(CHUNK);
  private filled = 0;
  private written = 0;
  /** Bytes of `pending` before this are in the MDC already. */
  private hashFrom = 0;
  /** Off once the MDC is complete: its digest itself is not hashed. */
  private hashing = true;
  /** Chunks being enciphered, oldest first. */
  private readonly inFlight: Array<Promise<Uint8Array>> = [];

  private constructor(
    private readonly cipher: Cipher,
    /** Bytes of plaintext the packet was announced with. */
    private readonly plaintextBytes: number,
    /** The packet header and version byte: the first bytes of the output. */
    readonly head: Uint8Array,
  ) {}

  /**
   * A writer for `plaintextBytes` bytes of packets (for a file: `literalHeader` and the file).
   * `head` comes first in the output, then what `push` and `end` return. `close` when done.
   */
  static async create(sessionKey: Uint8Array, plaintextBytes: number): Promise<SeipdWriter> {
    // Version 1, then the random prefix (one block, its last two bytes repeated), the plaintext, and the 22-byte MDC packet.
    const header = packetHeader(TAG_SEIPD, 1 + BLOCK + 2 + plaintextBytes + 22);
    const head = new Uint8Array(header.length + 1);
    head.set(header);
    head[header.length] = 1;
    // Less than a chunk (a seal): not worth a worker.
    const cipher = plaintextBytes < CHUNK ? await Cfb.create(sessionKey) : await cfbCipher(sessionKey);
    const writer = new SeipdWriter(cipher, plaintextBytes, head);
    const prefix = crypto.getRandomValues(new Uint8Array(BLOCK + 2));
    prefix[BLOCK] = prefix[BLOCK - 2]!;
    prefix[BLOCK + 1] = prefix[BLOCK - 1]!;
    await writer.take(prefix);
    return writer;
  }

  /** Takes plaintext; returns the ciphertext ready so far (often none). */
  async push(data: Uint8Array): Promise<Uint8Array[]> {
    this.written += data.length;
    if (this.written > this.plaintextBytes) throw new RangeError('more plaintext than the packet announced');
    return this.take(data);
  }

  /** Adds the MDC; returns the rest of the ciphertext. */
  async end(): Promise<Uint8Array[]> {
    if (this.written !== this.plaintextBytes) throw new RangeError('less plaintext than the packet announced');
    // Everything so far into the MDC, then its own packet header; its digest is not hashed.
    this.mdc.update(this.pending.subarray(this.hashFrom, this.filled));
    this.hashFrom = this.filled;
    this.hashing = false;
    const tag = Uint8Array.of(0xc0 | TAG_MDC, 20);
    this.mdc.update(tag);
    const out = await this.take(tag);
    out.push(...(await this.take(this.mdc.digest())));
    if (this.filled > 0) this.inFlight.push(this.cipher.encrypt(this.pending.subarray(0, this.filled)));
    this.filled = 0;
    for (const chunk of this.inFlight.splice(0)) out.push(await chunk);
    return out;
  }

  /** Stops the cipher (its worker); for a writer given up on, too. */
  close(): void {
    this.cipher.close();
  }

  private async take(data: Uint8Array): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < data.length) {
      const n = Math.min(CHUNK - this.filled, data.length - at);
      this.pending.set(data.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === CHUNK) {
        // Hashed here while the cipher works on the chunk before (in a worker, where there is one).
        if (this.hashing) this.mdc.update(this.pending.subarray(this.hashFrom));
        this.inFlight.push(this.cipher.encrypt(this.pending));
        this.pending = new Uint8Array(CHUNK);
        this.filled = 0;
        this.hashFrom = 0;
        // Two chunks at most wait for the cipher: memory stays flat.
        if (this.inFlight.length > 2) out.push(await this.inFlight.shift()!);
      }
    }
    return out;
  }
}
