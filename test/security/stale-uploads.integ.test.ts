/**
 * Probe: the daily sweep of unfinished uploads did nothing locally, because s3rver cannot list
 * them: parts of an upload never finished stayed on disk for good. Uploads are listed and aborted
 * now, parts included, once a day old, as S3's lifecycle rule does in AWS.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET } from '../../functions/local/s3.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { put, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
let now = Date.now();
beforeAll(async () => {
  stack = await startStack({ clock: { now: () => new Date(now) } });
});
afterAll(() => stack?.stop());

const uploads = async (prefix: string) => (await stack.local.s3.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }))).Uploads ?? [];

describe('an upload never finished', () => {
  it('is aborted with its parts by the daily job once a day old, and not before', async () => {
    const file = await reportDeclaring(stack, [3_000_000]);
    const started = await file.call('start', file.fileIds[0]!);
    expect((await put(stack, started.json.urls[0], randomBytes(2_000_000))).status).toBe(200);
    const prefix = `files/${file.caseId}/`;
    expect(await uploads(prefix)).toHaveLength(1);

    await stack.local.runDaily();
    expect(await uploads(prefix)).toHaveLength(1);

    now += 2 * 24 * 60 * 60 * 1000;
    await stack.local.runDaily();
    expect(await uploads(prefix)).toEqual([]);
    // Its part URL finds no upload any more.
    expect((await put(stack, started.json.urls[0], randomBytes(1000))).status).toBe(404);
  });
});
