import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { generateNamedKey } from '../shared/protocol/keys.ts';
import { literalHeader, newSessionKey, SeipdWriter } from '../shared/protocol/seipd.ts';
import { concat } from '../shared/protocol/bytes.ts';
import { decryptFile, openFile, SeipdError } from './seipd-decrypt.ts';

const officer = await generateNamedKey('Officier', 'x');

/** The bytes in chunks of `size`, as a download delivers them. */
async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const collect = async (it: AsyncIterable<Uint8Array>) => {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c);
  return Buffer.concat(out);
};

/** A file as the page and the tool write it: one SEIPD packet around a literal packet. */
async function sealed(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const literal = literalHeader(data.length);
  const writer = await SeipdWriter.create(key, literal.length + data.length);
  try {
    return concat([writer.head, ...(await writer.push(literal)), ...(await writer.push(data)), ...(await writer.end())]);
  } finally {
    writer.close();
  }
}

describe('native SEIPD v1 decryption', () => {
  it('reads what openpgp.js writes (partial lengths, any chunking) and what our writer writes', async () => {
    for (const size of [0, 1, 15, 16, 17, 100, 8191, 8192, 70_000, 1_100_000]) {
      const data = randomBytes(size);
      // openpgp.js, streamed: partial body lengths inside and out.
      const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(data), c.close()) });
      const sessionKey = { data: randomBytes(32), algorithm: 'aes256' as const };
      const encrypted = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: stream, format: 'binary' }), sessionKey, encryptionKeys: await openpgp.readKey({ armoredKey: officer.publicKey }), format: 'binary', config: { aeadProtect: false, preferredCompressionAlgorithm: 0 } });
      const bytes = Buffer.from(await collect(encrypted as unknown as AsyncIterable<Uint8Array>));
      // The session-key packets alone are enough to find the session key.
      const opened = await openFile(chunks(bytes, 7));
      const [found] = await openpgp.decryptSessionKeys({ message: await openpgp.readMessage({ binaryMessage: opened.pkesks }), decryptionKeys: officer.unlocked });
      expect(Buffer.from(found!.data).equals(sessionKey.data)).toBe(true);
      expect((await collect(opened.data(sessionKey))).equals(data)).toBe(true);
      for (const chunk of [1, 7, 4096, 1 << 20]) expect((await collect(decryptFile(chunks(bytes, chunk), sessionKey))).equals(data), `${size}/${chunk}`).toBe(true);
      // Ours: one definite-length packet.
      const key = newSessionKey();
      const ours = await sealed(key, data);
      expect((await collect(decryptFile(chunks(ours, 65_536), { data: key, algorithm: 'aes256' }))).equals(data)).toBe(true);
    }
  });

  it('refuses an altered, cut or lengthened file, and a wrong session key', async () => {
    const data = randomBytes(50_000);
    const key = newSessionKey();
    const good = Buffer.from(await sealed(key, data));
    const read = (bytes: Uint8Array, k = key) => collect(decryptFile(chunks(bytes, 4096), { data: k, algorithm: 'aes256' }));
    expect((await read(good)).equals(data)).toBe(true);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 30]! ^= 1;
    await expect(read(flipped)).rejects.toThrow(SeipdError);
    await expect(read(good.subarray(0, good.length - 1))).rejects.toThrow(SeipdError);
    await expect(read(Buffer.concat([good, Buffer.from([0])]))).rejects.toThrow(SeipdError);
    await expect(read(good, newSessionKey())).rejects.toThrow(SeipdError);
  });
});
