/**
 * AES-256 in CFB mode as OpenPGP's SEIPD v1 uses it (zero IV, no resynchronisation), continuing
 * from one call to the next, with AES run natively: CFB over a chunk of N blocks is one WebCrypto
 * AES-CBC call over the previous ciphertext block and the first N-1 plaintext blocks (CBC's
 * chaining then yields exactly E(C[i-1]) for every block), then one XOR.
 *
 * In a page, WebCrypto does the work on the calling thread, so `cfbCipher` runs it in a Web Worker
 * (`cfb-worker.ts`): the page hashes and uploads meanwhile. In Node, and wherever a worker cannot
 * start, it runs in the thread.
 */
const BLOCK = 16;

export interface Cipher {
  /** The ciphertext of `plaintext`, which the cipher may take over (transfer); calls are answered in order. */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array>;
  close(): void;
}

export class Cfb implements Cipher {
  private previous = new Uint8Array(BLOCK);
  /** The call before: each continues from its last block. */
  private last: Promise<unknown> = Promise.resolve();
  private constructor(private readonly key: CryptoKey) {}

  static async create(sessionKey: Uint8Array): Promise<Cfb> {
    return new Cfb(await crypto.subtle.importKey('raw', sessionKey as BufferSource, { name: 'AES-CBC' }, false, ['encrypt']));
  }

  /** Whole blocks, except for the very last call. Calls made at once are enciphered one after another. */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    const done = this.last.then(() => this.next(plaintext));
    this.last = done.catch(() => {});
    return done;
  }

  private async next(plaintext: Uint8Array): Promise<Uint8Array> {
    const blocks = Math.ceil(plaintext.length / BLOCK);
    const input = new Uint8Array(blocks * BLOCK);
    input.set(this.previous);
    input.set(plaintext.subarray(0, (blocks - 1) * BLOCK), BLOCK);
    const out = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(BLOCK) }, this.key, input), 0, plaintext.length);
    // XOR in place (the keystream is not needed after), four bytes at a time where aligned: a
    // quarter of the steps, which counts without a JIT.
    const words = plaintext.byteOffset % 4 === 0 ? plaintext.length >> 2 : 0;
    const a = new Int32Array(out.buffer, 0, words);
    const b = new Int32Array(plaintext.buffer, plaintext.byteOffset, words);
    for (let i = 0; i < words; i++) a[i] = a[i]! ^ b[i]!;
    for (let i = words * 4; i < plaintext.length; i++) out[i] = out[i]! ^ plaintext[i]!;
    if (plaintext.length >= BLOCK) this.previous = out.slice(plaintext.length - BLOCK);
    return out;
  }

  close() {}
}

/** The same cipher in a Web Worker, its chunks handed over without a copy. */
class CfbInWorker implements Cipher {
  private readonly waiting: Array<{ ok: (c: Uint8Array) => void; fail: (e: unknown) => void }> = [];
  private broken: unknown = null;

  constructor(private readonly worker: Worker, sessionKey: Uint8Array) {
    worker.onmessage = (e: MessageEvent<{ ciphertext?: ArrayBuffer; length?: number; error?: string }>) => {
      const next = this.waiting.shift();
      if (e.data.error !== undefined || !e.data.ciphertext) next?.fail(new Error(e.data.error ?? 'the cipher failed'));
      else next?.ok(new Uint8Array(e.data.ciphertext, 0, e.data.length));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.broken = new Error('the cipher stopped');
      for (const w of this.waiting.splice(0)) w.fail(this.broken);
    };
    worker.postMessage({ key: sessionKey });
  }

  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    if (this.broken) return Promise.reject(this.broken);
    const whole = plaintext.byteOffset === 0 && plaintext.byteLength === plaintext.buffer.byteLength ? plaintext : plaintext.slice();
    return new Promise((ok, fail) => {
      this.waiting.push({ ok, fail });
      this.worker.postMessage({ plaintext: whole.buffer, length: whole.length }, [whole.buffer as ArrayBuffer]);
    });
  }

  close() {
    this.worker.terminate();
  }
}

/** A CFB cipher for `sessionKey`: in a Web Worker where there is one, else in this thread. */
export async function cfbCipher(sessionKey: Uint8Array): Promise<Cipher> {
  if (typeof Worker === 'function' && typeof document !== 'undefined') {
    try {
      return new CfbInWorker(new Worker(new URL('./cfb-worker.ts', import.meta.url), { type: 'module' }), sessionKey);
    } catch {
      // No worker here (a policy, an old browser): the same work in this thread.
    }
  }
  return Cfb.create(sessionKey);
}
