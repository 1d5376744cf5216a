/**
 * Attack: four messages sent at once, each declaring 2,000 MB of files, were all accepted: 8 GB on
 * one case with a 2 GB limit, because each request read the total before any wrote. The quota is
 * now taken in one conditional write on the case.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { newId, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const declaredOn = async (caseId: string) => (await stack.local.deps.files.list(caseId)).reduce((n, f) => n + f.declaredBytes, 0);
const total = async (caseId: string) => {
  const out = await stack.local.dynamo.client.send(new GetItemCommand({ TableName: stack.local.tableName, Key: { pk: { S: caseId }, sk: { S: 'case' } } }));
  return Number(out.Item?.fileBytes?.N ?? 0);
};

describe('messages declaring files at once', () => {
  it('never declare more than the case quota together (many rounds)', async () => {
    const { maxCaseBytes, maxFileBytes } = stack.config.files;
    const perMessage = Array.from({ length: Math.floor(maxCaseBytes / maxFileBytes) }, () => maxFileBytes);
    for (let round = 0; round < 6; round++) {
      const file = await reportDeclaring(stack, []);
      const answers = await Promise.all(Array.from({ length: 4 }, () => file.follow(newId(), perMessage)));
      expect(answers.filter((a) => a.status === 201).length, `round ${round}`).toBe(1);
      for (const refused of answers.filter((a) => a.status !== 201)) {
        expect(refused.status).toBe(413);
        expect(refused.json.error.code).toBe('case-quota');
      }
      expect(await declaredOn(file.caseId)).toBeLessThanOrEqual(maxCaseBytes);
      expect(await total(file.caseId)).toBe(await declaredOn(file.caseId));
    }
  });
});
