/**
 * The check of a whole stored file, streamed, in constant memory: its OpenPGP framing must hold to
 * the last byte (session key packets, then exactly one SEIPD packet, nothing after it), and no
 * stretch of the encrypted body may read as text. `checkPackets` on the head says who the readers are.
 *
 * What it proves: the object is one well-framed encrypted message to the readers named in its head,
 * and nothing readable sits in it as text, head or tail. What it cannot prove without the readers'
 * keys: that the body is really ciphertext under that session key. Bytes that look random (a text
 * XOR-ed with a key, compressed data, a message for other keys) pass; so can a text run shorter
 * than two windows mixed into random bytes. Only the readers' clients, which decrypt and verify the
 * signed digest, can tell those apart.
 */
import { checkPackets, PRINTABLE, type CheckedCiphertext } from './ciphertext.ts';
import { CryptoError } from './errors.ts';
import { TAG } from './packets.ts';

/** Bytes of the encrypted body judged at a time; uniform bytes are ~37% printable, text ~100%. */
export const TEXT_WINDOW = 1024;
const TEXT_LIMIT = 0.6 * TEXT_WINDOW;
/** Bytes kept to read the readers from: session key packets and the start of the encrypted data. */
const HEAD_BYTES = 64 * 1024;

const refuse = (why: string) => new CryptoError('not-encrypted', why);

export class CiphertextScan {
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;
  private total = 0;
  /** Header bytes of the packet (or partial length) being read. */
  private header: number[] = [];
  private newFormat = false;
  /** Body bytes left in the current packet or partial chunk; -1 while reading a header. */
  private left = -1;
  /** More partial chunks follow the current one. */
  private partial = false;
  private tag = 0;
  private seipdSeen = false;
  private seipdDone = false;
  /** The window of encrypted body being judged, and the last full one (for the tail). */
  private window: Uint8Array = new Uint8Array(TEXT_WINDOW);
  private windowLength = 0;
  private printable = 0;
  private previous: Uint8Array | null = null;

  /** Bytes read so far. */
  get bytes() {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (this.headLength < HEAD_BYTES) {
      const n = Math.min(chunk.length, HEAD_BYTES - this.headLength);
      this.head.set(chunk.subarray(0, n), this.headLength);
      this.headLength += n;
    }
    this.total += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - at);
        if (this.tag === TAG.seipd) this.text(chunk.subarray(at, at + n));
        this.left -= n;
        at += n;
        if (this.left === 0) this.endOfChunk();
        continue;
      }
      this.headerByte(chunk[at++]!);
    }
  }

  /** Ends the scan; returns the readers' key IDs and the packets of the head. Throws CryptoError. */
  end(): CheckedCiphertext {
    if (this.left > 0 || this.header.length > 0 || this.partial) throw refuse('the file ends in the middle of a packet');
    if (!this.seipdDone) throw refuse('the file has no complete encrypted data packet');
    if (this.windowLength > 0) {
      // The tail shorter than a window is judged together with the bytes before it.
      const tail = new Uint8Array(TEXT_WINDOW);
      const keep = this.previous ? Math.min(TEXT_WINDOW - this.windowLength, TEXT_WINDOW) : 0;
      if (this.previous) tail.set(this.previous.subarray(TEXT_WINDOW - keep));
      tail.set(this.window.subarray(0, this.windowLength), keep);
      const judged = tail.subarray(0, keep + this.windowLength);
      let printable = 0;
      for (const b of judged) printable += PRINTABLE[b]!;
      if (judged.length >= 64 && printable > 0.6 * judged.length) throw refuse('the end of the encrypted data reads as text, not ciphertext');
    }
    return checkPackets(this.head.subarray(0, this.headLength), { truncated: this.total > this.headLength });
  }

  private headerByte(byte: number) {
    if (this.seipdDone) throw refuse('there is data after the encrypted data packet');
    const h = this.header;
    h.push(byte);
    if (!this.partial && h.length === 1) {
      if (!(byte & 0x80)) throw refuse('not OpenPGP packet data');
      this.newFormat = (byte & 0x40) !== 0;
      this.tag = this.newFormat ? byte & 0x3f : (byte >> 2) & 0x0f;
      if (this.seipdSeen) throw refuse('there is a packet after the encrypted data packet');
      if (this.tag === TAG.seipd) this.seipdSeen = true;
      else if (this.tag !== TAG.pkesk) throw refuse('only session key packets may come before the encrypted data');
      if (!this.newFormat && (byte & 3) === 3) throw refuse('packets of indeterminate length are not accepted');
      return;
    }
    const lengthBytes = this.partial ? h : h.slice(1);
    let length: number | null = null;
    let more = false;
    if (this.newFormat) {
      const o1 = lengthBytes[0]!;
      if (o1 < 192) length = o1;
      else if (o1 < 224) {
        if (lengthBytes.length === 2) length = ((o1 - 192) << 8) + lengthBytes[1]! + 192;
      } else if (o1 === 255) {
        if (lengthBytes.length === 5) length = ((lengthBytes[1]! << 24) | (lengthBytes[2]! << 16) | (lengthBytes[3]! << 8) | lengthBytes[4]!) >>> 0;
      } else {
        length = 1 << (o1 & 0x1f);
        more = true;
      }
    } else {
      const size = [1, 2, 4][h[0]! & 3]!;
      if (lengthBytes.length === size) length = lengthBytes.reduce((n, b) => n * 256 + b, 0);
    }
    if (length === null) return;
    this.header = [];
    this.partial = more;
    this.left = length;
    if (this.tag !== TAG.seipd && (more || length > 4096)) throw refuse('a session key packet is too long');
    if (length === 0) this.endOfChunk();
  }

  private endOfChunk() {
    this.left = -1;
    if (this.partial) return;
    if (this.tag === TAG.seipd) this.seipdDone = true;
  }

  /** Judges the encrypted body window by window; whole windows are counted where they lie, not copied. */
  private text(bytes: Uint8Array) {
    let at = 0;
    if (this.windowLength > 0) {
      at = Math.min(TEXT_WINDOW - this.windowLength, bytes.length);
      this.window.set(bytes.subarray(0, at), this.windowLength);
      this.windowLength += at;
      this.printable += printableIn(bytes, 0, at);
      if (this.windowLength < TEXT_WINDOW) return;
      this.judge(this.printable);
      [this.previous, this.window] = [this.window, this.previous ?? new Uint8Array(TEXT_WINDOW)];
    }
    let last = -1;
    for (; at + TEXT_WINDOW <= bytes.length; at += TEXT_WINDOW) {
      this.judge(printableIn(bytes, at, at + TEXT_WINDOW));
      last = at;
    }
    // The last whole window is kept: the tail is judged together with it.
    if (last >= 0) (this.previous ??= new Uint8Array(TEXT_WINDOW)).set(bytes.subarray(last, last + TEXT_WINDOW));
    this.window.set(bytes.subarray(at));
    this.windowLength = bytes.length - at;
    this.printable = printableIn(bytes, at, bytes.length);
  }

  private judge(printable: number) {
    if (printable > TEXT_LIMIT) throw refuse('part of the encrypted data reads as text, not ciphertext');
  }
}

function printableIn(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += PRINTABLE[bytes[i]!]!;
  return n;
}
