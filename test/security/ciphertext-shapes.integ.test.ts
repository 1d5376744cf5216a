/**
 * Attack: get text stored by wrapping it around, or inside, an otherwise valid encrypted message.
 * Every shape of the corpus is refused on submission and on a follow-up, and nothing is written;
 * what is accepted is stored in the server's own canonical armor, never as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { startStack, type TestStack } from '../support/stack.ts';
import { buildSubmission, post, proof } from '../support/reports.ts';
import { badShapes, MARKER, otherEncoding } from '../support/shapes.ts';
import { readPublicKey } from '../../shared/protocol/keys.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function tableText(): Promise<string> {
  const out = await stack.local.dynamo.client.send(new ScanCommand({ TableName: stack.local.tableName }));
  return JSON.stringify(out.Items);
}

describe('message shapes that could smuggle text', () => {
  it('are each refused on submission, with nothing stored', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    const shapes = badShapes(built.body.message);
    expect(shapes.length).toBeGreaterThanOrEqual(15);
    for (const [name, message] of shapes) {
      const before = await stack.countItems();
      const res = await post(stack.url, '/api/reports', { ...built.body, message });
      expect(res.status, `${name}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(['not-encrypted', 'wrong-recipients'], name).toContain(res.json.error.code);
      expect(await stack.countItems(), name).toBe(before);
    }
    expect(await tableText()).not.toContain('MARKER');
  });

  it('are each refused as a follow-up message on an existing case', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
    const officers = await Promise.all(stack.config.channels[0]!.recipients.map((r) => readPublicKey(r.publicKey)));
    const followUp = await sealPayload({
      payload: { v: 1, kind: 'reporter-message', text: 'nog iets' },
      signingKey: built.reporterKey,
      encryptionKeys: [built.reporterKey.toPublic(), ...officers],
    });
    const pow = await proof(stack.url, 'open', built.accessKey);
    for (const [name, message] of badShapes(followUp)) {
      const before = await stack.countItems();
      const res = await post(stack.url, '/api/case/messages', { accessKey: built.accessKey, pow, messageId: 'shape-test-message-id1', message });
      expect(res.status, `${name}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(['not-encrypted', 'wrong-recipients'], name).toContain(res.json.error.code);
      expect(await stack.countItems(), name).toBe(before);
    }
    expect(await tableText()).not.toContain('MARKER');
  });

  it('an acceptable message in another encoding is stored in canonical form, not as sent', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    const sent = otherEncoding(built.body.message);
    expect(sent).not.toBe(built.body.message);
    expect((await post(stack.url, '/api/reports', { ...built.body, message: sent })).status).toBe(201);
    const pow = await proof(stack.url, 'open', built.accessKey);
    const view = (await post(stack.url, '/api/case', { accessKey: built.accessKey, pow })).json;
    expect(view.messages[0].message).not.toBe(sent);
    expect(view.messages[0].message).toMatch(/^-----BEGIN PGP MESSAGE-----\n\n[A-Za-z0-9+/=\n]+\n=[A-Za-z0-9+/]{4}\n-----END PGP MESSAGE-----\n$/);
  });
});
