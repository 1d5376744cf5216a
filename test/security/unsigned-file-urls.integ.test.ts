/**
 * Attack: s3rver checks no signature, and the local `/files/` route only checked that signature
 * parameters were present. Any object could be read with a made-up signature, expiry was ignored,
 * parts went to made-up upload ids and to uploads already finished. Now the route checks SigV4 and
 * expiry as S3 does, against the local credentials, before anything reaches storage.
 */
import { GetObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownOrigin } from '../../functions/files/object-store.ts';
import { objectKey } from '../../functions/services/files.ts';
import { BUCKET, uploadsFolder } from '../../functions/local/s3.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { put, reportDeclaring, reportWithFiles } from '../support/uploads.ts';
import { existsSync, readdirSync } from 'node:fs';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const s3 = () => stack.local.s3.client;
const withParam = (url: string, name: string, value: string | null) => {
  const u = new URL(url, 'http://x');
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
};
const partsOnDisk = () => {
  const root = uploadsFolder(stack.local.s3.directory);
  return existsSync(root) ? readdirSync(root, { recursive: true }).filter((f) => /\/\d+$/.test(String(f))).length : 0;
};

describe('reading a stored file', () => {
  it('needs the signature the server made, for that object, not yet expired', async () => {
    const sent = await reportWithFiles(stack, [randomBytes(3000)]);
    const fileId = new URL(sent.urls[0]!, 'http://x').pathname.split('/')[3]!;
    const key = objectKey(sent.caseId, fileId);
    const good = ownOrigin(await getSignedUrl(s3(), new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 }), BUCKET);
    expect((await fetch(`${stack.url}${good}`)).status).toBe(200);

    const forged = [
      withParam(good, 'X-Amz-Signature', 'x'),
      withParam(good, 'X-Amz-Signature', '0'.repeat(64)),
      withParam(good, 'X-Amz-Signature', null),
      withParam(good, 'X-Amz-Expires', '604800'),
      good.replace(fileId, fileId.slice(0, -1) + (fileId.endsWith('A') ? 'B' : 'A')),
      // Signed right, but long expired.
      ownOrigin(await getSignedUrl(s3(), new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 1, signingDate: new Date(Date.now() - 3600_000) }), BUCKET),
      // Signed with other credentials.
      good.replace(/X-Amz-Credential=[^&]*/, 'X-Amz-Credential=AKIAOTHER%2F20261206%2Feu-west-1%2Fs3%2Faws4_request'),
    ];
    for (const url of forged) {
      const res = await fetch(`${stack.url}${url}`);
      expect(res.status, url).toBe(403);
      expect(await res.text(), url).not.toMatch(/<\?xml|OpenPGP|-----BEGIN/);
    }
  });
});

describe('uploading a part', () => {
  it('is refused without the signature, to a made-up upload, and once the file is finished', async () => {
    const before = partsOnDisk();
    const file = await reportDeclaring(stack, [1000]);
    const started = await file.call('start', file.fileIds[0]!);
    const url: string = started.json.urls[0];
    const body = randomBytes(5000);
    for (const forged of [withParam(url, 'X-Amz-Signature', 'x'), withParam(url, 'X-Amz-Signature', null), withParam(url, 'uploadId', 'f'.repeat(32))]) {
      const answer = await put(stack, forged, body);
      expect(answer.status, forged).toBe(403);
    }
    // A correctly signed URL for an upload that was never started (the server never signs one; an attacker with the key could).
    const madeUp = ownOrigin(
      await getSignedUrl(s3(), new UploadPartCommand({ Bucket: BUCKET, Key: objectKey(file.caseId, file.fileIds[0]!), UploadId: 'e'.repeat(32), PartNumber: 1 }), { expiresIn: 60 }),
      BUCKET,
    );
    expect((await put(stack, madeUp, body)).status).toBe(404);
    expect(partsOnDisk()).toBe(before);

    const sent = await reportWithFiles(stack, [randomBytes(2000)]);
    expect(sent.urls.length).toBeGreaterThan(0);
    const after = await put(stack, sent.urls[0]!, body);
    expect(after.status).toBe(404);
    expect(after.text).toMatch(/finished or was never started/);
    expect(partsOnDisk()).toBe(before);
  });
});
