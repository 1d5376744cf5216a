/**
 * Attack: guess codes. Every guess costs a proof of work bound to that guess; the table holds only
 * an HMAC of the access key under the server's key, so a stolen table cannot test codes offline.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { submitReport } from '../../shared/client/reporter.ts';
import { generateCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { post, proof, sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ powDifficulty: 12 });
});
afterAll(() => stack?.stop());

describe('code guessing', () => {
  it('one solved challenge buys one guess: it does not open another code', async () => {
    const guesses = await Promise.all([1, 2, 3, 4].map(async () => (await deriveCodeKeys(generateCode())).accessKey));
    const pow = await proof(stack.url, 'open', guesses[0]!);
    expect((await post(stack.url, '/api/case', { accessKey: guesses[0], pow })).json.error.code).toBe('not-found');
    for (const other of guesses.slice(1)) {
      expect((await post(stack.url, '/api/case', { accessKey: other, pow })).json.error.code).toBe('pow-not-done');
    }
  });

  it('the table holds neither codes nor access keys, only their HMAC-derived case id', async () => {
    const { code } = await submitReport({ api: { base: stack.url }, channels: publicChannels(stack.config), report: sampleReport('Gokken') });
    const { accessKey, unlockPassphrase } = await deriveCodeKeys(code);
    const dump = JSON.stringify(await stack.local.dynamo.client.send(new ScanCommand({ TableName: stack.local.tableName })));
    expect(dump).toContain('BEGIN PGP MESSAGE');
    for (const secret of [code, accessKey, unlockPassphrase]) expect(dump).not.toContain(secret);
  });
});
