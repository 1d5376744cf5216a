/**
 * The file pipeline on the client side, the same in the browser and in Node: hash a file as a
 * stream, encrypt it as a stream into upload parts (one part in memory at a time), upload each
 * part with retries, and download-decrypt-verify as a stream. Imports openpgp.js: load it lazily.
 */
import * as openpgp from 'openpgp';
import type * as z from 'zod/mini';
import type { uploadStartedSchema } from '../schemas/api.ts';
import type { FileRef } from '../schemas/payload.ts';
import { fromBase64Url, toBase64Url } from '../protocol/bytes.ts';
import { Sha256 } from '../protocol/sha256.ts';

/** Same settings as messages: SEIPD v1, no compression, so GnuPG 2.2 decrypts the file. */
const ENCRYPT_CONFIG = { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed, aeadProtect: false };

export const newFileId = () => toBase64Url(crypto.getRandomValues(new Uint8Array(16)));

/** Size and SHA-256 of a stream of bytes, read once. */
export async function hashStream(stream: ReadableStream<Uint8Array>, onBytes?: (n: number) => void): Promise<{ size: number; sha256: string }> {
  const hash = new Sha256();
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    size += value.length;
    onBytes?.(size);
  }
  return { size, sha256: hash.hex() };
}

export interface PartTarget {
  /** Starts (or resumes) the upload: the part size and one URL per part. */
  start(): Promise<z.infer<typeof uploadStartedSchema>>;
  finish(parts: Array<{ partNumber: number; etag: string }>): Promise<unknown>;
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
    readonly code: 'part-failed' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

async function putPart(target: PartTarget, url: string, bytes: Uint8Array, retry: RetryPolicy, signal?: AbortSignal): Promise<string> {
  const doFetch = target.fetch ?? fetch;
  // As a Blob: Chromium uploads a Blob body about five times faster than the same bytes as a typed array.
  const body = new Blob([bytes as BlobPart]);
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
 * Encrypts `source` to `encryptionKeys` as one binary OpenPGP message and uploads it part by part.
 * Never holds more than one part of ciphertext; `onProgress` gets the bytes of plaintext read.
 */
export async function encryptAndUpload(options: {
  source: ReadableStream<Uint8Array>;
  encryptionKeys: openpgp.PublicKey[];
  target: PartTarget;
  onProgress?: (plaintextBytes: number) => void;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}): Promise<void> {
  const { target, signal } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const { partBytes, urls } = await target.start();
  // openpgp.js pulls its input as fast as it can, whatever its output waits for: without a gate the
  // whole file piles up in memory whenever encrypting or uploading is slower than reading. The gate
  // holds plaintext back while more than a window of it has not come out encrypted, or more than
  // three parts wait for an upload. openpgp.js may keep a tail back until it sees more input or the
  // end, so when the output has stalled a while, one more chunk goes through.
  const WINDOW = partBytes;
  let released = 0;
  let received = 0;
  let uploaded = 0;
  let stalledSince = 0;
  let wake: (() => void) | null = null;
  const release = () => {
    wake?.();
    wake = null;
  };
  const source = options.source.getReader();
  const gated = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (released - received > WINDOW || released - uploaded > 3 * partBytes) {
          if (stalledSince && Date.now() - stalledSince > 50) break;
          await new Promise<void>((ok) => ((wake = ok), setTimeout(ok, 25)));
        }
        const { done, value } = await source.read();
        if (done) return controller.close();
        released += value.length;
        options.onProgress?.(released);
        controller.enqueue(value);
      },
      cancel: (reason) => source.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  const message = await openpgp.createMessage({ binary: gated, format: 'binary' });
  const encrypted = (await openpgp.encrypt({ message, encryptionKeys: options.encryptionKeys, format: 'binary', config: ENCRYPT_CONFIG })) as unknown as ReadableStream<Uint8Array>;
  const reader = encrypted.getReader();
  // Up to two parts travel while the next one is encrypted: the network and the cipher overlap.
  const parts: Array<{ partNumber: number; etag: string }> = [];
  const inFlight = new Set<Promise<void>>();
  let part = new Uint8Array(partBytes);
  let filled = 0;
  let numbered = 0;
  let failure: unknown = null;
  const flush = async () => {
    const url = urls[numbered];
    if (!url) throw new UploadError('too-large', 'the file is larger than declared');
    const partNumber = ++numbered;
    const body = part.subarray(0, filled);
    part = new Uint8Array(partBytes);
    filled = 0;
    const sending: Promise<void> = putPart(target, url, body, retry, signal).then(
      (etag) => {
        parts.push({ partNumber, etag });
        uploaded += body.length;
        inFlight.delete(sending);
        release();
      },
      (e: unknown) => {
        failure ??= e;
        inFlight.delete(sending);
        release();
      },
    );
    inFlight.add(sending);
    while (inFlight.size >= 2) await Promise.race(inFlight);
    if (failure) throw failure;
  };
  for (;;) {
    signal?.throwIfAborted();
    stalledSince = Date.now();
    const { done, value } = await reader.read();
    stalledSince = 0;
    if (done) break;
    received += value.length;
    release();
    let at = 0;
    while (at < value.length) {
      const n = Math.min(partBytes - filled, value.length - at);
      part.set(value.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === partBytes) await flush();
    }
  }
  if (filled > 0 || numbered === 0) await flush();
  await Promise.all(inFlight);
  if (failure) throw failure;
  parts.sort((x, y) => x.partNumber - y.partNumber);
  await target.finish(parts);
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

/**
 * Downloads an encrypted file, decrypts it as a stream into `sink`, and checks it against the
 * signed description. `sink` may see bytes of a file that turns out not to verify: a caller that
 * keeps them must drop them unless the result is `verified`.
 */
export async function downloadAndDecrypt(options: {
  url: string;
  /** For a file of a moved case: the new session key packets, which take the place of the object's first `skip` bytes. */
  header?: string;
  skip?: number;
  base: string;
  fetch?: typeof fetch;
  decryptionKey: openpgp.PrivateKey;
  expected: Pick<FileRef, 'size' | 'sha256'>;
  sink: (chunk: Uint8Array) => void | Promise<void>;
  signal?: AbortSignal;
}): Promise<FileCheck> {
  const doFetch = options.fetch ?? fetch;
  const res = await doFetch(`${options.base}${options.url}`, { signal: options.signal, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
  if (!res.ok || !res.body) return { status: 'unreadable', reason: `download failed (${res.status})` };
  const hash = new Sha256();
  let size = 0;
  try {
    const body = options.header !== undefined ? spliced(res.body as ReadableStream<Uint8Array>, fromBase64Url(options.header), options.skip ?? 0) : (res.body as ReadableStream<Uint8Array>);
    const message = await openpgp.readMessage({ binaryMessage: body });
    const result = await openpgp.decrypt({
      message,
      decryptionKeys: options.decryptionKey,
      format: 'binary',
      // Stream the plaintext out as it comes: the integrity check (MDC) still fails the stream at the end.
      config: { ...ENCRYPT_CONFIG, allowUnauthenticatedStream: true },
    });
    const reader = (result.data as unknown as ReadableStream<Uint8Array>).getReader();
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
  return size === options.expected.size && hash.hex() === options.expected.sha256 ? { status: 'verified' } : { status: 'mismatch' };
}
