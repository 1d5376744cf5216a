/**
 * Attack: a compromised API swaps in its own key as a case's reader, hoping the reporter's next
 * message is encrypted to it. The browser trusts only the keys it shipped with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../../shared/client/reporter.ts';
import { generateNamedKey } from '../../shared/protocol/keys.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('key substitution', () => {
  it('a reader the page did not ship with is shown as untrusted and gets nothing', async () => {
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({ api: { base: stack.url }, channels, report: sampleReport('Substitutie') });
    const attacker = await generateNamedKey('Integriteitsfunctionaris', 'x');
    const posted: string[] = [];
    const evilApi: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/case/messages')) posted.push(String(init?.body));
      const res = await fetch(input, init);
      if (!String(input).endsWith('/api/case')) return res;
      const view = (await res.json()) as { recipients: Array<{ role: string; name: string; fingerprint: string }> };
      view.recipients = view.recipients.map((r) => (r.role === 'officer' ? { ...r, fingerprint: attacker.fingerprint } : r));
      return new Response(JSON.stringify(view), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const opened = await openCase({ api: { base: stack.url, fetch: evilApi }, channels, code });
    expect(opened.recipients.find((r) => r.role === 'officer')).toMatchObject({ trusted: false });
    expect(opened.session.encryptionKeys).toBeNull();
    await expect(postMessage(opened.session, 'geheim')).rejects.toThrow(/does not know/);
    expect(posted).toEqual([]);
  });

  it('channel keys come from the page, not the API: the API has no route that serves keys', async () => {
    for (const path of ['/api/channels', '/api/config', '/api/keys']) {
      expect((await fetch(`${stack.url}${path}`)).status).toBe(404);
    }
  });
});
