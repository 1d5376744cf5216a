/**
 * `npm run bench:officer`: time to fetch, decrypt and verify 1,000 cases with the officer tool's
 * code, against `gpg --batch --decrypt` of the same 1,000 stored files, one process each, in the
 * same run. BENCH_CASES changes the count.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicChannels } from '../../shared/config/schema.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { OfficerClient } from '../../officer/client.ts';
import { readCase } from '../../officer/case-reader.ts';
import { startStack } from '../support/stack.ts';
import { buildSubmission, post } from '../support/reports.ts';

const COUNT = Number(process.env.BENCH_CASES ?? 1000);
const work = mkdtempSync(join(tmpdir(), 'meldpunt-officer-bench-'));
const stack = await startStack({ powDifficulty: 0 });
try {
  console.log(`Filing ${COUNT} reports...`);
  let filed = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (filed < COUNT) {
        filed++;
        const { body } = await buildSubmission(stack.url, stack.config, { text: `Melding ${filed}: ${'x'.repeat(2000)}` });
        if ((await post(stack.url, '/api/reports', body)).status !== 201) throw new Error('submission failed');
      }
    }),
  );

  const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
  const client = new OfficerClient(stack.url, key);
  const channels = publicChannels(stack.config);
  const t0 = performance.now();
  const list = await client.list();
  let verified = 0;
  const stored: string[] = [];
  const reporterKeys: string[] = [];
  for (const summary of list) {
    const read = await readCase(await client.get(summary.caseId), key, channels);
    if (read.reporterKeyOk && read.entries[0]!.signature.status === 'verified') verified++;
    stored.push(read.data.messages[0]!.message);
    reporterKeys.push(read.data.reporterPublicKey);
  }
  const toolMs = performance.now() - t0;

  const home = join(work, 'gnupg');
  execFileSync('mkdir', ['-m', '700', home]);
  const pass = join(work, 'pass');
  writeFileSync(pass, stack.officer.passphrase);
  const gpgArgs = ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase-file', pass];
  execFileSync('gpg', [...gpgArgs, '--import'], { input: stack.officer.privateKey, stdio: ['pipe', 'ignore', 'ignore'] });
  const files = stored.map((m, i) => {
    const file = join(work, `${i}.asc`);
    writeFileSync(file, m);
    return file;
  });
  /** One gpg process per file; counts the files it decrypted, and those whose signature it found good. */
  const gpgPass = () => {
    const started = performance.now();
    let decrypted = 0;
    let good = 0;
    for (const file of files) {
      const result = spawnSync('gpg', [...gpgArgs, '--status-fd', '2', '--decrypt', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (result.stdout.includes('"kind":"report"')) decrypted++;
      if (result.stderr.includes('[GNUPG:] GOODSIG')) good++;
    }
    return { ms: performance.now() - started, decrypted, good };
  };
  // First without the reporters' public keys: gpg only decrypts (it cannot check the signature), the lighter job.
  const decryptOnly = gpgPass();
  // Then as a register keeper would check them: all 1,000 reporter keys imported, signatures verified.
  execFileSync('gpg', [...gpgArgs, '--import'], { input: reporterKeys.join('\n'), stdio: ['pipe', 'ignore', 'ignore'] });
  const withVerify = gpgPass();
  const gpgMs = decryptOnly.ms;
  const gpgOk = decryptOnly.decrypted;

  console.log(
    [
      '',
      `cases:                          ${list.length} (verified by the tool: ${verified})`,
      `officer tool fetch+decrypt+verify: ${(toolMs / 1000).toFixed(2)} s (${(toolMs / list.length).toFixed(1)} ms/case)`,
      `gpg --batch --decrypt, 1 process each, decrypt only: ${(gpgMs / 1000).toFixed(2)} s (${(gpgMs / files.length).toFixed(1)} ms/file, ${gpgOk} decrypted)`,
      `gpg --batch --decrypt, 1 process each, + verify:     ${(withVerify.ms / 1000).toFixed(2)} s (${(withVerify.ms / files.length).toFixed(1)} ms/file, ${withVerify.good} good signatures)`,
      `ratio gpg (decrypt only) / tool: ${(gpgMs / toolMs).toFixed(2)}x`,
      `ratio gpg (+ verify) / tool:     ${(withVerify.ms / toolMs).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
  if (verified !== COUNT || list.length !== COUNT || gpgOk !== COUNT || withVerify.good !== COUNT) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
