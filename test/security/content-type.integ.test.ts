/** Attack: bodies sent as something other than plain JSON. Each gets a 415 and changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { buildSubmission } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('a request body that is not declared as plain JSON', () => {
  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['no content type', {}],
    ['form encoding', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['JSON with another charset', { 'content-type': 'application/json; charset=latin1' }],
    ['a false gzip encoding', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
    ['a deflate encoding', { 'content-type': 'application/json', 'content-encoding': 'deflate' }],
  ])('gets 415: %s', async (_, headers: Record<string, string>) => {
    const { body } = await buildSubmission(stack.url, stack.config);
    const before = await stack.countItems();
    for (const path of ['/api/reports', '/api/challenge', '/api/case']) {
      const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers, body: JSON.stringify(path === '/api/challenge' ? { purpose: 'submit' } : body) });
      expect(res.status, path).toBe(415);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe('unsupported-media-type');
      expect(json.error.message).toMatch(/JSON|Content-Encoding/);
    }
    expect(await stack.countItems()).toBe(before);
  });

  it('is accepted as application/json, with or without charset=utf-8', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      const res = await fetch(`${stack.url}/api/challenge`, { method: 'POST', headers: { 'content-type': type }, body: '{"purpose":"open"}' });
      expect(res.status, type).toBe(200);
    }
  });
});
