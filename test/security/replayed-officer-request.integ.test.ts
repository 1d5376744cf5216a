/** Attack: capture a signed officer request and send it again, or alter it, or sign with a stranger's key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { generateNamedKey, readPublicKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { HEADERS, signRequest } from '../../shared/protocol/request-signing.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
// The server's clock: real time, moved forward by `skew` to replay a request after its window.
let skew = 0;
beforeAll(async () => {
  stack = await startStack({ clock: { now: () => new Date(Date.now() + skew) } });
});
afterAll(() => stack?.stop());

const send = async (url: string, headers: Record<string, string>, method = 'GET', path = '/api/officer/cases', body?: string) => {
  const res = await fetch(`${url}${path}`, { method, headers, body });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
};

describe('officer request signatures', () => {
  it('accept a fresh request once and refuse its replay', async () => {
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const headers = await signRequest(key, { method: 'GET', path: '/api/officer/cases', body: '' });
    expect((await send(stack.url, headers)).status).toBe(200);
    const replay = await send(stack.url, headers);
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ code: 'replayed-request' });
    expect(replay.json.error!.message).toMatch(/already received/);
  });

  it('refuse a stale timestamp', async () => {
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const headers = await signRequest(key, { method: 'GET', path: '/api/officer/cases', body: '', now: new Date(Date.now() - 10 * 60 * 1000) });
    expect((await send(stack.url, headers)).json.error).toMatchObject({ code: 'stale-request' });
  });

  it('refuse a signature moved to another path or body', async () => {
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const headers = await signRequest(key, { method: 'GET', path: '/api/officer/cases', body: '' });
    const moved = await send(stack.url, headers, 'DELETE', '/api/officer/cases/0000000000000000');
    expect(moved.status).toBe(401);
    expect(moved.json.error).toMatchObject({ code: 'bad-signature' });
  });

  it('refuse an unknown key, and an unsigned request', async () => {
    const stranger = await generateNamedKey('Integriteitsfunctionaris', 'x');
    expect((await send(stack.url, await signRequest(stranger.unlocked, { method: 'GET', path: '/api/officer/cases', body: '' }))).json.error).toMatchObject({
      code: 'unknown-key',
    });
    expect((await send(stack.url, {})).json.error).toMatchObject({ code: 'unsigned' });
    // The reporter's key is not an officer's either.
    const headers = await signRequest(stranger.unlocked, { method: 'GET', path: '/api/officer/cases', body: '' });
    expect(headers[HEADERS.key]).toBe(stranger.fingerprint);
  });

  it('refuse a replayed reply: the message is stored once', async () => {
    const { code } = await submitReport({ api: { base: stack.url }, channels: publicChannels(stack.config), report: sampleReport('Eén keer') });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
    const { doc } = (await stack.local.deps.cases.get(caseId))!;
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const message = await sealPayload({
      payload: { v: 1, kind: 'reply', text: 'Eén antwoord' },
      signingKey: key,
      encryptionKeys: [await readPublicKey(doc.reporterPublicKey), await readPublicKey(stack.officer.publicKey)],
    });
    const path = `/api/officer/cases/${caseId}/messages`;
    const body = JSON.stringify({ thread: 'case', message });
    const headers = { ...(await signRequest(key, { method: 'POST', path, body })), 'content-type': 'application/json' };
    expect((await send(stack.url, headers, 'POST', path, body)).status).toBe(201);
    const replay = await send(stack.url, headers, 'POST', path, body);
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ code: 'replayed-request' });
    expect(await stack.local.deps.cases.messages(caseId)).toHaveLength(1);
  });

  it('still refuse a replay after the daily job forgot its nonce: by then it is stale', async () => {
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const headers = await signRequest(key, { method: 'GET', path: '/api/officer/cases', body: '' });
    expect((await send(stack.url, headers)).status).toBe(200);
    skew = 11 * 60 * 1000;
    try {
      expect((await stack.local.runDaily()).noncesSwept).toBeGreaterThan(0);
      const replay = await send(stack.url, headers);
      expect(replay.status).toBe(401);
      expect(replay.json.error).toMatchObject({ code: 'stale-request' });
    } finally {
      skew = 0;
    }
  });
});
