/**
 * Attack: S3 subresources on `/files/` (`?torrent`, `?legal-hold`, `?retention`, `?acl`,
 * `?tagging`, a doubled `uploadId`, other methods) answered 501, 500 or s3rver's own XML. Only the
 * two operations the product issues pass now; everything else is a plain 4xx naming what is allowed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('the file route', () => {
  it('answers every other operation with a plain 4xx', async () => {
    const file = await reportDeclaring(stack, [1000]);
    const started = await file.call('start', file.fileIds[0]!);
    const url = new URL(started.json.urls[0], 'http://x');
    const upload = url.searchParams.get('uploadId')!;
    const probes: Array<[string, string]> = [];
    for (const sub of ['torrent', 'legal-hold', 'retention', 'acl', 'tagging', 'uploads', 'select', 'restore', 'attributes']) {
      probes.push(['GET', `${url.pathname}${url.search}&${sub}`], ['PUT', `${url.pathname}${url.search}&${sub}`], ['GET', `${url.pathname}?${sub}&X-Amz-Signature=x&X-Amz-Expires=1`]);
    }
    probes.push(['PUT', `${url.pathname}${url.search}&uploadId=${upload}`]);
    probes.push(['PUT', `${url.pathname}${url.search}&partNumber=2`]);
    for (const method of ['DELETE', 'POST', 'HEAD', 'OPTIONS', 'PATCH']) probes.push([method, `${url.pathname}${url.search}`]);
    for (const [method, path] of probes) {
      const res = await fetch(`${stack.url}${path}`, { method, body: method === 'PUT' || method === 'POST' || method === 'PATCH' ? randomBytes(100) : undefined });
      const text = await res.text();
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      expect(text, `${method} ${path}`).not.toMatch(/<\?xml|<Error>/);
    }
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200);
  });
});
