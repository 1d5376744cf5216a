/**
 * Evidence files end to end on the local stack (dynalite, s3rver, the local server's /files/ route):
 * a 100 MB file from reporter to officer, byte-identical through the tool and through GnuPG; an
 * upload that survives a failed part; swapped and cut files NOT VERIFIED; plaintext, wrongly
 * addressed and oversized uploads refused and gone; unreferenced objects swept; files deleted with
 * their case; a document from the officer back to the reporter.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { downloadFile, openCase, postMessage, submitReport } from '../shared/client/reporter.ts';
import { newFileId } from '../shared/client/files.ts';
import { deriveCodeKeys } from '../shared/protocol/derive.ts';
import { readPublicKey } from '../shared/protocol/keys.ts';
import { caseIdFor } from '../functions/services/reporter.ts';
import { objectKey } from '../functions/services/files.ts';
import { BUCKET } from '../functions/local/s3.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { gnupgFor } from './support/gnupg.ts';
import { post, proof, sampleReport } from './support/reports.ts';
import { exiftool, identifyingTags, photoWithGps } from './support/evidence.ts';

let stack: TestStack;
let now = Date.now();
const clock = () => new Date(now);
const work = mkdtempSync(join(tmpdir(), 'meldpunt-files-'));
beforeAll(async () => {
  stack = await startStack({ clock: { now: clock } });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const api = () => ({ base: stack.url });
const channels = () => publicChannels(stack.config);
const s3 = () => stack.local.s3.client;

async function report(files: Array<{ data: Uint8Array; name: string }>, what = 'Met bewijs.') {
  const sent = await submitReport({ api: api(), channels: channels(), report: sampleReport(what), files: files.map((f) => ({ blob: new Blob([f.data as BlobPart]), name: f.name, type: 'application/octet-stream' })) });
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(sent.code)).accessKey);
  return { ...sent, caseId };
}

async function storedObject(caseId: string, fileId: string): Promise<Uint8Array | null> {
  try {
    const out = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey(caseId, fileId) }));
    return await out.Body!.transformToByteArray();
  } catch {
    return null;
  }
}

const gpgDecrypt = (file: string) => gnupgFor(stack.officer, work)(['--decrypt', file]);

describe('evidence files', () => {
  it('a 100 MB file reaches the officer byte-identical, through the tool and through GnuPG, also after a failed part', async () => {
    const big = randomBytes(100_000_000);
    stack.local.faults.failParts = 1;
    const { caseId, failedFiles } = await report([{ data: big, name: 'opname.bin' }]);
    expect(failedFiles).toEqual([]);
    expect(stack.local.faults.failParts).toBe(0); // the fault was hit, and the part was sent again
    const officer = officerCli(stack, stack.officer, clock);
    const shown = await officer('show', caseId);
    expect(shown).toContain('File: opname.bin (application/octet-stream, 100 MB');
    const dir = join(work, 'big');
    const out = await officer('files', caseId, dir);
    expect(out).toContain('VERIFIED: the bytes match the signed description');
    const [saved] = readdirSync(dir);
    expect(sha(readFileSync(join(dir, saved!)))).toBe(sha(big));
    // The register copy: the stored OpenPGP file, as GnuPG reads it with the officer key alone.
    const exportDir = join(work, 'export-big');
    await officer('export', caseId, exportDir);
    const gpgFile = readdirSync(exportDir).find((f) => f.endsWith('opname.bin.gpg'))!;
    expect(sha(gpgDecrypt(join(exportDir, gpgFile)))).toBe(sha(big));
    expect(sha(readFileSync(join(exportDir, gpgFile.replace(/\.gpg$/, ''))))).toBe(sha(big));
  });

  it('a file swapped or cut on the server is NOT VERIFIED and not saved', async () => {
    const a = randomBytes(300_000);
    const b = randomBytes(200_000);
    const { caseId } = await report([{ data: a, name: 'a.bin' }, { data: b, name: 'b.bin' }]);
    const files = (await stack.local.deps.files.list(caseId)).map((f) => f.fileId);
    const ids = (await officerCli(stack, stack.officer, clock)('show', caseId, '--json'));
    const refs = (JSON.parse(ids).entries[0].payload.files as Array<{ id: string; name: string }>);
    const idA = refs.find((r) => r.name === 'a.bin')!.id;
    const idB = refs.find((r) => r.name === 'b.bin')!.id;
    expect(files.sort()).toEqual([idA, idB].sort());
    // Swap: A's object now holds B (a real file, encrypted to the same readers). Cut: B loses its end.
    await s3().send(new CopyObjectCommand({ Bucket: BUCKET, CopySource: `${BUCKET}/${objectKey(caseId, idB)}`, Key: objectKey(caseId, idA) }));
    const bytesB = (await storedObject(caseId, idB))!;
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: objectKey(caseId, idB), Body: bytesB.subarray(0, bytesB.length - 5000) }));
    const dir = join(work, 'swapped');
    const out = await officerCli(stack, stack.officer, clock)('files', caseId, dir);
    expect(out).toMatch(/a\.bin .*NOT VERIFIED: the file is not the one the message describes/);
    expect(out).toMatch(/b\.bin .*NOT VERIFIED/);
    expect(out).toContain('0 of 2 file(s) saved');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses, and deletes, a plaintext upload, one for the wrong readers, and one larger than declared', async () => {
    const { code, caseId } = await report([], 'Straks komt een bestand.');
    const { accessKey } = await deriveCodeKeys(code);
    const pow = await proof(stack.url, 'open', accessKey);
    const reporterKey = await readPublicKey((await stack.local.deps.cases.get(caseId))!.doc.reporterPublicKey);
    const officerKey = await readPublicKey(stack.officer.publicKey);
    const stranger = (await openpgp.generateKey({ userIDs: [{ name: 'x' }], format: 'object' })).publicKey;
    const encrypt = async (data: Uint8Array, keys: openpgp.PublicKey[]) =>
      (await openpgp.encrypt({ message: await openpgp.createMessage({ binary: data }), encryptionKeys: keys, format: 'binary', config: { aeadProtect: false } })) as Uint8Array;
    const attempts: Array<[string, number, Uint8Array, number, string]> = [
      ['plaintext', 20_000, new TextEncoder().encode('Dit is gewoon tekst, niet versleuteld. '.repeat(500)), 400, 'not-encrypted'],
      ['wrong readers', 20_000, await encrypt(randomBytes(20_000), [officerKey, stranger]), 400, 'wrong-recipients'],
      ['larger than declared', 1_000, await encrypt(randomBytes(300_000), [reporterKey, officerKey]), 413, 'file-too-large'],
    ];
    for (const [name, declared, body, status, errorCode] of attempts) {
      const fileId = newFileId();
      const message = (await post(stack.url, '/api/case/messages', { accessKey, pow, messageId: newFileId(), message: await sealFor(caseId), files: [{ id: fileId, size: declared }] }));
      expect(message.status, name).toBe(201);
      const started = await post(stack.url, '/api/case/files/start', { accessKey, pow, fileId });
      expect(started.status, name).toBe(200);
      const put = await fetch(`${stack.url}${started.json.urls[0]}`, { method: 'PUT', body: body as BodyInit });
      expect(put.status, name).toBe(200);
      const finished = await post(stack.url, '/api/case/files/finish', { accessKey, pow, fileId, parts: [{ partNumber: 1, etag: put.headers.get('etag') }] });
      expect(finished.status, `${name}: ${JSON.stringify(finished.json)}`).toBe(status);
      expect(finished.json.error.code, name).toBe(errorCode);
      expect(await storedObject(caseId, fileId), name).toBeNull();
      expect((await post(stack.url, '/api/case/files/get', { accessKey, pow, fileId })).status, name).toBe(404);
    }

    async function sealFor(id: string) {
      const { sealPayload } = await import('../shared/protocol/envelope.ts');
      const { unlockPrivateKey } = await import('../shared/protocol/keys.ts');
      const doc = (await stack.local.deps.cases.get(id))!.doc;
      const key = await unlockPrivateKey(doc.lockedPrivateKey, (await deriveCodeKeys(code)).unlockPassphrase);
      return sealPayload({ payload: { v: 1, kind: 'reporter-message', text: 'bijlage' }, signingKey: key, encryptionKeys: [reporterKey, officerKey] });
    }
  });

  it('refuses more files than a message may carry, and files beyond the limit, before anything is stored', async () => {
    const { code } = await report([], 'Limieten.');
    const { accessKey } = await deriveCodeKeys(code);
    const pow = await proof(stack.url, 'open', accessKey);
    const base = { accessKey, pow, messageId: newFileId(), message: '-----BEGIN PGP MESSAGE-----\n\n=AAAA\n-----END PGP MESSAGE-----\n' };
    const tooMany = Array.from({ length: stack.config.files.maxFilesPerMessage + 1 }, () => ({ id: newFileId(), size: 10 }));
    const before = await stack.countItems();
    // The message check comes first: nothing is declared for a message that is refused.
    expect((await post(stack.url, '/api/case/messages', { ...base, files: tooMany })).status).toBe(400);
    expect((await post(stack.url, '/api/case/messages', { ...base, files: [{ id: newFileId(), size: stack.config.files.maxFileBytes + 1 }] })).status).toBe(400);
    expect(await stack.countItems()).toBe(before);
  });

  it('sweeps objects that no complete upload refers to, a day later; keeps complete ones; deletes files with their case', async () => {
    const kept = randomBytes(50_000);
    const { caseId } = await report([{ data: kept, name: 'blijft.bin' }]);
    const [complete] = await stack.local.deps.files.list(caseId);
    const stray = objectKey(caseId, newFileId());
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: stray, Body: randomBytes(1000) }));
    expect((await stack.local.runDaily()).filesSwept).toBe(0); // not a day old yet
    now += 2 * 24 * 60 * 60 * 1000;
    expect((await stack.local.runDaily()).filesSwept).toBeGreaterThanOrEqual(1);
    expect(await storedObject(caseId, stray.split('/').pop()!)).toBeNull();
    expect(await storedObject(caseId, complete!.fileId)).not.toBeNull();
    await officerCli(stack, stack.officer, clock)('delete', caseId, '--yes');
    expect(await storedObject(caseId, complete!.fileId)).toBeNull();
  });

  it('escalation re-encrypts the report\'s files for CLB, within consent; CLB cannot fetch the originals', async () => {
    const evidence = randomBytes(80_000);
    const sent = await submitReport({
      api: api(),
      channels: channels(),
      report: { ...sampleReport('Voor het CLB, met bijlage.'), consent: { clb: 'without-contact' } },
      files: [{ blob: new Blob([evidence]), name: 'bon.pdf', type: 'application/pdf' }],
    });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(sent.code)).accessKey);
    const original = (await stack.local.deps.files.list(caseId))[0]!.fileId;
    expect(await officerCli(stack, stack.officer, clock)('escalate', caseId, '--to', 'clb')).toContain('Escalated');
    const clb = officerCli(stack, stack.clb, clock);
    const dir = join(work, 'clb');
    const out = await clb('files', caseId, dir);
    expect(out).toContain('1 of 1 file(s) saved');
    expect(sha(readFileSync(join(dir, readdirSync(dir)[0]!)))).toBe(sha(evidence));
    const records = await stack.local.deps.files.list(caseId);
    expect(records.map((r) => r.thread).sort()).toEqual(['case', 'clb']);
    // The original is on the reporter's conversation, which CLB does not read without consent.
    const { signRequest } = await import('../shared/protocol/request-signing.ts');
    const { unlockPrivateKey } = await import('../shared/protocol/keys.ts');
    const key = await unlockPrivateKey(stack.clb.privateKey, stack.clb.passphrase);
    const path = `/api/officer/cases/${caseId}/files/${original}`;
    const res = await fetch(`${stack.url}${path}`, { headers: await signRequest(key, { method: 'GET', path, body: '', now: clock() }) });
    expect(res.status).toBe(403);
  });

  it('a document from the officer reaches the reporter, verified', async () => {
    const { code, caseId } = await report([], 'Stuur mij het verslag.');
    const doc = randomBytes(120_000);
    const path = join(work, 'verslag.pdf');
    writeFileSync(path, doc);
    const out = await officerCli(stack, stack.officer, clock)('reply', caseId, '--message', 'Hierbij het verslag.', '--file', path);
    expect(out).toContain('with 1 file(s)');
    const opened = await openCase({ api: api(), channels: channels(), code });
    const reply = opened.thread.at(-1)!;
    expect(reply.signature.status).toBe('verified');
    const ref = (reply.payload as { files: Array<{ id: string; size: number; sha256: string; name: string }> }).files[0]!;
    expect(ref.name).toBe('verslag.pdf');
    const chunks: Uint8Array[] = [];
    const check = await downloadFile(opened.session, ref, (c) => void chunks.push(c));
    expect(check).toEqual({ status: 'verified' });
    expect(sha(Buffer.concat(chunks))).toBe(sha(doc));
    // And the reporter sends one back, on the same path.
    const back = randomBytes(10_000);
    const sent = await postMessage(opened.session, 'Dank, hier nog een foto.', undefined, { files: [{ blob: new Blob([back]), name: 'foto.jpg', type: 'image/jpeg' }] });
    expect(sent.failedFiles).toEqual([]);
    const dir = join(work, 'back');
    mkdirSync(dir);
    expect(await officerCli(stack, stack.officer, clock)('files', caseId, dir)).toContain('2 of 2 file(s) saved');
  });

  it('an officer\'s photo reaches the reporter without the officer\'s metadata, unless --keep-metadata', async () => {
    const { code, caseId } = await report([], 'Stuur mij een foto.');
    const officer = officerCli(stack, stack.officer, clock);
    const photo = photoWithGps(work, 'officier.jpg');
    expect(identifyingTags(exiftool(photo)).length).toBeGreaterThan(0);
    await officer('reply', caseId, '--message', 'Is dit de plek?', '--file', photo);
    await officer('reply', caseId, '--message', 'Met gegevens, bewust.', '--file', photo, '--keep-metadata');
    const opened = await openCase({ api: api(), channels: channels(), code });
    const received = [];
    for (const entry of opened.thread.slice(-2)) {
      const ref = (entry.payload as { files: Array<{ id: string; size: number; name: string; metadataKept: boolean }> }).files[0]!;
      const chunks: Uint8Array[] = [];
      expect(await downloadFile(opened.session, ref, (c) => void chunks.push(c))).toEqual({ status: 'verified' });
      const path = join(work, `ontvangen-${received.length}.jpg`);
      writeFileSync(path, Buffer.concat(chunks));
      received.push({ kept: ref.metadataKept, tags: identifyingTags(exiftool(path)) });
    }
    expect(received[0]).toEqual({ kept: false, tags: [] });
    expect(received[1]!.kept).toBe(true);
    expect(received[1]!.tags.length).toBeGreaterThan(0);
  });
});
