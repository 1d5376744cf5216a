/**
 * Attack: follow-ups racing `officer delete` left message items and file records with no case,
 * which survived the daily job and a restart; delete never aborted a started upload, so its parts
 * stayed on disk; and a follow-up racing the delete got a 500. Now the case item becomes a
 * tombstone in one write before anything else goes, the daily job sweeps behind it, unfinished
 * uploads are aborted, and a late follow-up gets a 404.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET } from '../../functions/local/s3.ts';
import { officerApi } from '../support/races.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { newId, put, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const itemsOf = async (caseId: string) =>
  (await stack.local.dynamo.client.send(new QueryCommand({ TableName: stack.local.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: caseId } } }))).Items ?? [];
const uploadsOf = async (caseId: string) => (await stack.local.s3.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: `files/${caseId}/` }))).Uploads ?? [];

describe('follow-ups racing a delete', () => {
  it('leave nothing behind once the daily job has run, and never get a 5xx (many rounds)', async () => {
    const api = await officerApi(stack, stack.officer);
    const cases: string[] = [];
    for (let round = 0; round < 6; round++) {
      const file = await reportDeclaring(stack, [1000]);
      cases.push(file.caseId);
      const started = await file.call('start', file.fileIds[0]!);
      expect((await put(stack, started.json.urls[0], randomBytes(800))).status).toBe(200);
      const follows = Array.from({ length: 8 }, (_, i) => file.follow(newId(), i % 2 ? [500] : []));
      const [deleted, ...answers] = await Promise.all([api('DELETE', `/api/officer/cases/${file.caseId}`), ...follows]);
      expect(deleted.ok, deleted.error).toBe(true);
      for (const a of answers) expect([201, 404], JSON.stringify(a.json)).toContain(a.status);
      // A part sent to the upload after the delete finds no upload.
      expect((await put(stack, started.json.urls[0], randomBytes(800))).status).toBe(404);
      expect(await uploadsOf(file.caseId)).toEqual([]);
    }
    await stack.local.runDaily();
    for (const caseId of cases) {
      // At most the tombstone, which holds nothing of the case.
      const left = await itemsOf(caseId);
      expect(left.length).toBeLessThanOrEqual(1);
      for (const item of left) expect(Object.keys(item).sort()).toEqual(['channel', 'due', 'pk', 'sk']);
      expect(await stack.local.deps.objects.list(`files/${caseId}/`)).toEqual([]);
      expect(await uploadsOf(caseId)).toEqual([]);
    }
  });
});
