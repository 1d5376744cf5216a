/**
 * The server's check on everything it stores as a message or file: exactly one public-key session
 * key packet (PKESK v3) per reader, then one SEIPD v1 packet, nothing else. What passes is written
 * back in canonical form, so no armor header, trailing text or extra packet can ride along.
 *
 * A SEIPD body is ciphertext and cannot be checked further without the key; what can be refused is
 * a body too short to be one, or one that reads as text (ciphertext bytes are uniform: about 38%
 * printable, text nearly 100%).
 */
import { armor, dearmor } from './armor.ts';
import type { ArmoredMessage } from './envelope.ts';
import { CryptoError } from './errors.ts';
import { readPackets, TAG, writePackets, type Packet } from './packets.ts';
import { toHex } from './bytes.ts';

const ALGO = { rsa: 1, ecdh: 18 } as const;
/** Version byte, then at least one cipher block, its 2-byte quick check and a 22-byte MDC packet. */
const MIN_SEIPD = 1 + 16 + 2 + 22;

const refuse = (why: string) => new CryptoError('not-encrypted', why);

/** Reads one MPI at `at`; returns where it ends. */
function mpiEnd(body: Uint8Array, at: number): number {
  if (at + 2 > body.length) throw refuse('a session key packet is cut short');
  const bits = (body[at]! << 8) | body[at + 1]!;
  const end = at + 2 + Math.ceil(bits / 8);
  if (bits === 0 || end > body.length) throw refuse('a session key packet is malformed');
  return end;
}

/** The recipient key ID of a PKESK v3 packet, after checking that it holds exactly a session key for RSA or ECDH. */
function sessionKeyId(packet: Packet): string {
  const b = packet.body;
  if (b.length < 10 || b[0] !== 3) throw refuse('only version 3 session key packets are accepted');
  const algorithm = b[9];
  let end: number;
  if (algorithm === ALGO.rsa) end = mpiEnd(b, 10);
  else if (algorithm === ALGO.ecdh) {
    const point = mpiEnd(b, 10);
    if (b[12] !== 0x40 || point - 12 !== 33) throw refuse('an ECDH session key packet must carry a curve25519 point');
    const wrapped = b[point];
    if (wrapped === undefined || wrapped < 24 || wrapped > 64 || wrapped % 8 !== 0) throw refuse('an ECDH session key packet is malformed');
    end = point + 1 + wrapped;
  } else throw refuse('session keys must be for RSA or ECDH keys');
  if (end !== b.length) throw refuse('a session key packet carries extra bytes');
  return toHex(b.subarray(1, 9));
}

/** 1 for the bytes of printable ASCII text (and tab, CR, LF), 0 for the rest. */
export const PRINTABLE = Uint8Array.from({ length: 256 }, (_, b) => Number((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d));

function readsAsText(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, 64 * 1024);
  let printable = 0;
  for (let i = 0; i < length; i++) printable += PRINTABLE[bytes[i]!]!;
  return printable > 0.6 * length;
}

export interface CheckedCiphertext {
  /** Recipient key IDs, one per PKESK, in order. */
  keyIds: string[];
  packets: Packet[];
}

/**
 * The encrypted data packet's own rules: SEIPD version 1, long enough for its prefix and MDC (unless
 * only its head is at hand), and nothing that reads as text. Throws CryptoError('not-encrypted').
 */
export function checkEncryptedData(data: Packet | undefined, options: { truncated?: boolean } = {}): asserts data is Packet {
  if (!data || data.tag !== TAG.seipd) throw refuse('the message must end in one encrypted data packet (SEIPD)');
  if (data.body[0] !== 1) throw refuse('only SEIPD version 1 is accepted (GnuPG 2.2 compatibility)');
  if (!options.truncated && data.body.length < MIN_SEIPD) throw refuse('the encrypted data packet is too short to be ciphertext');
  if (readsAsText(data.body.subarray(1))) throw refuse('the encrypted data packet reads as text, not ciphertext');
}

/**
 * Checks the packets of an encrypted message. With `truncated`, `bytes` is the head of a larger
 * file: the SEIPD packet may run past it.
 */
export function checkPackets(bytes: Uint8Array, options: { truncated?: boolean } = {}): CheckedCiphertext {
  const packets = readPackets(bytes, options);
  const data = packets.pop();
  checkEncryptedData(data, options);
  if (packets.length === 0) throw refuse('the message has no session key packet');
  if (packets.some((p) => p.tag !== TAG.pkesk)) throw refuse('only session key packets may come before the encrypted data');
  const keyIds = packets.map(sessionKeyId);
  if (new Set(keyIds).size !== keyIds.length) throw refuse('a reader appears twice');
  return { keyIds, packets: [...packets, data] };
}

/** Whether checked key IDs (never repeated: `checkPackets` refuses that) are exactly `readers`, no more and no fewer. */
export function forExactly(keyIds: readonly string[], readers: readonly string[]): boolean {
  const want = new Set(readers);
  return keyIds.length === want.size && keyIds.every((id) => want.has(id));
}

/** Checks an armored message and returns its key IDs and the canonical armor to store instead. */
export function checkArmoredMessage(text: string): { keyIds: string[]; canonical: ArmoredMessage } {
  const { keyIds, packets } = checkPackets(dearmor(text, 'MESSAGE'));
  return { keyIds, canonical: armor('MESSAGE', writePackets(packets)) as ArmoredMessage };
}
