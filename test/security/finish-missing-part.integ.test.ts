/**
 * Attack: declare a file, start its upload, then finish it naming part 1 without uploading it.
 * s3rver, in the server's process, hit an unhandled ENOENT and node exited: one request stopped
 * the stack. It also never compared the ETags sent at finish. Now finish is refused with a 4xx,
 * the stack keeps serving, and a wrong ETag is refused as S3 refuses it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { put, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const healthy = async () => (await fetch(`${stack.url}/api/health`)).status;

describe('finishing an upload', () => {
  it('naming parts never uploaded is a 4xx, and the stack lives on', async () => {
    const file = await reportDeclaring(stack, [1000]);
    const fileId = file.fileIds[0]!;
    expect((await file.call('start', fileId)).status).toBe(200);
    for (const parts of [[{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }], [{ partNumber: 1, etag: 'x' }, { partNumber: 2, etag: 'y' }], [{ partNumber: 10000, etag: 'x' }]]) {
      const answer = await file.call('finish', fileId, { parts });
      expect(answer.status, JSON.stringify(parts)).toBe(400);
      expect(answer.json.error.message).toMatch(/part is missing/);
    }
    await new Promise((ok) => setTimeout(ok, 200));
    expect(await healthy()).toBe(200);
  });

  it('with an ETag other than the part\'s is refused', async () => {
    const file = await reportDeclaring(stack, [1000]);
    const fileId = file.fileIds[0]!;
    const started = await file.call('start', fileId);
    const uploaded = await put(stack, started.json.urls[0], randomBytes(1500));
    expect(uploaded.status).toBe(200);
    const wrong = await file.call('finish', fileId, { parts: [{ partNumber: 1, etag: '"ffffffffffffffffffffffffffffffff"' }] });
    expect(wrong.status).toBe(400);
    // The part is still there: the right ETag finishes (and the check of the content then refuses random bytes).
    const right = await file.call('finish', fileId, { parts: [{ partNumber: 1, etag: uploaded.etag! }] });
    expect(right.status).toBe(400);
    expect(right.json.error.code).toBe('not-encrypted');
    expect(await healthy()).toBe(200);
  });
});
