/**
 * ASCII armor (RFC 9580 §6), strictly: one block of the expected type, no header lines, base64
 * lines only, a CRC-24 checksum that must match. The server re-armors what it accepts with
 * `armor`, so nothing outside the packets (headers, comments, trailing text) is ever stored.
 * Node only (the functions and the officer's tool): base64 and CRC-24 are on every submission's
 * path, so they use Buffer's native base64 and a CRC table.
 */
import { CryptoError } from './errors.ts';

export type ArmorType = 'MESSAGE' | 'PUBLIC KEY BLOCK' | 'PRIVATE KEY BLOCK';

const CRC24_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 16;
  for (let i = 0; i < 8; i++) {
    crc <<= 1;
    if (crc & 0x1000000) crc ^= 0x1864cfb;
  }
  return crc & 0xffffff;
});

function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffffff) ^ CRC24_TABLE[((crc >> 16) ^ bytes[i]!) & 0xff]!;
  return crc;
}

const BASE64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64[c.charCodeAt(0)] = 1;

/** `btoa` and `atob`, not Node's Buffer: this module runs in the page too. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Base64 as `atob` reads it (the forgiving-base64 rules, without whitespace): only the 64
 * characters, up to two `=` only at the end of a multiple of four, never 4n+1 characters. Throws
 * on anything else.
 */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  let end = text.length;
  if (end % 4 === 0) while (end > 0 && end > text.length - 2 && text.charCodeAt(end - 1) === 61) end--;
  if (end % 4 === 1) throw new Error('bad base64 length');
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || !BASE64[code]) throw new Error('not base64');
  }
  const binary = atob(text.slice(0, end));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** `text` in lines of `width` characters. */
function wrapLines(text: string, width: number): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.join('\n');
}

/** The canonical armor of `bytes`: no headers, 64-character lines, checksum. */
export function armor(type: ArmorType, bytes: Uint8Array): string {
  const body = wrapLines(toBase64(bytes), 64);
  const crc = crc24(bytes);
  const sum = toBase64(new Uint8Array([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]));
  return `-----BEGIN PGP ${type}-----\n\n${body}\n=${sum}\n-----END PGP ${type}-----\n`;
}

const refuse = (why: string) => new CryptoError('not-encrypted', why);

/**
 * The bytes inside exactly one armored block of `type`. Throws CryptoError('not-encrypted') for
 * anything else: header lines, text before or after the block, a second block, bad base64, a
 * missing or wrong checksum.
 */
export function dearmor(text: string, type: ArmorType): Uint8Array<ArrayBuffer> {
  const lines = text.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, '').split('\n');
  if (lines[0] !== `-----BEGIN PGP ${type}-----`) throw refuse(`not an armored OpenPGP ${type.toLowerCase()}`);
  if (lines.at(-1) !== `-----END PGP ${type}-----`) throw refuse('text after the armored block');
  if (lines[1] !== '') throw refuse('armor header lines are not accepted');
  const body = lines.slice(2, -1);
  const checksum = body.pop();
  if (!checksum || !/^=[A-Za-z0-9+/]{4}$/.test(checksum)) throw refuse('the armor checksum is missing');
  if (body.length === 0 || body.some((l) => l.length === 0)) throw refuse('the armored block holds more than base64');
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64(body.join(''));
  } catch {
    throw refuse('the armored block is not valid base64');
  }
  const sum = fromBase64(checksum.slice(1));
  if (((sum[0]! << 16) | (sum[1]! << 8) | sum[2]!) !== crc24(bytes)) throw refuse('the armor checksum does not match');
  return bytes;
}
