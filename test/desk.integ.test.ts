/**
 * The officer's desk over HTTP, against the local stack: the yearly report's figures checked
 * against cases made here, internal notes that neither CLB nor the reporter get, and the idle lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeToMove, openCase, type ReportInput } from '../shared/client/reporter.ts';
import { publicChannelsSchema, type PublicChannels } from '../shared/config/schema.ts';
import { officerCli } from './support/officer-cli.ts';
import { fileReport } from './support/reports.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { startTestDesk, type TestDesk } from './support/desk.ts';

let stack: TestStack;
let desk: TestDesk;
let channels: PublicChannels;
beforeAll(async () => {
  stack = await startStack();
  channels = publicChannelsSchema.parse(await (await fetch(`${stack.url}/channels.json`)).json());
  desk = await startTestDesk(stack, stack.officer);
});
afterAll(async () => {
  await desk?.close();
  await stack?.stop();
});

const file = (what: string, over: Partial<ReportInput> = {}) => fileReport(stack, what, over);

const api = async (path: string, body?: unknown) => {
  const res = await fetch(`${desk.url}api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { origin: desk.origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, json: type.includes('json') ? await res.json() : null, text: type.includes('json') ? '' : await res.text() };
};

describe('the desk', () => {
  it('computes the yearly report from the decrypted cases: counts by channel, kind, track and conclusion, shares and medians', async () => {
    const closed = await file('Facturen aan de zwager van de penningmeester.', { category: 'misstand', track: 'wbk' });
    const acknowledged = await file('Een bestuurder schreeuwt tegen vrijwilligers.', { category: 'ongewenste-omgangsvormen', track: 'code' });
    await file('Stemmen gekocht bij de kandidatenlijst.', { category: 'integriteitsschending', track: 'code' });
    expect((await api(`cases/${closed.caseId}/ack`, {})).status).toBe(200);
    expect((await api(`cases/${closed.caseId}/close`, { text: 'Onderzocht en gegrond bevonden.', result: 'founded' })).status).toBe(200);
    expect((await api(`cases/${acknowledged.caseId}/ack`, { text: 'Ontvangen.' })).status).toBe(200);

    const { status, json: report } = await api(`report?year=${new Date().getFullYear()}`);
    expect(status).toBe(200);
    expect(report).toMatchObject({
      cases: 3,
      byChannel: { integriteit: 3 },
      byCategory: { misstand: 1, 'ongewenste-omgangsvormen': 1, integriteitsschending: 1 },
      byTrack: { wbk: 1, code: 2 },
      byOutcome: { founded: 1, open: 2 },
      acknowledgedInTime: { count: 2, of: 3 },
      answeredInTime: { count: 1, of: 2 },
      medianDaysToAcknowledge: 0,
      medianDaysToFeedback: 0,
    });
    const csv = await api(`report.csv?year=${new Date().getFullYear()}`);
    // In the officer's words, no raw codes.
    expect(csv.text).toContain('Per conclusie,Gegrond,1');
    expect(csv.text).toContain('Terugkoppeling binnen 3 maanden (van de bevestigde),aantal,1');
    expect(csv.text).not.toContain('founded');
    expect((await api(`report.csv?year=${new Date().getFullYear()}&lang=en`)).text).toContain('By conclusion,Founded,1');
    // The server learnt none of it: the conclusion is inside the encrypted outcome.
    expect(JSON.stringify(await stack.local.deps.cases.get(closed.caseId))).not.toContain('founded');

    // The register: every closed case in a folder of its own.
    const register = await api('register', { folder: 'register-test' });
    expect(register.json.count).toBe(1);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(`${desk.folder}/register-test/${closed.caseId}`)).toContain(`${closed.caseId}-summary.md`);
  });

  it('lists a file passed on to CLB once, for CLB and for the officer', async () => {
    const pdf = new Blob([new Uint8Array(30_000).fill(7)]);
    const { caseId } = await fileReport(stack, 'Met een bon, voor het CLB.', { consent: { clb: 'conversation' } }, [{ blob: pdf, name: 'bon.pdf', type: 'application/pdf' }]);
    await officerCli(stack, stack.officer)('escalate', caseId, '--to', 'clb');
    const clbDesk = await startTestDesk(stack, stack.clb);
    try {
      const view = (await (await fetch(`${clbDesk.url}api/cases/${caseId}`)).json()) as { files: Array<{ name: string }> };
      expect(view.files.map((f) => f.name)).toEqual(['bon.pdf']);
    } finally {
      await clbDesk.close();
    }
    expect((await api(`cases/${caseId}`)).json.files.map((f: { name: string }) => f.name)).toEqual(['bon.pdf']);
  });

  it('lists first and titles behind, when titles are slow to decrypt (a key in GnuPG or on a token)', async () => {
    const { DeskCases } = await import('../officer/desk/cases.ts');
    const { OfficerClient } = await import('../officer/client.ts');
    const { unlockPrivateKey } = await import('../shared/protocol/keys.ts');
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const client = new OfficerClient(stack.url, key);
    const cases = new DeskCases(() => ({ client, key, out: () => undefined, json: false, now: () => new Date() }));
    // Not waiting at all: the list is there, every title still to come.
    await cases.refresh({ within: 0 });
    const first = cases.list();
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((c) => c.pending && c.title === null)).toBe(true);
    // Asked again meanwhile: no second decryption starts; then every title is in.
    await cases.refresh({ within: 0 });
    await cases.refresh();
    expect(cases.list().every((c) => !c.pending && c.title !== null)).toBe(true);
    expect((await api('cases?status=')).json.pending).toBe(0);
  });

  it('searches the decrypted text and filters by kind and status', async () => {
    const hit = (await api('cases?q=zwager%20penningmeester&status=')).json;
    expect(hit.cases.map((c: { title: string }) => c.title)).toEqual(['Facturen aan de zwager van de penningmeester.']);
    expect((await api('cases?category=ongewenste-omgangsvormen')).json.cases).toHaveLength(1);
    expect((await api('cases?status=closed')).json.cases).toHaveLength(1);
    expect((await api('cases?q=nergens')).json.cases).toHaveLength(0);
  });

  it('keeps internal notes to the channel\'s officers: CLB and the reporter never get them', async () => {
    const { caseId, code } = await file('Over een raadslid.', { consent: { clb: 'conversation' } });
    expect((await api(`cases/${caseId}/internal`, { text: 'Intern: eerst het raadslid horen.' })).status).toBe(200);
    const officer = officerCli(stack, stack.officer);
    await officer('escalate', caseId, '--to', 'clb');

    expect(await officer('show', caseId)).toMatch(/\[internal note: officers only\] officer · VERIFIED.*\n\s+note: Intern: eerst het raadslid horen\./);
    const clbView = await officerCli(stack, stack.clb)('show', caseId, '--json');
    expect(JSON.parse(clbView).entries.some((e: { thread: string }) => e.thread === 'internal')).toBe(false);
    expect(clbView).not.toContain('raadslid horen');
    const opened = await openCase({ api: { base: stack.url }, channels, code });
    expect(opened.thread).toHaveLength(1); // the report; not the note
    // A CLB key cannot write one either.
    await expect(officerCli(stack, stack.clb)('internal', caseId, '--message', 'x')).rejects.toThrow(/Only the case's own officers/);
  });

  it('refuses an action the reporter\'s consent does not allow, and changes nothing', async () => {
    const { caseId } = await file('Geen toestemming voor het CLB.');
    const before = await stack.local.deps.cases.get(caseId);
    const res = await api(`cases/${caseId}/escalate`, { target: 'clb' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/Not escalated: the reporter chose that only the officers/);
    expect((await stack.local.deps.cases.get(caseId))?.version).toBe(before?.version);
    expect((await api(`cases/${caseId}/reply`, { text: '' })).json.error).toBe('Write a text first.');
  });

  it('moves a case to another channel only after the reporter agreed, then no longer shows it', async () => {
    const { caseId, code } = await file('Dit hoort bij de vertrouwenspersoon.');
    const view = async () => (await api(`cases/${caseId}`)).json;
    expect((await view()).moveConsents).toEqual([]);
    const early = await api(`cases/${caseId}/move`, { to: 'vertrouwenspersoon' });
    expect(early.status).toBe(400);
    expect(early.json.error).toMatch(/the reporter has not agreed/);
    expect((await api(`cases/${caseId}/ask-move`, { to: 'vertrouwenspersoon' })).status).toBe(200);
    const opened = await openCase({ api: { base: stack.url }, channels, code });
    expect(opened.moveRequest?.readers).toEqual([stack.adviser.name]);
    await agreeToMove(opened.session, 'vertrouwenspersoon');
    expect((await view()).moveConsents).toEqual(['vertrouwenspersoon']);
    const moved = await api(`cases/${caseId}/move`, { to: 'vertrouwenspersoon' });
    expect(moved.json.message).toMatch(/Moved case/);
    expect((await api('cases')).json.cases.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
    expect(await officerCli(stack, stack.adviser)('show', caseId)).toContain('Dit hoort bij de vertrouwenspersoon.');
  });

  it('locks itself when idle: the decrypted cases are dropped until the passphrase is given again', async () => {
    const idle = await startTestDesk(stack, stack.officer, { idleMinutes: 0.01 });
    try {
      const call = (path: string, body?: unknown) =>
        fetch(`${idle.url}api/${path}`, { method: body ? 'POST' : 'GET', headers: { origin: idle.origin, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      expect((await call('cases')).status).toBe(200);
      await new Promise((ok) => setTimeout(ok, 1_000));
      expect(await (await call('state')).json()).toEqual({ locked: true });
      const locked = await call('cases');
      expect(locked.status).toBe(423);
      expect((await call('unlock', { passphrase: 'wrong wrong wrong' })).status).toBe(400);
      expect((await call('cases')).status).toBe(423);
      expect((await call('unlock', { passphrase: stack.officer.passphrase })).status).toBe(200);
      expect((await call('cases')).status).toBe(200);
      // An open case reading itself again in the background does not keep the desk unlocked.
      const { caseId } = await fileReport(stack, 'Open laten staan.');
      expect((await call(`cases/${caseId}`)).status).toBe(200);
      for (let i = 0; i < 6; i++) {
        await new Promise((ok) => setTimeout(ok, 200));
        await call(`cases/${caseId}?background=1`);
      }
      expect(await (await call('state')).json()).toEqual({ locked: true });
    } finally {
      await idle.close();
    }
  });
});
