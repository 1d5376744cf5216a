/** Attack: a reporter request (or someone holding the access key) tries to change who can read the case. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNamedKey } from '../../shared/protocol/keys.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { buildSubmission, post, proof } from '../support/reports.ts';
import { readPublicKey } from '../../shared/protocol/keys.ts';
import { signRequest } from '../../shared/protocol/request-signing.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('recipient change by a reporter request', () => {
  it('is impossible: no field for it, and a message to an extra reader is refused', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
    const caseId = await caseIdFor(stack.local.deps.keys, built.accessKey);
    const before = (await stack.local.deps.cases.get(caseId))!.doc;
    const pow = await proof(stack.url, 'open', built.accessKey);
    const intruder = await generateNamedKey('Meelezer', 'x');

    // No API field can carry readers.
    const smuggled = await post(stack.url, '/api/case/messages', { accessKey: built.accessKey, pow, messageId: 'recipient-change-01', message: built.body.message, recipients: [intruder.fingerprint] });
    expect(smuggled.status).toBe(400);

    // A message encrypted to the case's readers plus one more is refused.
    const readers = [await readPublicKey(built.body.reporterPublicKey), await readPublicKey(stack.officer.publicKey), intruder.unlocked.toPublic()];
    const message = await sealPayload({ payload: { v: 1, kind: 'reporter-message', text: 'ook voor jou' }, signingKey: built.reporterKey, encryptionKeys: readers });
    const extra = await post(stack.url, '/api/case/messages', { accessKey: built.accessKey, pow, messageId: 'recipient-change-02', message });
    expect(extra.status).toBe(400);
    expect(extra.json.error.code).toBe('wrong-recipients');

    // Submitting again under the same code, now to another channel's readers, does not re-address the case.
    const again = await buildSubmission(stack.url, stack.config, { channel: 'vertrouwenspersoon' });
    const resubmit = await post(stack.url, '/api/reports', { ...again.body, accessKey: built.accessKey, pow: await proof(stack.url, 'submit', built.accessKey) });
    expect(resubmit.status).toBe(409);
    expect(resubmit.json.error.code).toBe('code-in-use');

    // An officer-API request signed with a reporter key is not an officer request.
    const signed = await signRequest(built.reporterKey, { method: 'POST', path: `/api/officer/cases/${caseId}/escalate`, body: '{}' });
    const escalate = await fetch(`${stack.url}/api/officer/cases/${caseId}/escalate`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body: '{}' });
    expect(escalate.status).toBe(401);

    const after = (await stack.local.deps.cases.get(caseId))!.doc;
    expect(after.recipients).toEqual(before.recipients);
    expect(after.recipientKeyIds).toEqual(before.recipientKeyIds);
    expect(await stack.local.deps.cases.messages(caseId)).toEqual([]);
  });
});
