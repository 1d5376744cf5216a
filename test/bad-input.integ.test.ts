/**
 * Bad input: each request gets a 4xx with a message a person understands, and the table holds
 * exactly as many items afterwards as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNamedKey, readPublicKey } from '../shared/protocol/keys.ts';
import { generateCode } from '../shared/protocol/code.ts';
import { workIsDone } from '../shared/protocol/pow.ts';
import { deriveCodeKeys } from '../shared/protocol/derive.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { buildSubmission, post, proof } from './support/reports.ts';

let stack: TestStack;
let now = Date.now();
beforeAll(async () => {
  stack = await startStack({ clock: { now: () => new Date(now) } });
});
afterAll(() => stack?.stop());

async function expectRefused(path: string, body: unknown, status: number, code: string) {
  const before = await stack.countItems();
  const res = await post(stack.url, path, body);
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error.code).toBe(code);
  expect(res.json.error.message.length).toBeGreaterThan(15);
  expect(await stack.countItems()).toBe(before);
  return res.json.error.message as string;
}

describe('submitting a report', () => {
  it('refuses malformed JSON', () => expectRefused('/api/reports', '{"v":1,', 400, 'malformed-json'));

  it('refuses wrong types and says where', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    const message = await expectRefused('/api/reports', { ...body, channel: 42 }, 400, 'invalid-request');
    expect(message).toContain('channel');
  });

  it('refuses unknown fields', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    await expectRefused('/api/reports', { ...body, ip: '1.2.3.4' }, 400, 'invalid-request');
  });

  it('refuses an oversized body, in the handler and at the door', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    await expectRefused('/api/reports', { ...body, message: body.message + 'A'.repeat(500_000) }, 413, 'too-large');
    await expectRefused('/api/reports', 'x'.repeat(1_100_000), 413, 'too-large');
  });

  it('refuses a plaintext "message", armored or not', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    await expectRefused('/api/reports', { ...body, message: 'De voorzitter intimideert mensen.' }, 400, 'invalid-request');
    const fake = '-----BEGIN PGP MESSAGE-----\n\nRGUgdm9vcnppdHRlciBpbnRpbWlkZWVydCBtZW5zZW4u\n-----END PGP MESSAGE-----\n';
    await expectRefused('/api/reports', { ...body, message: fake }, 400, 'not-encrypted');
  });

  it('refuses a message encrypted to the wrong key', async () => {
    const intruder = await generateNamedKey('Intruder', 'x');
    const { body } = await buildSubmission(stack.url, stack.config, { encryptTo: [intruder.unlocked.toPublic()] });
    await expectRefused('/api/reports', body, 400, 'wrong-recipients');
  });

  it('refuses a message that leaves out an officer', async () => {
    const { body } = await buildSubmission(stack.url, stack.config, { onlyToReporter: true });
    await expectRefused('/api/reports', body, 400, 'wrong-recipients');
  });

  it('refuses an unknown channel', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    await expectRefused('/api/reports', { ...body, channel: 'geheim' }, 400, 'unknown-channel');
  });

  it('refuses a missing proof of work', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    const { pow: _, ...withoutPow } = body;
    await expectRefused('/api/reports', withoutPow, 400, 'invalid-request');
  });

  it('refuses a forged challenge', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    const parts = body.pow.token.split('.');
    parts[2] = '0'; // claim difficulty 0
    await expectRefused('/api/reports', { ...body, pow: { ...body.pow, token: parts.join('.') } }, 400, 'pow-invalid');
  });

  it('refuses a proof of work reused for another report', async () => {
    const first = await buildSubmission(stack.url, stack.config);
    const second = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', first.body)).status).toBe(201);
    // At difficulty 4 a nonce fits another access key by chance 1 time in 16. The server must check
    // the binding, so each try uses a report whose access key the reused nonce does not fit.
    let refused = 0;
    for (let i = 0; i < 3; i++) {
      let other = i === 0 ? second : await buildSubmission(stack.url, stack.config);
      while (await workIsDone(first.body.pow.token, other.accessKey, first.body.pow.nonce, 4)) other = await buildSubmission(stack.url, stack.config);
      const before = await stack.countItems();
      const res = await post(stack.url, '/api/reports', { ...other.body, pow: first.body.pow });
      expect(res.status).toBe(400);
      if (res.json.error.code === 'pow-not-done') refused++;
      expect(await stack.countItems()).toBe(before);
    }
    expect(refused).toBe(3);
  });

  it('refuses an expired proof of work', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    now += 31 * 60 * 1000;
    try {
      await expectRefused('/api/reports', body, 400, 'pow-expired');
    } finally {
      now -= 31 * 60 * 1000;
    }
  });

  it('refuses a challenge issued for opening a case', async () => {
    const { body, accessKey } = await buildSubmission(stack.url, stack.config);
    await expectRefused('/api/reports', { ...body, pow: await proof(stack.url, 'open', accessKey) }, 400, 'pow-invalid');
  });

  it('refuses a private key that is not locked, or not the reporter\'s', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    const other = await generateNamedKey('x', 'y');
    await expectRefused('/api/reports', { ...body, lockedPrivateKey: other.lockedPrivateKey }, 400, 'bad-key');
    await expectRefused('/api/reports', { ...body, lockedPrivateKey: other.unlocked.armor() }, 400, 'bad-key');
  });

  it('is idempotent: the same submission again returns the same receipt and makes no second case', async () => {
    const { body } = await buildSubmission(stack.url, stack.config);
    const first = await post(stack.url, '/api/reports', body);
    expect(first.status).toBe(201);
    const count = await stack.countItems();
    const again = await post(stack.url, '/api/reports', body);
    expect(again.status).toBe(200);
    // The same receipt; the proof of reporting states the same, freshly signed (ECDSA signatures differ each time).
    const withoutSignature = (r: { proof: { signature: string } }) => ({ ...r, proof: { ...r.proof, signature: '' } });
    expect(withoutSignature(again.json)).toEqual(withoutSignature(first.json));
    expect(again.json.proof.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(await stack.countItems()).toBe(count);
  });

  it('refuses a different report under a code already in use', async () => {
    const first = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', first.body)).status).toBe(201);
    const other = await buildSubmission(stack.url, stack.config, { text: 'iets anders' });
    const body = { ...other.body, accessKey: first.accessKey, pow: await proof(stack.url, 'submit', first.accessKey) };
    await expectRefused('/api/reports', body, 409, 'code-in-use');
  });
});

describe('opening a case and adding to it', () => {
  it('answers a well-formed but unknown code with not-found, after the proof of work', async () => {
    const { accessKey } = await deriveCodeKeys(generateCode());
    await expectRefused('/api/case', { accessKey, pow: await proof(stack.url, 'open', accessKey) }, 404, 'not-found');
  });

  it('refuses to open without a proof of work bound to the access key', async () => {
    const { accessKey } = await deriveCodeKeys(generateCode());
    await expectRefused('/api/case', { accessKey }, 400, 'invalid-request');
    await expectRefused('/api/case', { accessKey: 'short', pow: { token: 'a', nonce: 'b' } }, 400, 'invalid-request');
  });

  it('refuses a follow-up that is plaintext or not for the case\'s keys', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
    const pow = await proof(stack.url, 'open', built.accessKey);
    // A ciphertext made for this case's first message, but to the wrong recipients.
    const other = await buildSubmission(stack.url, stack.config, { encryptTo: [await readPublicKey(stack.config.channels[1]!.recipients[0]!.publicKey)] });
    await expectRefused('/api/case/messages', { accessKey: built.accessKey, pow, messageId: 'bad-input-message-1', message: other.body.message }, 400, 'wrong-recipients');
    await expectRefused('/api/case/messages', { accessKey: built.accessKey, pow, messageId: 'bad-input-message-2', message: 'hallo' }, 400, 'invalid-request');
  });

  it('refuses unknown routes and wrong methods without a server error', async () => {
    const res = await fetch(`${stack.url}/api/case`, { method: 'GET' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('GET /api/case');
  });
});
