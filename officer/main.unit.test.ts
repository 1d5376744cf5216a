/** The tool's answers to mistakes: a sentence that says what to do, before any passphrase is asked for. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './main.ts';
import { CliError } from './errors.ts';
import { caseTable, relative } from './render.ts';
import type { CaseSummary } from '../shared/schemas/officer-api.ts';

const dir = mkdtempSync(join(tmpdir(), 'meldpunt-cli-'));
// A key file that does not exist: every mistake below must be caught before the key is needed.
const noKey = ['--key', join(dir, 'absent.asc')];

async function refusal(...argv: string[]): Promise<string> {
  const error = await run(argv, () => undefined).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return (error as CliError).message;
}

describe('officer tool input', () => {
  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['reply', 'ABC'], /reply needs --message TEXT/],
    [['reply', '--message', 'hoi'], /reply needs a CASE id/],
    [['status', 'ABC'], /needs a status: in-progress or feedback-given/],
    [['status', 'ABC', 'closed'], /close a case with: close CASE --outcome TEXT/],
    [['close', 'ABC'], /close needs --outcome TEXT/],
    [['close', 'ABC', '--outcome', '   '], /close needs --outcome TEXT/],
    [['escalate', 'ABC'], /needs --to TARGET/],
    [['escalate', 'ABC', '--to', 'clb', '--messages', ','], /--messages needs message numbers/],
    [['export', 'ABC'], /needs a DIR/],
    [['reply', 'ABC', '--message', 'x', '--message-file', 'y'], /not both/],
    [['reply', 'ABC', '--message-file', '/no/such/file'], /does not exist/],
    [['cases', '--api', 'meldpunt.example.nl'], /is not an API address/],
    [['cases', '--bogus'], /Unknown option '--bogus'/],
  ])('%j', async (argv, message) => {
    expect(await refusal(...argv, ...noKey)).toMatch(message);
  });

  it('names a missing or wrong key file, and a missing passphrase file', async () => {
    expect(await refusal('cases', ...noKey)).toMatch(/Key file .*absent\.asc does not exist/);
    const publicOnly = join(dir, 'public.asc');
    writeFileSync(publicOnly, '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n-----END PGP PUBLIC KEY BLOCK-----\n');
    expect(await refusal('cases', '--key', publicOnly)).toMatch(/not a private key file \(it holds a public key\)/);
    const privateFile = join(dir, 'private.asc');
    writeFileSync(privateFile, '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----\n');
    expect(await refusal('cases', '--key', privateFile, '--passphrase-file', join(dir, 'nope'))).toMatch(/Passphrase file .* does not exist/);
    expect(await refusal('cases', '--key', privateFile, '--passphrase', 'x')).toMatch(/not an armored OpenPGP private key/);
  });

  it('init refuses a short passphrase and an existing file', async () => {
    expect(await refusal('init', '--name', 'X', '--out', join(dir, 'k.asc'), '--passphrase', 'short')).toMatch(/at least 12 characters/);
    expect(await refusal('init', '--name', 'X', '--out', join(dir, 'k.asc'), '--passphrase', 'Wachtwoord2026!')).toMatch(/easy to guess/);
    expect(existsSync(join(dir, 'k.asc'))).toBe(false);
    const existing = join(dir, 'existing.asc');
    writeFileSync(existing, 'x');
    expect(await refusal('init', '--name', 'X', '--out', existing, '--passphrase', 'long enough passphrase')).toMatch(/already exists/);
  });

  it('init writes a key pair the tool can then use, and prints its fingerprint', async () => {
    const lines: string[] = [];
    const file = join(dir, 'officer.private.asc');
    await run(['init', '--name', 'Test', '--out', file, '--passphrase', 'long enough passphrase'], (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/Fingerprint: ([0-9A-F]{4} ){9}[0-9A-F]{4}/);
    expect(lines.join('\n')).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(lines.join('\n')).toContain(join(dir, 'officer.public.asc'));
    expect(await refusal('cases', '--key', file, '--passphrase', 'wrong passphrase!', '--api', 'http://127.0.0.1:1')).toBe('Wrong passphrase for this key.');
    expect(await refusal('cases', '--key', file, '--passphrase', 'long enough passphrase', '--api', 'http://127.0.0.1:1')).toMatch(/Cannot reach the Meldpunt API/);
  });
});

describe('case table', () => {
  const summary = (over: Partial<CaseSummary>): CaseSummary => ({
    caseId: '0123456789ABCDEF',
    channel: 'integriteit',
    status: 'received',
    escalated: false,
    escalatedTo: [],
    feedbackOn: null,
    receivedOn: '2026-11-02',
    acknowledgedOn: null,
    closedOn: null,
    acknowledgeBy: '2026-11-09',
    feedbackBy: null,
    deleteAfter: null,
    nextDeadline: '2026-11-09',
    overdue: false,
    activity: { caseMessages: 1, escalationMessages: 0, lastOnCase: { author: 'reporter', day: '2026-11-02' }, lastOnEscalation: null },
    awaitingYou: true,
    ...over,
  });

  it('says how far a deadline is, in days', () => {
    expect(relative('2026-11-09', '2026-11-09')).toBe('today');
    expect(relative('2026-11-09', '2026-11-08')).toBe('in 1 day');
    expect(relative('2026-11-09', '2026-11-11')).toBe('2 days late');
  });

  it('marks overdue and new cases and counts both threads', () => {
    const lines = caseTable(
      [
        summary({ overdue: true }),
        summary({ caseId: 'ZZZZZZZZZZZZZZZZ', awaitingYou: false, escalated: true, escalatedTo: ['clb'], activity: { caseMessages: 3, escalationMessages: 2, lastOnCase: null, lastOnEscalation: null } }),
      ],
      '2026-11-10',
    );
    expect(lines[0]).toMatch(/^CASE +CHANNEL +STATUS +RECEIVED +NEXT DEADLINE +MSGS +FLAGS$/);
    expect(lines[1]).toMatch(/^0123456789ABCDEF .* 2026-11-09 acknowledge \(1 day late\) +1 +OVERDUE NEW$/);
    expect(lines[2]).toMatch(/^ZZZZZZZZZZZZZZZZ .* 3\+2 +escalated:clb$/);
    expect(lines).toContain('1 case(s) OVERDUE: the legal deadline has passed. Act on these first.');
    expect(caseTable([], '2026-11-10')).toEqual(['No cases.']);
    // CLB is shown what it reads: the escalation thread's count, not how often the reporter wrote.
    const clb = caseTable([summary({ escalated: true, escalatedTo: ['clb'], activity: { caseMessages: 4, escalationMessages: 1, lastOnCase: null, lastOnEscalation: null } })], '2026-11-10', { target: true });
    expect(clb[1]).toMatch(/ 1 +OVERDUE|\s1\s+(NEW\s+)?escalated:clb$/);
    expect(clb.join('\n')).not.toContain('4+1');
  });
});
