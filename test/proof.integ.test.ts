/**
 * Proof of reporting: the receipt carries a statement signed by the service that checks offline
 * with the documented openssl commands, fails after a one-byte change, and matches its own case
 * (officer tool `proof`) but not another one. The statement reveals nothing without the report.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { submitReport } from '../shared/client/reporter.ts';
import { deriveCodeKeys } from '../shared/protocol/derive.ts';
import { PROOF_FILE_NAME, proofFile } from '../shared/protocol/proof.ts';
import { caseIdFor } from '../functions/services/reporter.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-proof-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function report(what: string) {
  const sent = await submitReport({ api: { base: stack.url }, channels: publicChannels(stack.config), report: { ...sampleReport(what), contact: 'MARKER-CONTACT' } });
  const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(sent.code)).accessKey);
  return { ...sent, caseId };
}

/** The check exactly as docs/proof-of-reporting.md gives it, in a shell. */
function opensslCheck(dir: string): boolean {
  const doc = readFileSync(join(import.meta.dirname, '../docs/proof-of-reporting.md'), 'utf8');
  const commands = /```sh\n([\s\S]*?)```/.exec(doc)![1]!;
  try {
    execFileSync('bash', ['-euo', 'pipefail', '-c', commands], { cwd: dir, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('proof of reporting', () => {
  it('checks with openssl, fails after a one-byte change, and says nothing of the report', async () => {
    const { receipt } = await report('MARKER-WHAT geheime inhoud');
    const file = proofFile(receipt.proof.statement, receipt.proof.signature, stack.url);
    const dir = mkdtempSync(join(work, 'check-'));
    writeFileSync(join(dir, PROOF_FILE_NAME), file);
    const { publicKey } = (await (await fetch(`${stack.url}/api/proof-key`)).json()) as { publicKey: string };
    writeFileSync(join(dir, 'proof-key.pem'), publicKey);
    expect(await (await fetch(`${stack.url}/api/proof-key.pem`)).text()).toBe(publicKey);
    expect(opensslCheck(dir)).toBe(true);
    expect(receipt.proof.statement).toContain(`ontvangen op / received on: ${receipt.receivedOn}`);
    expect(file).not.toContain('MARKER');

    // One byte changed in the statement: the day, say.
    const changed = file.replace(`received on: ${receipt.receivedOn}`, `received on: ${receipt.receivedOn.slice(0, -1)}${receipt.receivedOn.endsWith('1') ? '2' : '1'}`);
    expect(changed).not.toBe(file);
    writeFileSync(join(dir, PROOF_FILE_NAME), changed);
    expect(opensslCheck(dir)).toBe(false);
  });

  it('checks exactly as the file itself says: its own commands, run in a shell beside it, print "Verified OK"', async () => {
    const { receipt } = await report('Volgens de aanwijzingen.');
    const file = proofFile(receipt.proof.statement, receipt.proof.signature, stack.url);
    const dir = mkdtempSync(join(work, 'literal-'));
    writeFileSync(join(dir, PROOF_FILE_NAME), file);
    const commands = file.split('\n').filter((l) => l.startsWith('#   ')).map((l) => l.slice(4));
    expect(commands[0]).toBe(`curl -s ${stack.url}/api/proof-key.pem > proof-key.pem`);
    // Not execFileSync: curl asks this very process's server, which must keep answering.
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], { cwd: dir });
    expect(stdout.trim()).toBe('Verified OK');
    // The address is the one the page was loaded from: http here, not a made-up https.
    expect(file).not.toContain('https://');
  });

  it('matches its own case in the officer tool, and not another case', async () => {
    const a = await report('Zaak A');
    const b = await report('Zaak B');
    const path = join(work, 'bewijs-a.txt');
    writeFileSync(path, proofFile(a.receipt.proof.statement, a.receipt.proof.signature, stack.url));
    const officer = officerCli(stack, stack.officer);
    const own = await officer('proof', a.caseId, path);
    expect(own).toContain('Signature: VALID');
    expect(own).toContain(`Case ${a.caseId}: MATCHES`);
    const other = await officer('proof', b.caseId, path);
    expect(other).toContain('Signature: VALID');
    expect(other).toContain(`Case ${b.caseId}: DOES NOT MATCH`);
    const forged = join(work, 'bewijs-forged.txt');
    writeFileSync(forged, readFileSync(path, 'utf8').replace(/signature: (\S)/, (_, c: string) => `signature: ${c === 'A' ? 'B' : 'A'}`));
    expect(await officer('proof', a.caseId, forged)).toContain('Signature: INVALID');
  });
});
