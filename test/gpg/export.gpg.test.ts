/** Promise 5: the register stays readable without this software. Every exported file decrypts with real GnuPG. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../../shared/client/reporter.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { officerCli } from '../support/officer-cli.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-gpg-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('GnuPG interoperability', () => {
  it('decrypts and verifies every exported message with gpg and the officer key', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({ api, channels, report: { ...sampleReport('Leesbaar met GnuPG: één, twee, drie.'), contact: 'via Signal' } });
    await postMessage((await openCase({ api, channels, code })).session, 'Aanvulling voor het register.');
    const officer = officerCli(stack, stack.officer);
    const caseId = (await officer('cases', '--json')).match(/"caseId": "([0-9A-Z]{16})"/)![1]!;
    await officer('ack', caseId);
    await officer('reply', caseId, '--message', 'Antwoord van de functionaris.');
    const dir = join(work, 'export');
    await officer('export', caseId, dir);

    const home = join(work, 'gnupg');
    execFileSync('mkdir', ['-m', '700', home]);
    const gpg = (args: string[], input?: string) =>
      execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    const passFile = join(work, 'pass');
    writeFileSync(passFile, stack.officer.passphrase);
    gpg(['--passphrase-file', passFile, '--import'], stack.officer.privateKey);
    gpg(['--import', join(dir, 'reporter-public-key.asc')]);

    const files = readdirSync(dir).filter((f) => f.endsWith('.asc') && f !== 'reporter-public-key.asc');
    expect(files).toHaveLength(4);
    const texts: string[] = [];
    for (const file of files) {
      const status = join(work, `${file}.status`);
      const plain = gpg(['--passphrase-file', passFile, '--status-file', status, '--decrypt', join(dir, file)]);
      const payload = JSON.parse(plain) as { kind: string; text?: string; answers?: { what: string } };
      texts.push(payload.text ?? payload.answers!.what);
      const statusLines = readFileSync(status, 'utf8');
      expect(statusLines, file).toContain('DECRYPTION_OKAY');
      expect(statusLines, file).toMatch(/GOODSIG|VALIDSIG/);
      expect(statusLines, file).not.toContain('BADSIG');
    }
    expect(texts).toContain('Leesbaar met GnuPG: één, twee, drie.');
    expect(texts).toContain('Aanvulling voor het register.');
    expect(texts).toContain('Antwoord van de functionaris.');
    expect(readFileSync(join(dir, `${caseId}-summary.md`), 'utf8')).toContain('via Signal');
  });
});
