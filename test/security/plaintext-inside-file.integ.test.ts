/**
 * Attack: finish checked only the first 64 KB of a stored file. A valid encrypted head followed by
 * 280 KB of plaintext was accepted and kept. Now the whole object is streamed through the check:
 * framing to the last byte, and no stretch of the encrypted body that reads as text.
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackets, TAG, writePacket, writePackets } from '../../shared/protocol/packets.ts';
import { objectKey } from '../../functions/services/files.ts';
import { BUCKET } from '../../functions/local/s3.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { reportDeclaring, uploadWhole } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const plaintext = (n: number) => new TextEncoder().encode('Mijn naam is Jan Jansen en ik woon op de Dorpsstraat 1 in Ons Dorp. '.repeat(Math.ceil(n / 69))).subarray(0, n);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
const stored = async (caseId: string, fileId: string) =>
  stack.local.s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey(caseId, fileId) })).then(
    () => true,
    () => false,
  );

describe('a stored file with plaintext behind an encrypted head', () => {
  it('is refused and deleted, wherever the plaintext sits', async () => {
    const file = await reportDeclaring(stack, [400_000, 400_000, 400_000, 400_000]);
    const real = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: randomBytes(20_000) }), encryptionKeys: file.readers, format: 'binary' });
    const packets = readPackets(real);
    const sessionKeys = writePackets(packets.filter((p) => p.tag === TAG.pkesk));
    const body = packets.find((p) => p.tag === TAG.seipd)!.body;
    const forgeries = [
      // The attack as found: one SEIPD packet, an encrypted head, then 280 KB of text inside it.
      concat(sessionKeys, writePacket({ tag: TAG.seipd, body: concat(body, plaintext(280_000)) })),
      // Text in the middle, random bytes around it.
      concat(sessionKeys, writePacket({ tag: TAG.seipd, body: concat(body, randomBytes(100_000), plaintext(5000), randomBytes(100_000)) })),
      // The real message, then the text after it.
      concat(real, plaintext(280_000)),
      // The real message, then a second packet.
      concat(real, writePacket({ tag: TAG.seipd, body: concat(new Uint8Array([1]), randomBytes(5000)) })),
    ];
    for (const [i, forged] of forgeries.entries()) {
      const answer = await uploadWhole(stack, file, file.fileIds[i]!, forged);
      expect(answer.status, `forgery ${i}`).toBe(400);
      expect(answer.json.error.code, `forgery ${i}`).toBe('not-encrypted');
      expect(await stored(file.caseId, file.fileIds[i]!), `forgery ${i}`).toBe(false);
    }
  });

  it('the genuine message, uploaded the same way, is kept', async () => {
    const file = await reportDeclaring(stack, [300_000]);
    const real = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: randomBytes(300_000) }), encryptionKeys: file.readers, format: 'binary' });
    const answer = await uploadWhole(stack, file, file.fileIds[0]!, real);
    expect(answer.status).toBe(200);
    expect(await stored(file.caseId, file.fileIds[0]!)).toBe(true);
  });
});
