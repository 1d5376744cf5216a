/** Attack: read the logs. Nothing a request carries (body, code, access key, IP, user agent) may be logged. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { reporterCaseHandler } from '../../functions/api/reporter.ts';
import type { HttpEvent } from '../../functions/http.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { post, sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('metadata in logs', () => {
  it('logs nothing from requests, good or bad', async () => {
    const logged: string[] = [];
    const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture));
    try {
      const channels = publicChannels(stack.config);
      const agent = { 'user-agent': 'MARKER-UA/1.0', 'x-forwarded-for': '203.0.113.7' };
      const api = { base: stack.url, fetch: ((input, init) => fetch(input, { ...init, headers: { ...(init?.headers as object), ...agent } })) as typeof fetch };
      const { code } = await submitReport({ api, channels, report: sampleReport('MARKER-BODY') });
      await openCase({ api, channels, code });
      await post(stack.url, '/api/reports', '{"MARKER-BAD":');
      const { accessKey } = await deriveCodeKeys(code);
      const wire = logged.join('\n');
      for (const secret of ['MARKER', '203.0.113.7', code, accessKey]) expect(wire).not.toContain(secret);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });

  it('an unexpected error logs its kind only, and answers without detail', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    try {
      const broken = { ...stack.local.deps, cases: { get: () => Promise.reject(new Error('MARKER-SECRET detail')) } } as never;
      const { accessKey } = await deriveCodeKeys((await import('../../shared/protocol/code.ts')).generateCode());
      const { proof } = await import('../support/reports.ts');
      const event: HttpEvent = {
        rawPath: '/api/case',
        headers: { 'user-agent': 'MARKER-UA', 'content-type': 'application/json' },
        body: JSON.stringify({ accessKey, pow: await proof(stack.url, 'open', accessKey) }),
        requestContext: { http: { method: 'POST', path: '/api/case' } },
      };
      const result = await reporterCaseHandler(broken)(event);
      expect(result.statusCode).toBe(500);
      expect(result.body).not.toContain('MARKER');
      expect(errors.join('\n')).not.toContain('MARKER');
      expect(errors.join('\n')).toContain('internal error');
    } finally {
      spy.mockRestore();
    }
  });
});
