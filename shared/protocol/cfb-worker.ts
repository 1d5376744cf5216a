/** A Web Worker running one file's CFB stream (cfb.ts `cfbStream`): bytes in, ciphertext out, in order. */
import { CfbChunks } from './cfb.ts';

let cfb: Promise<CfbChunks> | null = null;

self.onmessage = (event: MessageEvent<{ key: Uint8Array } | { bytes: ArrayBuffer; length: number } | { end: true }>) => {
  const data = event.data;
  if ('key' in data) {
    cfb = CfbChunks.create(data.key);
    return;
  }
  // CfbChunks answers in the order it was asked, so the answers go back in that order too.
  cfb!
    .then((c) => ('end' in data ? c.end() : c.write(new Uint8Array(data.bytes, 0, data.length))))
    .then(
      (chunks) => {
        const buffers = chunks.map((c) => (c.byteOffset === 0 ? c.buffer : c.slice().buffer) as ArrayBuffer);
        self.postMessage({ chunks: buffers, lengths: chunks.map((c) => c.length) }, { transfer: buffers });
      },
      (e: unknown) => self.postMessage({ error: e instanceof Error ? e.message : 'the cipher failed' }),
    );
};
