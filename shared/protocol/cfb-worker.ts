/** A Web Worker running one file's CFB cipher (cfb.ts `cfbCipher`): chunks in, ciphertext out, in order. */
import { Cfb } from './cfb.ts';

let cfb: Promise<Cfb> | null = null;

self.onmessage = (event: MessageEvent<{ key: Uint8Array } | { plaintext: ArrayBuffer; length: number }>) => {
  const data = event.data;
  if ('key' in data) {
    cfb = Cfb.create(data.key);
    return;
  }
  // Cfb enciphers the chunks one after another, so the answers go back in the order they came.
  cfb!
    .then((c) => c.encrypt(new Uint8Array(data.plaintext, 0, data.length)))
    .then(
      (out) => self.postMessage({ ciphertext: out.buffer, length: out.length }, { transfer: [out.buffer] }),
      (e: unknown) => self.postMessage({ error: e instanceof Error ? e.message : 'the cipher failed' }),
    );
};
