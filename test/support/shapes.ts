/**
 * The corpus of message shapes that are not "exactly one PKESK per reader, then one SEIPD v1
 * packet, in one armored block with a valid checksum". Each is made from a valid message, changed
 * in one way that could carry text past a check that reads only what openpgp.js keeps.
 */
import { armor, dearmor } from '../../shared/protocol/armor.ts';
import { utf8 } from '../../shared/protocol/bytes.ts';
import { readPackets, writePacket, writePackets, type Packet } from '../../shared/protocol/packets.ts';

export const MARKER = 'MARKER-SMUGGLED-TEXT Jan Jansen wethouder Noord';

const literal = (text: string): Packet => ({ tag: 11, body: new Uint8Array([0x62, 0, 0, 0, 0, 0, ...utf8(text)]) });

export function badShapes(valid: string): Array<[string, string]> {
  const packets = readPackets(dearmor(valid, 'MESSAGE'));
  const seipd = packets.at(-1)!;
  const sessionKeys = packets.slice(0, -1);
  const rearmor = (list: Packet[]) => armor('MESSAGE', writePackets(list));
  const text = utf8(MARKER.repeat(4));
  const lines = valid.trimEnd().split('\n');
  const checksumAt = lines.length - 2;
  const wrongChecksum = [...lines];
  wrongChecksum[checksumAt] = lines[checksumAt] === '=AAAA' ? '=AAAB' : '=AAAA';
  return [
    ['an armor header carrying text', valid.replace('-----BEGIN PGP MESSAGE-----\n', `-----BEGIN PGP MESSAGE-----\nComment: ${MARKER}\n`)],
    ['text after the END line', `${valid}${MARKER}\n`],
    ['a second armored block holding a literal-data packet', `${valid}${armor('MESSAGE', writePacket(literal(MARKER)))}`],
    ['a marker packet (tag 10) carrying text', rearmor([{ tag: 10, body: text }, ...packets])],
    ['a padding packet (tag 21) carrying text', rearmor([...packets, { tag: 21, body: text }])],
    ['a private-range packet (tag 60) carrying text', rearmor([...sessionKeys, { tag: 60, body: text }, seipd])],
    ['a literal-data packet before the encrypted data', rearmor([...sessionKeys, literal(MARKER), seipd])],
    ['a duplicated session key packet', rearmor([...sessionKeys, sessionKeys[0]!, seipd])],
    ['a session key packet with text appended', rearmor([{ ...sessionKeys[0]!, body: new Uint8Array([...sessionKeys[0]!.body, ...text]) }, ...sessionKeys.slice(1), seipd])],
    ['an encrypted data packet whose body is text', rearmor([...sessionKeys, { tag: 18, body: new Uint8Array([1, ...text]) }])],
    ['an encrypted data packet too short to be ciphertext', rearmor([...sessionKeys, { tag: 18, body: new Uint8Array([1, 0xde, 0xad]) }])],
    ['SEIPD version 2', rearmor([...sessionKeys, { ...seipd, body: new Uint8Array([2, ...seipd.body.subarray(1)]) }])],
    ['no session key packet', rearmor([seipd])],
    ['a wrong armor checksum', wrongChecksum.join('\n') + '\n'],
    ['no armor checksum', lines.filter((_, i) => i !== checksumAt).join('\n') + '\n'],
    ['a truncated packet', rearmor(packets).replace(/\n[^\n]+\n=[^\n]+\n-----END/, '\n=AAAA\n-----END')],
  ];
}

/**
 * The same packets encoded another valid way: session keys with old-format headers, the encrypted
 * data in partial body lengths (as a streaming encoder writes them).
 */
export function otherEncoding(valid: string): string {
  const packets = readPackets(dearmor(valid, 'MESSAGE'));
  const bytes: number[] = [];
  for (const p of packets) {
    if (p.tag < 16) {
      const n = p.body.length;
      bytes.push(0x80 | (p.tag << 2) | 2, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...p.body);
      continue;
    }
    bytes.push(0xc0 | p.tag);
    let at = 0;
    while (p.body.length - at > 512) {
      bytes.push(224 + 9, ...p.body.subarray(at, at + 512));
      at += 512;
    }
    const rest = p.body.subarray(at);
    bytes.push(...writePacket({ tag: p.tag, body: rest }).subarray(1));
  }
  return armor('MESSAGE', new Uint8Array(bytes));
}
