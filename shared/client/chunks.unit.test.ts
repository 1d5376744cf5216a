import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunksOf, UploadError } from './files.ts';

/** A Blob whose stream is a plain (not byte) stream of the given pieces, as some browsers give. */
function plainStreamBlob(size: number, pieces: Uint8Array[]): Blob {
  return {
    size,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const p of pieces) controller.enqueue(p);
          controller.close();
        },
      }),
  } as unknown as Blob;
}

async function all(blob: Blob, size: number) {
  const out: Uint8Array[] = [];
  for await (const c of chunksOf(blob, size)) out.push(c);
  return out;
}

describe('reading a file in chunks', () => {
  it('gives whole chunks of the same bytes, each in its own buffer, from a byte stream and from a plain one', async () => {
    for (const length of [0, 1, 999, 1000, 1001, 4321]) {
      const data = new Uint8Array(randomBytes(length));
      // Pieces that straddle every chunk edge.
      const pieces = [];
      for (let at = 0; at < length; at += 333) pieces.push(data.slice(at, at + 333));
      for (const blob of [new Blob([data]), plainStreamBlob(length, pieces)]) {
        const chunks = await all(blob, 1000);
        expect(chunks.map((c) => c.length)).toEqual(Array.from({ length: Math.ceil(length / 1000) }, (_, i) => Math.min(1000, length - i * 1000)));
        expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
        expect(chunks.every((c) => c.byteOffset === 0 && c.buffer.byteLength === c.length)).toBe(true);
        expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
      }
    }
  });

  it('refuses a file that is shorter or longer than it said when it was picked', async () => {
    const data = new Uint8Array(randomBytes(2500));
    for (const blob of [plainStreamBlob(2600, [data]), plainStreamBlob(2400, [data]), plainStreamBlob(2500, [data, Uint8Array.of(1)])]) {
      const failure = await all(blob, 1000).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UploadError);
      expect((failure as UploadError).code).toBe('file-changed');
    }
  });
});
