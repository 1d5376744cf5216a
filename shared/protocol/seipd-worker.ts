/** A Web Worker running one file's SEIPD body (seipd.ts): plaintext in, MDC hashed and ciphertext out, in order. */
import { SeipdBody } from './seipd.ts';

let body: Promise<SeipdBody> | null = null;

self.onmessage = (event: MessageEvent<{ key: Uint8Array } | { bytes: ArrayBuffer; length: number } | { end: true }>) => {
  const data = event.data;
  if ('key' in data) {
    body = SeipdBody.create(data.key);
    return;
  }
  // SeipdBody answers in the order it was asked, so the answers go back in that order too.
  body!
    .then((b) => ('end' in data ? b.end() : b.write(new Uint8Array(data.bytes, 0, data.length))))
    .then(
      (chunks) => {
        const buffers = chunks.map((c) => (c.byteOffset === 0 ? c.buffer : c.slice().buffer) as ArrayBuffer);
        self.postMessage({ chunks: buffers, lengths: chunks.map((c) => c.length) }, { transfer: buffers });
      },
      (e: unknown) => self.postMessage({ error: e instanceof Error ? e.message : 'the cipher failed' }),
    );
};
