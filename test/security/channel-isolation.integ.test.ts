/** Attack: the officer of channel A tries to list, read, answer or delete a case of channel B. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { submitReport } from '../../shared/client/reporter.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { readPublicKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { signRequest } from '../../shared/protocol/request-signing.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport, sampleReport } from '../support/reports.ts';

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
    const before = (await stack.local.deps.cases.get(integriteitCase))!.doc;
    // Well-formed bodies, even correctly encrypted to the case's readers: the refusal is about whose case it is.
    const readers = [await readPublicKey(before.reporterPublicKey), await readPublicKey(stack.officer.publicKey)];
    const reply = await sealPayload({ payload: { v: 1, kind: 'reply', text: 'Ik lees mee' }, signingKey: adviserKey, encryptionKeys: readers });
    const toClb = await sealPayload({
      payload: { v: 1, kind: 'note', text: 'x' },
      signingKey: clbKey,
      encryptionKeys: [await readPublicKey(stack.officer.publicKey), await readPublicKey(stack.clb.publicKey)],
    });
    const path = `/api/officer/cases/${integriteitCase}`;
    const attempts: Array<[typeof adviserKey, string, string, string]> = [
      [adviserKey, 'GET', path, ''],
      [adviserKey, 'DELETE', path, ''],
      [adviserKey, 'POST', `${path}/acknowledge`, '{}'],
      [adviserKey, 'POST', `${path}/messages`, JSON.stringify({ thread: 'case', message: reply })],
      [adviserKey, 'POST', `${path}/status`, JSON.stringify({ status: 'closed', message: reply })],
      [adviserKey, 'POST', `${path}/status`, '{"status":"nonsense"}'],
      [adviserKey, 'POST', `${path}/escalate`, JSON.stringify({ target: 'clb', joinCase: true, message: reply })],
      [clbKey, 'GET', path, ''],
      [clbKey, 'POST', `${path}/messages`, JSON.stringify({ thread: 'clb', message: toClb })],
    ];
    for (const [key, method, path, body] of attempts) {
      const headers = await signRequest(key, { method, path, body });
      const res = await fetch(`${stack.url}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body || undefined });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not in a channel or escalation of your key/);
    }
    expect((await stack.local.deps.cases.get(integriteitCase))!.doc).toEqual(before);
    expect(await stack.local.deps.cases.messages(integriteitCase)).toEqual([]);

    // Reading many at once (the desk's batch reads) leaves out what the key may not reach.
    const adviserCase = adviserList.match(/"caseId": "([0-9A-Z]{16})"/)![1]!;
    const many = async (key: typeof adviserKey, what: 'heads' | 'read') => {
      const path = `/api/officer/cases/${what}`;
      const body = JSON.stringify({ caseIds: [integriteitCase, adviserCase] });
      const headers = await signRequest(key, { method: 'POST', path, body });
      return (await fetch(`${stack.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body })).json() as Promise<Record<string, Array<{ summary: { caseId: string } }>>>;
    };
    expect((await many(adviserKey, 'heads')).heads!.map((h) => h.summary.caseId)).toEqual([adviserCase]);
    expect((await many(adviserKey, 'read')).cases!.map((c) => c.summary.caseId)).toEqual([adviserCase]);
    expect((await many(clbKey, 'heads')).heads).toEqual([]);
    expect((await many(clbKey, 'read')).cases).toEqual([]);
  });

  it('CLB gets the head of an escalated case without the report unless the reporter let it join the conversation', async () => {
    const { caseId } = await fileReport(stack, 'Alleen de melding voor CLB', { consent: { clb: 'without-contact' } });
    await officerCli(stack, stack.officer)('escalate', caseId, '--to', 'clb');
    const clbKey = await unlockPrivateKey(stack.clb.privateKey, stack.clb.passphrase);
    const path = '/api/officer/cases/heads';
    const body = JSON.stringify({ caseIds: [caseId] });
    const headers = await signRequest(clbKey, { method: 'POST', path, body });
    const { heads } = (await (await fetch(`${stack.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body })).json()) as { heads: Array<{ report: string | null }> };
    expect(heads).toHaveLength(1);
    expect(heads[0]!.report).toBeNull();
  });
});
