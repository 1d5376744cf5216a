/** Attack: the officer of channel A tries to list, read, answer or delete a case of channel B. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { submitReport } from '../../shared/client/reporter.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { signRequest } from '../../shared/protocol/request-signing.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('channel isolation', () => {
  it('the adviser of "vertrouwenspersoon" cannot reach a case of "integriteit", and CLB nothing not escalated', async () => {
    const channels = publicChannels(stack.config);
    await submitReport({ api: { base: stack.url }, channels, report: sampleReport('Voor de integriteitsfunctionaris') });
    await submitReport({ api: { base: stack.url }, channels, report: { ...sampleReport('Voor de vertrouwenspersoon'), channel: 'vertrouwenspersoon' } });

    const officerList = await officerCli(stack, stack.officer)('cases', '--json');
    const adviserList = await officerCli(stack, stack.adviser)('cases', '--json');
    const integriteitCase = officerList.match(/"caseId": "([0-9A-Z]{16})"/)![1]!;
    expect(JSON.parse(officerList).map((c: { channel: string }) => c.channel)).toEqual(['integriteit']);
    expect(JSON.parse(adviserList).map((c: { channel: string }) => c.channel)).toEqual(['vertrouwenspersoon']);
    expect(JSON.parse(await officerCli(stack, stack.clb)('cases', '--json'))).toEqual([]);

    const adviserKey = await unlockPrivateKey(stack.adviser.privateKey, stack.adviser.passphrase);
    const clbKey = await unlockPrivateKey(stack.clb.privateKey, stack.clb.passphrase);
    const attempts: Array<[typeof adviserKey, string, string, string]> = [
      [adviserKey, 'GET', `/api/officer/cases/${integriteitCase}`, ''],
      [adviserKey, 'DELETE', `/api/officer/cases/${integriteitCase}`, ''],
      [adviserKey, 'POST', `/api/officer/cases/${integriteitCase}/acknowledge`, '{}'],
      [clbKey, 'GET', `/api/officer/cases/${integriteitCase}`, ''],
    ];
    for (const [key, method, path, body] of attempts) {
      const headers = await signRequest(key, { method, path, body });
      const res = await fetch(`${stack.url}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body || undefined });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not in a channel or escalation of your key/);
    }
    expect(await stack.local.deps.cases.get(integriteitCase)).not.toBeNull();
  });
});
