/** Attack: capture a signed officer request and send it again, or alter it, or sign with a stranger's key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNamedKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { HEADERS, signRequest } from '../../shared/protocol/request-signing.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
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
});
