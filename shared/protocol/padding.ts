/**
 * Plaintext is padded to a size bucket before encryption so that ciphertext length says little
 * about what was written. The padding is trailing spaces after the JSON text: JSON.parse ignores
 * them, and a file decrypted with GnuPG years from now is still plain JSON.
 */
import { utf8 } from './bytes.ts';

const SMALLEST = 1024;
const MIB = 1024 * 1024;

/** 1 KiB, 2 KiB, 4 KiB ... 1 MiB, then whole MiB. */
export function bucketSize(length: number): number {
  if (length > MIB) return Math.ceil(length / MIB) * MIB;
  let size = SMALLEST;
  while (size < length) size *= 2;
  return size;
}

export function padJson(value: unknown): Uint8Array<ArrayBuffer> {
  const text = utf8(JSON.stringify(value) + '\n');
  const out = new Uint8Array(bucketSize(text.length)).fill(0x20);
  out.set(text);
  return out;
}
