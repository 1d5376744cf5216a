/**
 * Probe: a client that starts a file download through `/files/` and stops reading midway left the
 * connection to the bucket stalled, its data unsent, for good: enough of them hold the server's
 * file descriptors, and the stack could no longer stop. The gate now ends the storage side when
 * the client goes away.
 */
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKey } from '../../functions/services/files.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { reportWithFiles } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const openFds = () => readdirSync('/proc/self/fd').length;

/** GETs `path`, reads its first chunk, then drops the connection. */
const abandon = (path: string) =>
  new Promise<void>((ok, fail) => {
    const url = new URL(path, stack.url);
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'GET' }, (res) => {
      res.once('data', () => {
        req.destroy();
        ok();
      });
    });
    req.on('error', (e) => (req.destroyed ? ok() : fail(e)));
    req.end();
  });

describe('downloads dropped midway', () => {
  it('leave no stalled connection behind', async () => {
    const sent = await reportWithFiles(stack, [randomBytes(8 * 1024 * 1024)]);
    const fileId = new URL(sent.urls[0]!, 'http://x').pathname.split('/')[3]!;
    const url = await stack.local.deps.objects.downloadUrl(objectKey(sent.caseId, fileId), 60);
    await abandon(url);
    await new Promise((ok) => setTimeout(ok, 300));
    const before = openFds();
    for (let i = 0; i < 40; i++) await abandon(url);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(openFds() - before).toBeLessThan(10);
    // And the stack still stops at once.
    const stopping = Date.now();
    await stack.local.s3.stop();
    expect(Date.now() - stopping).toBeLessThan(5000);
    stack.local.s3.stop = async () => undefined;
  });
});
