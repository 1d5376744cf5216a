/**
 * Attack: reach the officer's desk from elsewhere. A web page the officer visits can make the
 * browser send requests to 127.0.0.1, or point its own name at 127.0.0.1 (DNS rebinding) and read
 * the answers. The desk must answer only its own Host, only with the session secret, only from its
 * own page, and must not be listening anywhere but the loopback address.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { rawRequest, startTestDesk, type TestDesk } from '../support/desk.ts';

let stack: TestStack;
let desk: TestDesk;
let caseId: string;
beforeAll(async () => {
  stack = await startStack();
  desk = await startTestDesk(stack, stack.officer);
  caseId = (await fileReport(stack, 'Een geheim dat hier blijft.')).caseId;
});
afterAll(async () => {
  await desk?.close();
  await stack?.stop();
});

const own = () => `127.0.0.1:${desk.port}`;
const path = (p: string) => `/${desk.secret}/${p}`;

describe('the desk answers only its own page on this computer', () => {
  it('listens on the loopback address only', () => {
    expect((desk.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('answers its own address with the secret, and sends a strict CSP and no Referer', async () => {
    const page = await rawRequest(desk.port, path(''), { host: own() });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['set-cookie']).toBeUndefined();
    const cases = await rawRequest(desk.port, path('api/cases'), { host: own() });
    expect(cases.body).toContain('Een geheim dat hier blijft.');
  });

  it('refuses a foreign Host header (DNS rebinding), whatever the path', async () => {
    for (const host of [`evil.example:${desk.port}`, `localhost:${desk.port}`, `127.0.0.1:${desk.port + 1}`, '127.0.0.1', '']) {
      const res = await rawRequest(desk.port, path('api/cases'), { host });
      // Without any Host, node's HTTP/1.1 parser refuses first (400).
      expect(res.status, host).toBe(host ? 421 : 400);
      expect(res.body).not.toContain('geheim');
    }
  });

  it('refuses every request without the session secret', async () => {
    const wrong = 'A'.repeat(desk.secret.length);
    for (const p of ['/', '/api/cases', '/api/state', `/${wrong}/api/cases`, `/${desk.secret.slice(0, -1)}/api/cases`, `/x/${desk.secret}/api/cases`]) {
      const res = await rawRequest(desk.port, p, { host: own() });
      expect(res.status, p).toBe(403);
      expect(res.body).not.toContain('geheim');
    }
  });

  it('refuses changes from another origin or none, and cross-site reads; nothing changes', async () => {
    const before = await stack.local.deps.cases.get(caseId);
    const body = JSON.stringify({ text: 'Van een vreemde pagina.' });
    for (const headers of [{}, { origin: 'http://evil.example' }, { origin: 'null' }] as Array<Record<string, string>>) {
      const res = await rawRequest(desk.port, path(`api/cases/${caseId}/ack`), { host: own(), 'content-type': 'application/json', ...headers }, 'POST', body);
      expect(res.status).toBe(403);
    }
    const lock = await rawRequest(desk.port, path('api/lock'), { host: own(), 'content-type': 'application/json', origin: 'http://evil.example' }, 'POST', '{}');
    expect(lock.status).toBe(403);
    const read = await rawRequest(desk.port, path('api/cases'), { host: own(), 'sec-fetch-site': 'cross-site' });
    expect(read.status).toBe(403);
    expect((await stack.local.deps.cases.get(caseId))?.version).toBe(before?.version);
    // Still unlocked: the refused lock did nothing.
    expect((await rawRequest(desk.port, path('api/state'), { host: own() })).body).toContain('"locked":false');
  });

  it('answers odd input with a clear 4xx', async () => {
    const post = (p: string, body: string, type = 'application/json') =>
      rawRequest(desk.port, path(p), { host: own(), origin: desk.origin, 'content-type': type }, 'POST', body);
    expect((await post(`api/cases/${caseId}/reply`, '{not json')).status).toBe(400);
    expect((await post(`api/cases/${caseId}/reply`, '{"text":"x"}', 'text/plain')).status).toBe(415);
    expect((await post(`api/cases/${caseId}/reply`, JSON.stringify({ text: 'x'.repeat(300_000) }))).status).toBe(413);
    expect((await post('api/cases/NOTACASE/reply', '{}')).status).toBe(404);
    expect((await post(`api/cases/${caseId}/launch-rockets`, '{}')).status).toBe(404);
    expect((await post(`api/cases/${'Z'.repeat(16)}/reply`, '{"text":"x"}')).status).toBe(400);
    expect((await rawRequest(desk.port, path('../../etc/passwd'), { host: own() })).status).toBe(404);
    // An attached file's name: a broken escape is refused, a path is cut to its last part.
    const upload = (name: string) => rawRequest(desk.port, path('api/uploads'), { host: own(), origin: desk.origin, 'content-type': 'application/octet-stream', 'x-file-name': name }, 'POST', 'inhoud');
    const broken = await upload('%E0%A4%A');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error).toMatch(/name/);
    const traversal = await upload(encodeURIComponent('../../../etc/passwd'));
    expect(traversal.status).toBe(200);
    expect(JSON.parse(traversal.body).name).toBe('passwd');
  });
});
