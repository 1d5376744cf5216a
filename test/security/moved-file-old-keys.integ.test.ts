/**
 * Probe: after a move, a download spliced the new readers' session key packets in front of the
 * stored file, but the stored object kept the old readers' packets: the old channel's key still
 * decrypted the bytes at rest. Now the move rewrites each object (server-side for the part past
 * the first 5 MiB), so storage holds only the new readers' packets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeToMove, downloadFile, openCase } from '../../shared/client/reporter.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { checkPackets } from '../../shared/protocol/ciphertext.ts';
import { CiphertextScan } from '../../shared/protocol/ciphertext-scan.ts';
import { BUCKET } from '../../functions/local/s3.ts';
import { objectKey } from '../../functions/services/files.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('a moved file at rest', () => {
  it('holds session keys for exactly the new readers, small or past 5 MiB, and still reads back whole', async () => {
    const small = randomBytes(20_000);
    const large = randomBytes(6 * 1024 * 1024 + 12_345);
    const channels = publicChannels(stack.config);
    const { caseId, code } = await fileReport(stack, 'Met twee bestanden.', { channel: 'vertrouwenspersoon' }, [
      { blob: new Blob([small]), name: 'klein.bin', type: 'application/octet-stream' },
      { blob: new Blob([large]), name: 'groot.bin', type: 'application/octet-stream' },
    ]);
    const adviser = officerCli(stack, stack.adviser);
    await adviser('ack', caseId);
    await adviser('ask-move', caseId, '--to', 'integriteit');
    await agreeToMove((await openCase({ api: { base: stack.url }, channels, code })).session, 'integriteit');
    const old = (await stack.local.deps.cases.get(caseId))!.doc.recipientKeyIds;
    expect(await adviser('move', caseId, '--to', 'integriteit')).toMatch(/Moved case/);

    const { doc } = (await stack.local.deps.cases.get(caseId))!;
    const files = await stack.local.deps.files.list(caseId);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file.header).toBeNull();
      const out = await stack.local.s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey(caseId, file.fileId) }));
      const stored = await out.Body!.transformToByteArray();
      expect(stored.length).toBe(file.storedBytes);
      const keyIds = checkPackets(stored.subarray(0, 65536), { truncated: true }).keyIds;
      expect([...keyIds].sort()).toEqual([...doc.recipientKeyIds].sort());
      expect(keyIds.filter((k) => !doc.recipientKeyIds.includes(k) && old.includes(k))).toEqual([]);
      // Still one well-framed message to its last byte.
      const scan = new CiphertextScan();
      scan.push(stored);
      expect(scan.end().keyIds.sort()).toEqual([...doc.recipientKeyIds].sort());
    }
    // The reporter reads both back, verified, byte for byte.
    const opened = await openCase({ api: { base: stack.url }, channels, code });
    const refs = (opened.thread[0]!.payload as { files: Array<{ id: string; size: number; sha256: string }> }).files;
    for (const [ref, original] of [[refs[0]!, small], [refs[1]!, large]] as const) {
      const chunks: Uint8Array[] = [];
      expect((await downloadFile(opened.session, ref, (c) => void chunks.push(c))).status).toBe('verified');
      expect(sha(Buffer.concat(chunks))).toBe(sha(original));
    }
  });
});
