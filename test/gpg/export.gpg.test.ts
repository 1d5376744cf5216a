/**
 * Promise 5: the register stays readable without this software. Every file an export writes
 * decrypts with real GnuPG (throwaway GNUPGHOME) and the exporting key, and every signature checks
 * out once the signers' public keys are imported: the officer's for its export, CLB's for its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../../shared/client/reporter.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { startStack, type Identity, type TestStack } from '../support/stack.ts';
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

/** A GnuPG home with one private key and the given public keys, as a register keeper would set it up. */
function gnupg(name: string, owner: Identity, publicKeys: string[]) {
  const home = join(work, `gnupg-${name}`);
  mkdirSync(home, { mode: 0o700 });
  const passFile = join(work, `pass-${name}`);
  writeFileSync(passFile, owner.passphrase);
  const gpg = (args: string[], input?: string) =>
    execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase-file', passFile, ...args], {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  gpg(['--import'], owner.privateKey);
  for (const key of publicKeys) gpg(['--import'], key);
  /** Decrypts a file; returns the JSON payload and gpg's machine-readable status lines. */
  return (file: string) => {
    const statusFile = `${file}.${name}.status`;
    const plain = gpg(['--status-file', statusFile, '--decrypt', file]);
    return { payload: JSON.parse(plain) as { kind: string; text?: string; answers?: { what: string } }, status: readFileSync(statusFile, 'utf8') };
  };
}

const messageFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.asc') && !f.endsWith('-public-key.asc') && !f.endsWith('-public-keys.asc'));

describe('GnuPG interoperability', () => {
  it('decrypts and verifies every exported message with gpg, for the officer and for CLB', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const attachment = Buffer.from('bonnetje 12,50 euro\n');
    const { code } = await submitReport({
      api,
      channels,
      report: {
        ...sampleReport('Leesbaar met GnuPG: één, twee, drie.'),
        contact: 'via Signal',
        consent: { clb: 'conversation' },
        attachments: [{ name: 'bon.txt', type: 'text/plain', data: attachment.toString('base64') }],
      },
    });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
    await postMessage((await openCase({ api, channels, code })).session, 'Aanvulling voor het register.');
    const officer = officerCli(stack, stack.officer);
    const clb = officerCli(stack, stack.clb);
    await officer('ack', caseId);
    await officer('reply', caseId, '--message', 'Antwoord van de functionaris.');
    await officer('escalate', caseId, '--to', 'clb', '--note', 'Voor CLB');
    await clb('reply', caseId, '--message', 'Antwoord van CLB.');
    await clb('note', caseId, '--message', 'Notitie van CLB.');

    // The officer's export: everything on the case.
    const dir = join(work, 'officer-export');
    await officer('export', caseId, dir);
    // Only what the export holds: its signer-keys file lets gpg check every signature, CLB's included.
    const asOfficer = gnupg('officer', stack.officer, [readFileSync(join(dir, 'signer-public-keys.asc'), 'utf8')]);
    const files = messageFiles(dir);
    expect(files).toHaveLength(7); // report, reporter message, ack, reply, escalation, CLB reply, CLB note
    const texts: string[] = [];
    for (const file of files) {
      const { payload, status } = asOfficer(join(dir, file));
      texts.push(payload.text ?? payload.answers?.what ?? payload.kind);
      expect(status, file).toContain('DECRYPTION_OKAY');
      expect(status, file).toContain('GOODSIG');
      expect(status, file).not.toMatch(/BADSIG|ERRSIG|NO_PUBKEY/);
    }
    expect(texts.sort()).toEqual(
      ['Leesbaar met GnuPG: één, twee, drie.', 'Aanvulling voor het register.', 'Antwoord van de functionaris.', 'Antwoord van CLB.', 'Notitie van CLB.', 'escalation', texts.find((t) => t.startsWith('Wij hebben'))!].sort(),
    );
    const summary = readFileSync(join(dir, `${caseId}-summary.md`), 'utf8');
    // In Dutch, in the desk's words.
    expect(summary).toContain('Contactgegevens: via Signal');
    expect(summary).toContain('ECHT: ondertekend door de melder');
    expect(summary).not.toMatch(/NIET GEVERIFIEERD|NOT VERIFIED|Category:|files CASE/);
    expect(readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('-000-attachment-0-bon.txt'))!))).toEqual(attachment);

    // CLB's export: only what was encrypted to CLB, and it all decrypts with the CLB key alone.
    const clbDir = join(work, 'clb-export');
    await clb('export', caseId, clbDir);
    const asClb = gnupg('clb', stack.clb, [readFileSync(join(clbDir, 'signer-public-keys.asc'), 'utf8')]);
    const clbFiles = messageFiles(clbDir);
    expect(clbFiles).toHaveLength(3); // escalation, CLB reply, CLB note
    for (const file of clbFiles) {
      const { status } = asClb(join(clbDir, file));
      expect(status, file).toContain('DECRYPTION_OKAY');
      expect(status, file).toContain('GOODSIG');
    }
    expect(readFileSync(join(clbDir, `${caseId}-summary.md`), 'utf8')).toContain('4 bericht(en) van deze zaak zijn niet voor deze sleutel versleuteld');
    // The attachment travelled inside the escalation and is exported from there.
    expect(readFileSync(join(clbDir, readdirSync(clbDir).find((f) => f.endsWith('-attachment-0-bon.txt'))!))).toEqual(attachment);
  });
});
