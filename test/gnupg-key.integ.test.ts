/**
 * An officer key that never leaves GnuPG (on disk here; on a token the same agent does the work):
 * the tool lists, reads, replies, escalates and moves with `--gnupg FPR` and no key file anywhere;
 * only session-key packets go to gpg-agent; the secret key is never exported; a missing key and a
 * stopped agent are said plainly. The desk does the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeToMove, openCase } from '../shared/client/reporter.ts';
import { publicChannels } from '../shared/config/schema.ts';
import { run } from '../officer/main.ts';
import { gnupgKey } from '../officer/gnupg.ts';
import { openDesk } from '../officer/desk/open.ts';
import { CliError } from '../officer/errors.ts';
import { gnupgHomeFor, type AgentHome } from './support/gnupg-agent.ts';
import { startAppDesk } from './support/desk.ts';
import { readdirSync } from 'node:fs';
import { officerCli } from './support/officer-cli.ts';
import { fileReport } from './support/reports.ts';
import { startStack, type TestStack } from './support/stack.ts';

let stack: TestStack;
let agent: AgentHome;
beforeAll(async () => {
  stack = await startStack();
  agent = gnupgHomeFor(stack.officer);
});
afterAll(async () => {
  agent?.stop();
  await stack?.stop();
});

/** The tool as the officer runs it with a key in GnuPG: no --key, no passphrase, nothing else. */
async function tool(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await run([...args, '--api', stack.url, '--gnupg', agent.fingerprint], (l) => lines.push(l));
  return lines.join('\n');
}

describe('an officer key held by GnuPG', () => {
  it('lists and reads cases, verified, with no key file and the secret never exported', async () => {
    const { caseId } = await fileReport(stack, 'De kascommissie heeft de stukken nooit gezien.');
    expect(await tool('cases')).toContain(caseId);
    const shown = await tool('show', caseId);
    expect(shown).toContain('De kascommissie heeft de stukken nooit gezien.');
    expect(shown).toMatch(/VERIFIED: signed by/);
    expect(shown).not.toMatch(/NOT VERIFIED/);
    const calls = agent.calls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.join('\n')).not.toMatch(/export-secret|--passphrase|pinentry-mode/);
  });

  it('replies, escalates and moves a case, each read back as signed by the officer', async () => {
    const { caseId, code } = await fileReport(stack, 'Over een wethouder, voor het CLB.', { consent: { clb: 'conversation' } });
    await tool('ack', caseId);
    await tool('reply', caseId, '--message', 'Wij kijken ernaar; mogen wij u bellen?');
    const reporter = await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code });
    const reply = reporter.thread.at(-1)!;
    expect(reply.signature.status).toBe('verified');
    expect((reply.payload as { text: string }).text).toBe('Wij kijken ernaar; mogen wij u bellen?');

    expect(await tool('escalate', caseId, '--to', 'clb', '--note', 'Graag uw oordeel.')).toContain('Escalated');
    const clbSees = await officerCli(stack, stack.clb)('show', caseId);
    expect(clbSees).toContain('Graag uw oordeel.');
    expect(clbSees).toMatch(/\[escalation thread\] officer · VERIFIED/);

    const other = stack.config.channels[1]!.id;
    await tool('ask-move', caseId, '--to', other);
    await agreeToMove((await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code })).session, other);
    expect(await tool('move', caseId, '--to', other)).toContain(`Moved case ${caseId}`);
    expect(await officerCli(stack, stack.adviser)('show', caseId)).toContain('Over een wethouder');
    expect(agent.calls().join('\n')).not.toMatch(/export-secret/);
  }, 120_000);

  it('the desk lists and opens cases with it', async () => {
    const { caseId } = await fileReport(stack, 'Voor het bureau, met een sleutel in GnuPG.');
    const key = await gnupgKey(agent.fingerprint);
    const desk = await openDesk({ api: stack.url, gnupg: agent.fingerprint, key: { key, armored: null }, now: () => new Date(), out: () => undefined, port: 0, open: false, idleMinutes: 5 });
    try {
      const list = (await (await fetch(`${desk.url}api/cases`)).json()) as { cases: Array<{ summary: { caseId: string }; title: string }> };
      expect(list.cases.find((c) => c.summary.caseId === caseId)?.title).toBe('Voor het bureau, met een sleutel in GnuPG.');
      const view = (await (await fetch(`${desk.url}api/cases/${caseId}`)).json()) as { entries: Array<{ verified: boolean }> };
      expect(view.entries[0]!.verified).toBe(true);
      // Locked, it asks GnuPG again: no passphrase goes through the desk.
      await fetch(`${desk.url}api/lock`, { method: 'POST', headers: { origin: desk.url.slice(0, desk.url.indexOf('/', 8)), 'content-type': 'application/json' }, body: '{}' });
      expect(await (await fetch(`${desk.url}api/state`)).json()).toEqual({ locked: true, gnupg: true });
    } finally {
      await desk.close();
    }
  });

  it('is a choice on the desk\'s setup page: saved by fingerprint, no key file; the next start asks GnuPG', async () => {
    const first = await startAppDesk();
    const post = (desk: typeof first, path: string, body: unknown) =>
      fetch(`${desk.url}api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: desk.origin }, body: JSON.stringify(body) });
    const base = { address: stack.url, channel: stack.config.channels[0]!.id, mode: 'gnupg', passphrase: '' };
    expect(await (await post(first, 'setup/key', { ...base, fingerprint: 'AAAA'.repeat(10) })).json()).toMatchObject({ code: 'gnupg-no-key' });
    const set = await post(first, 'setup/key', { ...base, fingerprint: agent.fingerprint.toLowerCase().replace(/(.{4})/g, '$1 ') });
    expect(await set.json()).toMatchObject({ listed: true, fingerprint: agent.fingerprint });
    expect(readdirSync(first.folder).filter((f) => f.endsWith('.asc'))).toEqual([]);
    expect((await fetch(`${first.url}api/cases`)).status).toBe(200);
    await first.close();
    const next = await startAppDesk(first.folder);
    try {
      expect(await (await fetch(`${next.url}api/state`)).json()).toEqual({ locked: true, gnupg: true });
      expect((await post(next, 'unlock', { passphrase: '' })).status).toBe(200);
      expect((await fetch(`${next.url}api/cases`)).status).toBe(200);
    } finally {
      await next.close();
    }
  });

  it('says plainly when GnuPG has no such key, and when the agent has stopped', async () => {
    await expect(tool('cases').then(() => run(['cases', '--api', stack.url, '--gnupg', 'AAAA'.repeat(10)]))).rejects.toThrow(/GnuPG has no secret key AAAA/);
    await expect(run(['cases', '--api', stack.url, '--gnupg', 'not-a-fingerprint'])).rejects.toThrow(/40 hexadecimal characters/);
    const { caseId } = await fileReport(stack, 'Terwijl de agent stopt.');
    const { OfficerClient } = await import('../officer/client.ts');
    const { readCase } = await import('../officer/case-reader.ts');
    const key = await gnupgKey(agent.fingerprint);
    const client = new OfficerClient(stack.url, key);
    const read = async () => readCase(await client.get(caseId), key, await client.channels());
    expect((await read()).entries[0]!.signature.status).toBe('verified');
    // Stopped in the middle of a session: started again, and reading goes on.
    agent.stop();
    expect((await read()).entries[0]!.signature.status).toBe('verified');
    // Stopped for good (it cannot be started): said plainly, not read as a damaged message.
    const data = await client.get(caseId);
    const channels = await client.channels();
    agent.stop();
    agent.preventStart();
    const reading = readCase(data, key, channels);
    await expect(reading).rejects.toBeInstanceOf(CliError);
    await expect(reading).rejects.toThrow(/gpg-agent does not answer .* could not be started/);
    agent.allowStart();
  });
});
