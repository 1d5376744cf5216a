/**
 * OpenPGP packet framing (RFC 9580 §4.2), read without openpgp.js: openpgp.js silently skips
 * packets it does not know (marker, padding, private tags), so a check built on it cannot see
 * everything that is there. Old and new headers, and partial body lengths, are read; `writePacket`
 * writes the canonical form (new header, one definite length).
 */
import { CryptoError } from './errors.ts';
import { concat } from './bytes.ts';

export const TAG = {
  pkesk: 1,
  signature: 2,
  secretKey: 5,
  publicKey: 6,
  secretSubkey: 7,
  userId: 13,
  publicSubkey: 14,
  userAttribute: 17,
  seipd: 18,
} as const;

export interface Packet {
  tag: number;
  body: Uint8Array;
  /** Where the packet's header begins in the bytes it was read from. */
  start?: number;
}

const bad = (why: string) => new CryptoError('not-encrypted', why);
/** Thrown inside readPackets when the data ends mid-packet; an error unless the data is a head. */
const END = Symbol('end of data');

/** Every packet in `bytes`, in order. Throws CryptoError('not-encrypted') if the framing is broken. */
export function readPackets(bytes: Uint8Array, options: { truncated?: boolean } = {}): Packet[] {
  const packets: Packet[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const first = bytes[at++]!;
    if (!(first & 0x80)) throw bad('not OpenPGP packet data');
    const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
    const parts: Uint8Array[] = [];
    const need = (n: number) => {
      if (at + n > bytes.length) throw END;
    };
    const take = (length: number) => {
      if (options.truncated && at + length > bytes.length) length = bytes.length - at;
      need(length);
      parts.push(bytes.subarray(at, at + length));
      at += length;
    };
    try {
      if (first & 0x40) {
        for (;;) {
          need(1);
          const o1 = bytes[at++]!;
          if (o1 < 192) take(o1);
          else if (o1 < 224) {
            need(1);
            take(((o1 - 192) << 8) + bytes[at++]! + 192);
          } else if (o1 === 255) {
            need(4);
            const length = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
            at += 4;
            take(length);
          } else {
            // Partial body length: this part, then another length follows.
            take(1 << (o1 & 0x1f));
            continue;
          }
          break;
        }
      } else {
        const type = first & 3;
        if (type === 3) take(bytes.length - at);
        else {
          const size = [1, 2, 4][type]!;
          need(size);
          let length = 0;
          for (let i = 0; i < size; i++) length = length * 256 + bytes[at + i]!;
          at += size;
          take(length);
        }
      }
    } catch (e) {
      if (e !== END) throw e;
      // The head of a longer file may end anywhere: keep what was read of the last packet.
      if (!options.truncated) throw bad('a packet runs past the end of the data');
      packets.push({ tag, body: concat(parts), start });
      return packets;
    }
    packets.push({ tag, body: concat(parts), start });
  }
  return packets;
}


/** A packet with a new-format header and one definite length. */
export function writePacket(packet: Packet): Uint8Array<ArrayBuffer> {
  const n = packet.body.length;
  const header =
    n < 192 ? [0xc0 | packet.tag, n] : n < 8384 ? [0xc0 | packet.tag, ((n - 192) >> 8) + 192, (n - 192) & 0xff] : [0xc0 | packet.tag, 255, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(header.length + n);
  out.set(header);
  out.set(packet.body, header.length);
  return out;
}

export const writePackets = (packets: Packet[]) => concat(packets.map(writePacket)) as Uint8Array<ArrayBuffer>;
