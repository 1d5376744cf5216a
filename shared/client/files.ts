/**
 * The file pipeline on the client side, the same in the browser and in Node: encrypt a file as a
 * stream into upload parts (one part in memory at a time), upload each part with retries, seal it,
 * and download-decrypt-verify as a stream. Imports openpgp.js: load it lazily.
 *
 * A file is bound to its message by a seal, made while it uploads (docs/decisions/0006): the signed
 * message names the file (id, name, type, size) and is stored first, so the code exists before a
 * byte of the file is read; the seal says which bytes it is (a tree hash), is signed by the same key
 * as the message, and is encrypted with the file's own session key, so every reader of the file and
 * no one else can read it.
 */
import * as openpgp from 'openpgp';
import type * as z from 'zod/mini';
import type { uploadStartedSchema } from '../schemas/api.ts';
import { fileSealSchema, type FileRef, type FileSeal } from '../schemas/payload.ts';
import { concat, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../protocol/bytes.ts';
import { Sha256 } from '../protocol/sha256.ts';
import { SeipdWriter, literalHeader, newSessionKey } from '../protocol/seipd.ts';
import { TREE_CHUNK, TreeHash } from '../protocol/tree-hash.ts';
import type { Fingerprint } from '../protocol/keys.ts';
import { externallySigned, isExternal, sessionKeysFor, type OfficerKey } from '../protocol/external-key.ts';

/** Same settings as messages: SEIPD v1, no compression, so GnuPG 2.2 decrypts the file. */
const ENCRYPT_CONFIG = { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed, aeadProtect: false };

export const newFileId = () => toBase64Url(crypto.getRandomValues(new Uint8Array(16)));

export interface PartTarget {
  /** Starts (or resumes) the upload: the part size and one URL per part. */
  start(): Promise<z.infer<typeof uploadStartedSchema>>;
  /** Completes the upload with its parts and the file's seal (base64url). */
  finish(parts: Array<{ partNumber: number; etag: string }>, seal: string): Promise<unknown>;
  /** Where relative URLs point: '' in the page, the site's address in Node. */
  base: string;
  fetch?: typeof fetch;
}

export interface RetryPolicy {
  /** Waits between tries of one part, in ms; their sum is how long a dropped connection is survived. */
  delaysMs: number[];
}

/** About 95 s in all: a connection that drops for a minute does not end the upload. */
export const DEFAULT_RETRY: RetryPolicy = { delaysMs: [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 32_000] };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((ok, fail) => {
    const timer = setTimeout(ok, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), fail(signal.reason)), { once: true });
  });

export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly code: 'part-failed' | 'too-large' | 'file-changed',
    message: string,
  ) {
    super(message);
  }
}

async function putPart(target: PartTarget, url: string, body: Blob, retry: RetryPolicy, signal?: AbortSignal): Promise<string> {
  const doFetch = target.fetch ?? fetch;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const res = await doFetch(`${target.base}${url}`, { method: 'PUT', body, signal, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
      const etag = res.headers.get('etag');
      if (res.ok && etag) return etag;
      if (res.status < 500 && res.status !== 408 && res.status !== 429) throw new UploadError('part-failed', `a part was refused (${res.status})`);
    } catch (e) {
      if (e instanceof UploadError || signal?.aborted) throw e;
      // A network error: the connection may come back.
    }
    const delay = retry.delaysMs[attempt];
    if (delay === undefined) throw new UploadError('part-failed', 'a part could not be sent, also after retrying');
    await sleep(delay, signal);
  }
}

/**
 * Ciphertext cut into upload parts and sent, up to two parts at a time while the next is made:
 * the network and the cipher overlap, and no more than three parts are ever held.
 */
class PartSender {
  private pieces: Uint8Array[] = [];
  private filled = 0;
  private numbered = 0;
  private failure: unknown = null;
  private readonly inFlight = new Set<Promise<void>>();
  readonly parts: Array<{ partNumber: number; etag: string }> = [];

  constructor(
    private readonly target: PartTarget,
    private readonly partBytes: number,
    private readonly urls: string[],
    private readonly retry: RetryPolicy,
    private readonly signal?: AbortSignal,
  ) {}

  async write(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(this.partBytes - this.filled, bytes.length - at);
      this.pieces.push(at === 0 && n === bytes.length ? bytes : bytes.subarray(at, at + n));
      this.filled += n;
      at += n;
      if (this.filled === this.partBytes) await this.flush();
    }
  }

  async end(): Promise<Array<{ partNumber: number; etag: string }>> {
    if (this.filled > 0 || this.numbered === 0) await this.flush();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    return this.parts.sort((x, y) => x.partNumber - y.partNumber);
  }

  private async flush() {
    const url = this.urls[this.numbered];
    if (!url) throw new UploadError('too-large', 'the file is larger than declared');
    const partNumber = ++this.numbered;
    // As a Blob: Chromium uploads a Blob body about five times faster than the same bytes as a typed array.
    const body = new Blob(this.pieces as BlobPart[]);
    this.pieces = [];
    this.filled = 0;
    const sending: Promise<void> = putPart(this.target, url, body, this.retry, this.signal).then(
      (etag) => {
        this.parts.push({ partNumber, etag });
        this.inFlight.delete(sending);
      },
      (e: unknown) => {
        this.failure ??= e;
        this.inFlight.delete(sending);
      },
    );
    this.inFlight.add(sending);
    while (this.inFlight.size >= 2) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }
}

/**
 * The file in whole chunks of `size` bytes (the last one shorter), each in a buffer of its own, read
 * as one stream: Chromium reads a File's stream several times faster than the same bytes as
 * slices, and a byte stream reads straight into the chunk.
 */
export async function* chunksOf(file: Blob, size: number): AsyncGenerator<Uint8Array> {
  const changed = () => new UploadError('file-changed', 'the file changed while it was read');
  const stream = file.stream();
  // Held while it is read: Chromium can collect a Blob's byte stream that only its BYOB reader
  // refers to, and a read then never ends (seen with a garbage collection every 100 ms).
  beingRead.add(stream);
  let left = file.size;
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream in this browser: chunks are copied together below.
  }
  const reader = byob ?? stream.getReader();
  let carry: Uint8Array = new Uint8Array(0);
  try {
    while (left > 0) {
      let chunk = new Uint8Array(Math.min(size, left));
      let filled = 0;
      while (filled < chunk.length) {
        if (byob) {
          const { done, value } = await byob.read(new Uint8Array(chunk.buffer, filled));
          if (done || !value) throw changed();
          chunk = new Uint8Array(value.buffer);
          filled += value.length;
        } else {
          if (carry.length === 0) {
            const { done, value } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
            if (done) throw changed();
            carry = value;
          }
          const n = Math.min(chunk.length - filled, carry.length);
          chunk.set(carry.subarray(0, n), filled);
          carry = carry.subarray(n);
          filled += n;
        }
      }
      left -= chunk.length;
      yield chunk;
    }
    // The stream must end here: a file that grew meanwhile is not the file that was named.
    if (carry.length > 0) throw changed();
    const { done } = byob ? await byob.read(new Uint8Array(1)) : await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
    if (!done) throw changed();
  } finally {
    beingRead.delete(stream);
    reader.cancel().catch(() => {});
  }
}

const beingRead = new Set<ReadableStream<Uint8Array>>();

/** What a file's seal says, and who it is for: every field is checked against the signed message. */
export interface SealFacts {
  /** The case's reporter key fingerprint. */
  caseFingerprint: Fingerprint;
  fileId: string;
}

/**
 * Encrypts `file` to `encryptionKeys` as one binary OpenPGP message, uploads it part by part, and
 * finishes the upload with its seal, signed with `signingKey`. Reads the file once, 1 MiB at a
 * time, and never holds more than three parts of ciphertext; `onProgress` gets the bytes read.
 */
export async function encryptAndUpload(options: {
  file: Blob;
  seal: SealFacts;
  signingKey: OfficerKey;
  encryptionKeys: openpgp.PublicKey[];
  target: PartTarget;
  onProgress?: (plaintextBytes: number) => void;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}): Promise<void> {
  const { file, target, signal } = options;
  const size = file.size;
  const sessionKey = newSessionKey();
  const keyPackets = (await openpgp.encryptSessionKey({ data: sessionKey, algorithm: 'aes256', encryptionKeys: options.encryptionKeys, format: 'binary', config: ENCRYPT_CONFIG })) as Uint8Array;
  const literal = literalHeader(size);
  const writer = await SeipdWriter.create(sessionKey, literal.length + size);
  const tree = new TreeHash();
  let parts: Array<{ partNumber: number; etag: string }>;
  try {
    const { partBytes, urls } = await target.start();
    const sender = new PartSender(target, partBytes, urls, options.retry ?? DEFAULT_RETRY, signal);
    const send = async (chunks: Uint8Array[]) => {
      for (const c of chunks) await sender.write(c);
    };
    await send([keyPackets, writer.head, ...(await writer.push(literal))]);
    for await (const chunk of chunksOf(file, TREE_CHUNK)) {
      signal?.throwIfAborted();
      tree.update(chunk);
      await send(await writer.push(chunk)); // takes the chunk over
      options.onProgress?.(tree.bytes);
    }
    await send(await writer.end());
    parts = await sender.end();
  } finally {
    writer.close();
  }
  const seal: FileSeal = { v: 1, kind: 'file-seal', case: options.seal.caseFingerprint, file: options.seal.fileId, size, chunk: TREE_CHUNK, tree: await tree.hex() };
  await target.finish(parts, await sealWith(sessionKey, seal, options.signingKey));
}

/** The seal: signed, then encrypted with the file's session key alone (a SEIPD packet, no key packets). */
export async function sealWith(sessionKey: Uint8Array, seal: FileSeal, signingKey: OfficerKey): Promise<string> {
  const bytes = utf8(JSON.stringify(seal));
  const signed = isExternal(signingKey)
    ? (await externallySigned(bytes, signingKey)).write() as Uint8Array
    : ((await openpgp.sign({ message: await openpgp.createMessage({ binary: bytes, format: 'binary' }), signingKeys: signingKey, format: 'binary', config: ENCRYPT_CONFIG })) as Uint8Array);
  const writer = await SeipdWriter.create(sessionKey, signed.length);
  try {
    return toBase64Url(concat([writer.head, ...(await writer.push(signed)), ...(await writer.end())]));
  } finally {
    writer.close();
  }
}

/** The seal, if it decrypts with one of `sessionKeys`, is signed by `signer`, and is a seal. */
async function openSeal(seal: string, sessionKeys: openpgp.SessionKey[], signer: openpgp.PublicKey): Promise<FileSeal | null> {
  try {
    const message = await openpgp.readMessage({ binaryMessage: fromBase64Url(seal) });
    const { data } = await openpgp.decrypt({ message, sessionKeys, verificationKeys: signer, expectSigned: true, format: 'binary', config: ENCRYPT_CONFIG });
    const parsed = fileSealSchema.safeParse(JSON.parse(fromUtf8(data as Uint8Array)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type FileCheck =
  | { status: 'verified' }
  /** The bytes decrypted, but are not the file the signed message describes: swapped or cut. */
  | { status: 'mismatch' }
  /** The file is missing, is not for this key, or fails its integrity check. */
  | { status: 'unreadable'; reason: string };

/** `head`, then `body` without its first `skip` bytes: a stored file with its session key packets replaced. */
export function spliced(body: ReadableStream<Uint8Array>, head: Uint8Array, skip: number): ReadableStream<Uint8Array> {
  let left = skip;
  let first = true;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (first) {
          first = false;
          controller.enqueue(head);
        }
        if (left >= chunk.length) {
          left -= chunk.length;
          return;
        }
        controller.enqueue(left ? chunk.subarray(left) : chunk);
        left = 0;
      },
      flush(controller) {
        if (first) controller.enqueue(head);
      },
    }),
  );
}

/** Reads a file message's key packets, then decrypts its data with a session key (checking it at the end). */
export interface FileDecryptor {
  open(message: ReadableStream<Uint8Array>): Promise<{ pkesks: Uint8Array; data(sessionKey: openpgp.SessionKey): AsyncIterable<Uint8Array> }>;
}

/** An async iterable as a stream: what the read loop takes. */
function iterableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/** Who sealed a file and for which case: the signer of the message that names it. */
export interface SealCheck {
  signer: openpgp.PublicKey;
  caseFingerprint: string;
}

/**
 * Downloads an encrypted file, decrypts it as a stream into `sink`, and checks it against the
 * signed description: against its seal (`seal`, signed by `sealedBy`) for a file described by id
 * and size, against the SHA-256 in the message for a file described before seals. `sink` may see
 * bytes of a file that turns out not to verify: a caller that keeps them must drop them unless the
 * result is `verified`.
 */
export async function downloadAndDecrypt(options: {
  url: string;
  /** For a file of a moved case: the new session key packets, which take the place of the object's first `skip` bytes. */
  header?: string;
  skip?: number;
  /** The file's seal, as the server keeps it. */
  seal?: string;
  sealedBy?: SealCheck;
  base: string;
  fetch?: typeof fetch;
  decryptionKey: OfficerKey;
  /** A faster decryption than openpgp.js's, where the platform has one (Node: officer/seipd-decrypt.ts). */
  decryptor?: FileDecryptor;
  expected: Pick<FileRef, 'id' | 'size' | 'sha256'>;
  sink: (chunk: Uint8Array) => void | Promise<void>;
  signal?: AbortSignal;
}): Promise<FileCheck> {
  const { expected } = options;
  const doFetch = options.fetch ?? fetch;
  // Stops the download when the answer is known before its end.
  const stop = new AbortController();
  const stopWith = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stopWith, { once: true });
  try {
    const res = await doFetch(`${options.base}${options.url}`, { signal: stop.signal, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
    if (!res.ok || !res.body) return { status: 'unreadable', reason: `download failed (${res.status})` };
    let seal: FileSeal | null = null;
    let data: ReadableStream<Uint8Array>;
    try {
      const body = options.header !== undefined ? spliced(res.body as ReadableStream<Uint8Array>, fromBase64Url(options.header), options.skip ?? 0) : (res.body as ReadableStream<Uint8Array>);
      // A platform's own decryption (the officer tool's, in Node) reads the key packets, then the data.
      const opened = options.decryptor ? await options.decryptor.open(body) : null;
      const message = await openpgp.readMessage({ binaryMessage: opened ? opened.pkesks : body });
      // Stream the plaintext out as it comes: the integrity check (MDC) still fails the stream at the end.
      const config = { ...ENCRYPT_CONFIG, allowUnauthenticatedStream: true };
      const sessionKeys = await sessionKeysFor(message, options.decryptionKey);
      if (sessionKeys.length === 0) return { status: 'unreadable', reason: 'this file is not encrypted to your key' };
      const decrypted = async () =>
        opened ? iterableStream(opened.data(sessionKeys[0]!)) : ((await openpgp.decrypt({ message, sessionKeys, format: 'binary', config })).data as unknown as ReadableStream<Uint8Array>);
      if (expected.sha256) {
        data = await decrypted();
      } else {
        if (!options.seal) return { status: 'unreadable', reason: 'the file has no seal: its sender never finished it, or the server dropped the seal' };
        seal = options.sealedBy ? await openSeal(options.seal, sessionKeys, options.sealedBy.signer) : null;
        if (!seal || seal.file !== expected.id || seal.size !== expected.size || seal.case !== options.sealedBy?.caseFingerprint || seal.chunk !== TREE_CHUNK) return { status: 'mismatch' };
        data = await decrypted();
      }
    } catch (e) {
      if (options.signal?.aborted) throw e;
      return { status: 'unreadable', reason: e instanceof Error ? e.message : 'does not decrypt' };
    }
    const hash = seal ? new TreeHash() : new Sha256();
    let size = 0;
    try {
      const reader = data.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        size += value.length;
        await options.sink(value);
      }
    } catch (e) {
      if (options.signal?.aborted) throw e;
      return { status: 'unreadable', reason: e instanceof Error ? e.message : 'does not decrypt' };
    }
    const digest = hash instanceof TreeHash ? await hash.hex() : hash.hex();
    return size === expected.size && digest === (seal ? seal.tree : expected.sha256) ? { status: 'verified' } : { status: 'mismatch' };
  } finally {
    options.signal?.removeEventListener('abort', stopWith);
    stop.abort();
  }
}
