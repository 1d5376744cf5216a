/**
 * Attack: the local `/files/` route handed its query string to s3rver, which built a part's disk
 * path from `uploadId` and `partNumber` unchecked: `uploadId=../../../../pwned` wrote any file on
 * the host (the web app's folder included). Now no value from the request reaches a path unchecked,
 * through the route or on s3rver's own socket.
 */
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { put, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** Every file under `dir`, recursively. */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('a part upload naming a path', () => {
  it('writes nothing outside the upload, whatever uploadId and partNumber say', async () => {
    const file = await reportDeclaring(stack, [1000]);
    const started = await file.call('start', file.fileIds[0]!);
    expect(started.status).toBe(200);
    const signed = new URL(started.json.urls[0], 'http://x');
    const before = walk(stack.local.home).length;
    const attacks: Array<[string, string]> = [
      ['..%2F..%2F..%2F..%2Fpwned', 'proof.txt'],
      [signed.searchParams.get('uploadId')!, '..%2F..%2Fpwned'],
      [signed.searchParams.get('uploadId')!, 'proof.txt'],
      ['..', '1'],
    ];
    for (const [uploadId, partNumber] of attacks) {
      // With a made-up signature, as the attack sent it, and with the real signature of another URL.
      for (const signature of ['x', signed.searchParams.get('X-Amz-Signature')!]) {
        const q = new URLSearchParams(signed.search);
        q.set('X-Amz-Signature', signature);
        const url = `${signed.pathname}?${q.toString().replace(/uploadId=[^&]*/, `uploadId=${uploadId}`).replace(/partNumber=[^&]*/, `partNumber=${partNumber}`)}`;
        const answer = await put(stack, url, new TextEncoder().encode('pwned'));
        expect(answer.status, url).toBeGreaterThanOrEqual(400);
        expect(answer.status, url).toBeLessThan(500);
      }
    }
    expect(walk(stack.local.home).filter((f) => f.includes('pwned') || f.endsWith('proof.txt'))).toEqual([]);
    expect(walk(stack.local.home).length).toBe(before);
    // The attack's target lay outside the data folder.
    expect(existsSync(join(stack.local.home, '..', 'pwned'))).toBe(false);
  });

  it('is refused by s3rver itself too, on its socket, where this user\'s own programs reach it', async () => {
    const file = await reportDeclaring(stack, [1000]);
    await file.call('start', file.fileIds[0]!);
    const base = `/meldpunt-files/files/${file.caseId}/${file.fileIds[0]}`;
    for (const query of ['partNumber=1&uploadId=..%2F..%2F..%2Fpwned', 'partNumber=..%2Fpwned&uploadId=0123456789abcdef0123456789abcdef']) {
      const status = await new Promise<number>((ok, fail) =>
        request({ socketPath: stack.local.s3.socketPath, path: `${base}?${query}`, method: 'PUT', headers: { 'content-length': 5 } }, (res) => {
          res.resume();
          ok(res.statusCode!);
        })
          .on('error', fail)
          .end('pwned'),
      );
      expect(status, query).toBeGreaterThanOrEqual(400);
      expect(status, query).toBeLessThan(500);
    }
    expect(walk(stack.local.home).filter((f) => f.includes('pwned'))).toEqual([]);
  });
});
