/**
 * Attack: the server (or anyone who can write its storage) tampers with a file's seal, the signed
 * statement of which bytes a file is (docs/decisions/0006). It can drop the seal, move one file's
 * seal to another, move a whole file with its seal into another case, or store a seal that is not
 * encrypted. Each must leave the file NOT VERIFIED for the officer and the reporter, or be refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { downloadFile, openCase, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { toBase64Url } from '../../shared/protocol/bytes.ts';
import { packetHeader } from '../../shared/protocol/seipd.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { objectKey } from '../../functions/services/files.ts';
import { BUCKET } from '../../functions/local/s3.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import * as openpgp from 'openpgp';
import { sampleReport } from '../support/reports.ts';
import { put, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-seals-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function report(names: string[]) {
  const files = names.map((name) => ({ blob: new Blob([randomBytes(150_000) as BlobPart]), name, type: 'application/octet-stream' }));
  const sent = await submitReport({ api: { base: stack.url }, channels: publicChannels(stack.config), report: sampleReport('Met bewijs.'), files });
  expect(sent.failedFiles).toEqual([]);
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(sent.code)).accessKey);
  const records = await stack.local.deps.files.list(caseId);
  const opened = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code: sent.code });
  const refs = (opened.thread[0]!.payload as { files: Array<{ id: string; name: string; size: number }> }).files;
  const byName = (name: string) => refs.find((r) => r.name === name)!;
  return { ...sent, caseId, records, byName, code: sent.code };
}

/** What the officer's tool and the reporter's page say of each file now. */
async function verdicts(caseId: string, code: Parameters<typeof openCase>[0]['code'], label: string) {
  const dir = join(work, label);
  const officer = await officerCli(stack, stack.officer)('files', caseId, dir);
  const opened = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code });
  const refs = (opened.thread[0]!.payload as { files: Array<{ id: string; name: string; size: number }> }).files;
  const page = new Map<string, string>();
  for (const ref of refs) page.set(ref.name, (await downloadFile(opened.session, ref, () => {})).status);
  return { officer, page, saved: readdirSync(dir) };
}

describe('forged file seals', () => {
  it('files sealed as sent verify for the officer and the reporter', async () => {
    const sent = await report(['a.bin']);
    const { officer, page, saved } = await verdicts(sent.caseId, sent.code, 'honest');
    expect(officer).toContain('1 of 1 file(s) saved');
    expect(page.get('a.bin')).toBe('verified');
    expect(saved).toHaveLength(1);
  });

  it('a dropped seal, or one moved from another file of the same message, is NOT VERIFIED', async () => {
    const sent = await report(['a.bin', 'b.bin']);
    const a = sent.records.find((r) => r.fileId === sent.byName('a.bin').id)!;
    const b = sent.records.find((r) => r.fileId === sent.byName('b.bin').id)!;
    expect(a.seal).toBeTruthy();
    await stack.local.deps.files.put(sent.caseId, { ...a, seal: null });
    await stack.local.deps.files.put(sent.caseId, { ...b, seal: a.seal });
    const { officer, page, saved } = await verdicts(sent.caseId, sent.code, 'moved-seal');
    expect(officer).toMatch(/a\.bin .*NOT VERIFIED: the file has no seal/);
    expect(officer).toMatch(/b\.bin .*NOT VERIFIED/);
    expect(page.get('a.bin')).toBe('unreadable');
    expect(page.get('b.bin')).toBe('mismatch');
    expect(saved).toEqual([]);
  });

  it('a file moved with its seal from another case is NOT VERIFIED: the seal names that case and its reporter signed it', async () => {
    const victim = await report(['echt.bin']);
    const other = await report(['ander.bin']);
    const target = victim.records[0]!;
    const source = other.records[0]!;
    await stack.local.s3.client.send(new CopyObjectCommand({ Bucket: BUCKET, CopySource: `${BUCKET}/${objectKey(other.caseId, source.fileId)}`, Key: objectKey(victim.caseId, target.fileId) }));
    await stack.local.deps.files.put(victim.caseId, { ...target, seal: source.seal, storedBytes: source.storedBytes });
    const { officer, saved } = await verdicts(victim.caseId, victim.code, 'other-case');
    expect(officer).toMatch(/echt\.bin .*NOT VERIFIED: the file is not the one the message describes/);
    expect(saved).toEqual([]);
  });

  it('the server refuses a seal that is not one encrypted packet, and stores nothing', async () => {
    const declared = await reportDeclaring(stack, [20_000]);
    const fileId = declared.fileIds[0]!;
    const started = await declared.call('start', fileId);
    expect(started.status).toBe(200);
    const body = (await openpgp.encrypt({ message: await openpgp.createMessage({ binary: randomBytes(20_000) }), encryptionKeys: declared.readers, format: 'binary', config: { aeadProtect: false } })) as Uint8Array;
    const sent = await put(stack, started.json.urls[0], body);
    expect(sent.status).toBe(200);
    const parts = [{ partNumber: 1, etag: sent.etag }];
    const text = new TextEncoder().encode('{"v":1,"kind":"file-seal","tree":"' + 'a'.repeat(64) + '"} plain text, not encrypted at all '.repeat(4));
    const seipdOf = (bytes: Uint8Array) => Uint8Array.from([...packetHeader(18, bytes.length + 1), 1, ...bytes]);
    for (const [name, seal] of [
      ['plain text', toBase64Url(text)],
      ['text in an encrypted-data packet', toBase64Url(seipdOf(text))],
      ['a whole message with session key packets', toBase64Url(body.subarray(0, 400))],
      ['not base64url', 'abc+/def'],
      ['too long', 'A'.repeat(4_001)],
    ] as const) {
      const finished = await declared.call('finish', fileId, { parts, seal });
      expect(finished.status, name).toBe(400);
      expect((await stack.local.deps.files.get(declared.caseId, fileId))!.state, name).not.toBe('complete');
    }
    // The same upload with a well-formed seal (here: random bytes in one SEIPD packet) is taken.
    const taken = await declared.call('finish', fileId, { parts, seal: toBase64Url(seipdOf(randomBytes(200))) });
    expect(taken.status, JSON.stringify(taken.json)).toBe(200);
  });
});
