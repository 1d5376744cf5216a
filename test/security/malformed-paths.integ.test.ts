/**
 * Attack: paths with broken or double percent-escapes, on every route, signed and unsigned, over
 * HTTP and straight into the Lambda handler. Always a 4xx with a sentence, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../shared/protocol/request-signing.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { officerHandler } from '../../functions/api/officer.ts';
import { reporterCaseHandler } from '../../functions/api/reporter.ts';
import type { HttpEvent } from '../../functions/http.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const ESCAPES = ['%25ZZ', '%ZZ', '%25E0%25A4%25', '%E0%A4%A', '%', '%2F..%2F', '%00', '%C0%AF', 'ABCDEFGHJKMNPQRS%25'];
const OFFICER_PATHS = (p: string) => [
  ['GET', `/api/officer/cases/${p}`],
  ['DELETE', `/api/officer/cases/${p}`],
  ['POST', `/api/officer/cases/${p}/messages`],
  ['POST', `/api/officer/cases/${p}/acknowledge`],
  ['POST', `/api/officer/cases/${p}/status`],
  ['POST', `/api/officer/cases/${p}/escalate`],
] as const;

function expectClientError(status: number, body: unknown, what: string) {
  expect(status, `${what}: ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
  expect(status, `${what}: ${JSON.stringify(body)}`).toBeLessThan(500);
}

describe('malformed percent-escapes in the path', () => {
  it('get a 4xx on every officer route, unsigned and signed', async () => {
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    for (const escape of ESCAPES) {
      for (const [method, path] of OFFICER_PATHS(escape)) {
        const body = method === 'POST' ? '{}' : undefined;
        const unsigned = await fetch(`${stack.url}${path}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
        expectClientError(unsigned.status, await unsigned.text(), `unsigned ${method} ${path}`);
        const headers = await signRequest(key, { method, path, body: body ?? '' });
        const signed = await fetch(`${stack.url}${path}`, { method, body, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } });
        const text = await signed.text();
        expectClientError(signed.status, text, `signed ${method} ${path}`);
        expect(JSON.parse(text).error.message.length).toBeGreaterThan(10);
      }
    }
  });

  it('get a 4xx on the reporter routes and static files', async () => {
    for (const escape of ESCAPES) {
      for (const path of [`/api/case/${escape}`, `/api/${escape}`, `/${escape}`, `/assets/${escape}.js`]) {
        const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expectClientError(res.status, await res.text(), `POST ${path}`);
        const get = await fetch(`${stack.url}${path}`);
        expect(get.status, `GET ${path}`).toBeLessThan(500);
      }
    }
  });

  it('get a 4xx from the Lambda handlers themselves', async () => {
    const officer = officerHandler(stack.local.deps);
    const reporter = reporterCaseHandler(stack.local.deps);
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    for (const escape of ESCAPES) {
      const rawPath = `/api/officer/cases/${escape}`;
      const headers = await signRequest(key, { method: 'GET', path: rawPath, body: '' });
      const event: HttpEvent = { rawPath, headers, pathParameters: { caseId: escape }, requestContext: { http: { method: 'GET', path: rawPath } } };
      const result = await officer(event);
      expectClientError(result.statusCode, result.body, `handler GET ${rawPath}`);
      const post = await reporter({ rawPath: `/api/case/${escape}`, headers: { 'content-type': 'application/json' }, body: '{}', requestContext: { http: { method: 'POST', path: `/api/case/${escape}` } } });
      expectClientError(post.statusCode, post.body, `handler POST /api/case/${escape}`);
    }
  });
});
