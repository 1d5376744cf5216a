/**
 * Writes one OpenPGP SEIPD v1 packet (RFC 9580 §5.13.1) as a stream, for evidence files: the same
 * packet openpgp.js and GnuPG 2.2 write and read, made here because openpgp.js's own streaming path
 * hashes and ciphers in JavaScript a few kilobytes at a time. Here AES runs natively: CFB over a
 * chunk of N blocks is one WebCrypto AES-CBC call over the previous ciphertext block and the first
 * N-1 plaintext blocks (CBC's chaining then yields exactly E(C[i-1]) for every block), and one XOR.
 * Only the MDC's SHA-1 is JavaScript (`sha1.ts`): it bounds the speed without a JIT.
 *
 * The packet has a definite length, so the plaintext's length must be known up front (a File's
 * size is). The session key is the caller's: files pass it to `encryptSessionKey` for the readers.
 */
import { Sha1 } from './sha1.ts';

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
  private previous = new Uint8Array(BLOCK);
  private readonly pending = new Uint8Array(CHUNK);
  private filled = 0;
  private written = 0;

  private constructor(
    private readonly key: CryptoKey,
    /** Bytes of plaintext the packet was announced with. */
    private readonly plaintextBytes: number,
    /** The packet header and version byte: the first bytes of the output. */
    readonly head: Uint8Array,
  ) {}

  /**
   * A writer for `plaintextBytes` bytes of packets (for a file: `literalHeader` and the file).
   * `head` comes first in the output, then what `push` and `end` return.
   */
  static async create(sessionKey: Uint8Array, plaintextBytes: number): Promise<SeipdWriter> {
    const key = await crypto.subtle.importKey('raw', sessionKey as BufferSource, { name: 'AES-CBC' }, false, ['encrypt']);
    // Version 1, then the random prefix (one block, its last two bytes repeated), the plaintext, and the 22-byte MDC packet.
    const header = packetHeader(TAG_SEIPD, 1 + BLOCK + 2 + plaintextBytes + 22);
    const head = new Uint8Array(header.length + 1);
    head.set(header);
    head[header.length] = 1;
    const writer = new SeipdWriter(key, plaintextBytes, head);
    const prefix = crypto.getRandomValues(new Uint8Array(BLOCK + 2));
    prefix[BLOCK] = prefix[BLOCK - 2]!;
    prefix[BLOCK + 1] = prefix[BLOCK - 1]!;
    writer.take(prefix);
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
    const tag = Uint8Array.of(0xc0 | TAG_MDC, 20);
    this.mdc.update(tag);
    const out = await this.take(tag, false);
    out.push(...(await this.take(this.mdc.digest(), false)));
    if (this.filled > 0) out.push(await this.cipher(this.pending.subarray(0, this.filled)));
    this.filled = 0;
    return out;
  }

  private take(data: Uint8Array): Promise<Uint8Array[]>;
  private take(data: Uint8Array, hash: boolean): Promise<Uint8Array[]>;
  private async take(data: Uint8Array, hash = true): Promise<Uint8Array[]> {
    if (hash) this.mdc.update(data);
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < data.length) {
      const n = Math.min(CHUNK - this.filled, data.length - at);
      this.pending.set(data.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === CHUNK) {
        out.push(await this.cipher(this.pending));
        this.filled = 0;
      }
    }
    return out;
  }

  /** CFB over `plaintext` (whole blocks, except at the very end), continuing from the last block. */
  private async cipher(plaintext: Uint8Array): Promise<Uint8Array> {
    const blocks = Math.ceil(plaintext.length / BLOCK);
    const input = new Uint8Array(blocks * BLOCK);
    input.set(this.previous);
    input.set(plaintext.subarray(0, (blocks - 1) * BLOCK), BLOCK);
    const keystream = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(BLOCK) }, this.key, input), 0, plaintext.length);
    // XOR in place (the keystream is not needed after), four bytes at a time where aligned: a
    // quarter of the steps, which counts without a JIT.
    const out = keystream;
    const words = plaintext.byteOffset % 4 === 0 ? plaintext.length >> 2 : 0;
    const a = new Int32Array(out.buffer, 0, words);
    const b = new Int32Array(plaintext.buffer, plaintext.byteOffset, words);
    for (let i = 0; i < words; i++) a[i] = a[i]! ^ b[i]!;
    for (let i = words * 4; i < plaintext.length; i++) out[i] = out[i]! ^ plaintext[i]!;
    if (plaintext.length >= BLOCK) this.previous = out.slice(plaintext.length - BLOCK);
    return out;
  }
}
