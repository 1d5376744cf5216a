/**
 * Attack (or a bad connection): send the same follow-up again, and several times at once. The
 * message is stored once; the same id with other content is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { readPublicKey } from '../../shared/protocol/keys.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { buildSubmission, post, proof } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('a retried follow-up', () => {
  it('is stored once, sent twice and then five times at once', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
    const caseId = await caseIdFor(stack.local.deps.keys, built.accessKey);
    const readers = [built.reporterKey.toPublic(), ...(await Promise.all(stack.config.channels[0]!.recipients.map((r) => readPublicKey(r.publicKey))))];
    const seal = (text: string) => sealPayload({ payload: { v: 1, kind: 'reporter-message', text }, signingKey: built.reporterKey, encryptionKeys: readers });
    const body = { accessKey: built.accessKey, pow: await proof(stack.url, 'open', built.accessKey), messageId: 'retry-test-AAAAAAAAAAAA', message: await seal('één keer') };

    const first = await post(stack.url, '/api/case/messages', body);
    const second = await post(stack.url, '/api/case/messages', body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    const burst = await Promise.all(Array.from({ length: 5 }, () => post(stack.url, '/api/case/messages', body)));
    expect(burst.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    for (const r of burst) expect(r.json).toEqual(first.json);
    expect(await stack.local.deps.cases.messages(caseId)).toHaveLength(1);

    // Five different messages at once, each with its own id: all five are kept.
    const others = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => post(stack.url, '/api/case/messages', { ...body, messageId: `retry-test-other-${i}AAAAA`, message: await seal(`bericht ${i}`) })),
    );
    expect(others.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await stack.local.deps.cases.messages(caseId)).toHaveLength(6);
    expect((await stack.local.deps.cases.get(caseId))!.activity.caseMessages).toBe(7);
  });

  it('with the same id but other content is refused and changes nothing', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
    const readers = [built.reporterKey.toPublic(), ...(await Promise.all(stack.config.channels[0]!.recipients.map((r) => readPublicKey(r.publicKey))))];
    const seal = (text: string) => sealPayload({ payload: { v: 1, kind: 'reporter-message', text }, signingKey: built.reporterKey, encryptionKeys: readers });
    const pow = await proof(stack.url, 'open', built.accessKey);
    const base = { accessKey: built.accessKey, pow, messageId: 'retry-test-BBBBBBBBBBBB' };
    expect((await post(stack.url, '/api/case/messages', { ...base, message: await seal('eerste') })).status).toBe(201);
    const count = await stack.countItems();
    const other = await post(stack.url, '/api/case/messages', { ...base, message: await seal('tweede') });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('message-id-in-use');
    expect(await stack.countItems()).toBe(count);
  });
});
