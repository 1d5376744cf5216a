/**
 * Writes one OpenPGP SEIPD v1 packet (RFC 9580 §5.13.1) as a stream, for evidence files: the same
 * packet openpgp.js and GnuPG 2.2 write and read, made here because openpgp.js's own streaming path
 * hashes and ciphers in JavaScript a few kilobytes at a time. Here AES runs natively, 1 MiB at a
 * time (`cfb.ts`), beside the MDC's SHA-1 (`sha1.ts`, JavaScript: it bounds the speed without a
 * JIT). Both run in one Web Worker in the page (`seipd-worker.ts`), so the page's own thread only
 * reads, hashes the file for its seal and uploads.
 *
 * The packet has a definite length, so the plaintext's length must be known up front (a File's
 * size is). The session key is the caller's: files pass it to `encryptSessionKey` for the readers.
 */
import { Sha1 } from './sha1.ts';
import { CFB_CHUNK, CfbChunks } from './cfb.ts';

const BLOCK = 16;
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

/** The encrypted body of the packet: what follows the version byte. */
interface BodyStream {
  /** Takes `bytes` (a worker takes the buffer over); the whole chunks of ciphertext they complete. Answered in order. */
  write(bytes: Uint8Array): Promise<Uint8Array[]>;
  /** Adds the MDC; the rest of the ciphertext. */
  end(): Promise<Uint8Array[]>;
  close(): void;
}

/** The body in this thread: every byte hashed for the MDC, then enciphered. */
export class SeipdBody implements BodyStream {
  private readonly mdc = new Sha1();
  private constructor(private readonly cfb: CfbChunks) {}

  static async create(sessionKey: Uint8Array): Promise<SeipdBody> {
    return new SeipdBody(await CfbChunks.create(sessionKey));
  }

  write(bytes: Uint8Array): Promise<Uint8Array[]> {
    this.mdc.update(bytes);
    return this.cfb.write(bytes);
  }

  async end(): Promise<Uint8Array[]> {
    // The MDC covers its own packet header, not its digest.
    const header = Uint8Array.of(0xc0 | TAG_MDC, 20);
    this.mdc.update(header);
    const out = await this.cfb.write(header);
    out.push(...(await this.cfb.write(this.mdc.digest())), ...(await this.cfb.end()));
    return out;
  }

  close() {}
}

/** The same body in a Web Worker, the bytes handed over without a copy. */
class BodyInWorker implements BodyStream {
  private readonly waiting: Array<{ ok: (c: Uint8Array[]) => void; fail: (e: unknown) => void }> = [];
  private broken: unknown = null;

  constructor(private readonly worker: Worker, sessionKey: Uint8Array) {
    worker.onmessage = (e: MessageEvent<{ chunks?: ArrayBuffer[]; lengths?: number[]; error?: string }>) => {
      const next = this.waiting.shift();
      const { chunks, lengths, error } = e.data;
      if (error !== undefined || !chunks || !lengths) next?.fail(new Error(error ?? 'the cipher failed'));
      else next?.ok(chunks.map((c, i) => new Uint8Array(c, 0, lengths[i])));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.broken = new Error('the cipher stopped');
      for (const w of this.waiting.splice(0)) w.fail(this.broken);
    };
    worker.postMessage({ key: sessionKey });
  }

  write(bytes: Uint8Array): Promise<Uint8Array[]> {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return this.ask({ bytes: whole.buffer, length: whole.length }, [whole.buffer as ArrayBuffer]);
  }

  end(): Promise<Uint8Array[]> {
    return this.ask({ end: true }, []);
  }

  private ask(message: object, transfer: Transferable[]): Promise<Uint8Array[]> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((ok, fail) => {
      this.waiting.push({ ok, fail });
      this.worker.postMessage(message, transfer);
    });
  }

  close() {
    this.worker.terminate();
  }
}

/** The body for `sessionKey`: in a Web Worker where there is one, else in this thread. */
async function bodyStream(sessionKey: Uint8Array): Promise<BodyStream> {
  if (typeof Worker === 'function' && typeof document !== 'undefined') {
    try {
      return new BodyInWorker(new Worker(new URL('./seipd-worker.ts', import.meta.url), { type: 'module' }), sessionKey);
    } catch {
      // No worker here (a policy, an old browser): the same work in this thread.
    }
  }
  return SeipdBody.create(sessionKey);
}

export class SeipdWriter {
  private written = 0;
  /** Writes being enciphered, oldest first. */
  private readonly inFlight: Array<Promise<Uint8Array[]>> = [];

  private constructor(
    private readonly stream: BodyStream,
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
    const stream = plaintextBytes < CFB_CHUNK ? await SeipdBody.create(sessionKey) : await bodyStream(sessionKey);
    const writer = new SeipdWriter(stream, plaintextBytes, head);
    const prefix = crypto.getRandomValues(new Uint8Array(BLOCK + 2));
    prefix[BLOCK] = prefix[BLOCK - 2]!;
    prefix[BLOCK + 1] = prefix[BLOCK - 1]!;
    await writer.take(prefix);
    return writer;
  }

  /** Takes plaintext (the buffer may be taken over: do not use `data` after); returns the ciphertext ready so far. */
  async push(data: Uint8Array): Promise<Uint8Array[]> {
    this.written += data.length;
    if (this.written > this.plaintextBytes) throw new RangeError('more plaintext than the packet announced');
    return this.take(data);
  }

  /** Adds the MDC; returns the rest of the ciphertext. */
  async end(): Promise<Uint8Array[]> {
    if (this.written !== this.plaintextBytes) throw new RangeError('less plaintext than the packet announced');
    const ended = this.stream.end();
    ended.catch(() => {});
    this.inFlight.push(ended);
    const out: Uint8Array[] = [];
    for (const chunks of this.inFlight.splice(0)) out.push(...(await chunks));
    return out;
  }

  /** Stops the cipher (its worker); for a writer given up on, too. */
  close(): void {
    this.stream.close();
  }

  private async take(data: Uint8Array): Promise<Uint8Array[]> {
    const written = this.stream.write(data);
    written.catch(() => {}); // awaited in order below or in end(); a writer given up on must not leave a rejection unheard
    this.inFlight.push(written);
    const out: Uint8Array[] = [];
    // Two writes at most wait for the cipher: memory stays flat.
    while (this.inFlight.length > 2) out.push(...(await this.inFlight.shift()!));
    return out;
  }
}
