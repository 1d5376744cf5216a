/**
 * `npm run bench:officer`: time to fetch, decrypt and verify 1,000 cases: one by one as `show`
 * does, and as the desk lists them (batched reads, concurrent decryption, titles), against
 * `gpg --batch --decrypt` of the same 1,000 stored files, one process each, in the same run.
 * BENCH_CASES changes the count.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicChannels } from '../../shared/config/schema.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { OfficerClient } from '../../officer/client.ts';
import { readCase } from '../../officer/case-reader.ts';
import { startStack } from '../support/stack.ts';
import { buildSubmission, post } from '../support/reports.ts';
import { startTestDesk } from '../support/desk.ts';
import { gnupgHomeFor } from '../support/gnupg-agent.ts';
import { gnupgKey } from '../../officer/gnupg.ts';
import { openDesk } from '../../officer/desk/open.ts';
import * as openpgp from 'openpgp';

const COUNT = Number(process.env.BENCH_CASES ?? 1000);
const work = mkdtempSync(join(tmpdir(), 'meldpunt-officer-bench-'));
const home = join(work, 'home');
// File the reports in this process, then serve them from a process of its own, as `npm start`
// does: the desk and the server do not share one CPU's event loop.
const filing = await startStack({ home, persist: true, powDifficulty: 0 });
console.log(`Filing ${COUNT} reports...`);
let filed = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (filed < COUNT) {
      filed++;
      const { body } = await buildSubmission(filing.url, filing.config, { text: `Melding ${filed}: ${'x'.repeat(2000)}` });
      if ((await post(filing.url, '/api/reports', body)).status !== 201) throw new Error('submission failed');
    }
  }),
);
const { officer, config } = filing;
await filing.stop();
rmSync(join(home, 'api-url'), { force: true });
const server = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
  env: { ...process.env, MELDPUNT_HOME: home, PORT: '0', MAIL_PORT: '0' },
  stdio: 'ignore',
});
while (!existsSync(join(home, 'api-url'))) await new Promise((ok) => setTimeout(ok, 200));
const stack = { url: readFileSync(join(home, 'api-url'), 'utf8').trim(), officer, config };
try {
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
  const oneByOneMs = performance.now() - t0;

  // The desk, as the officer opens it: the list with decrypted titles, from a cold start.
  const desk = await startTestDesk(stack, stack.officer);
  const d0 = performance.now();
  const listed = (await (await fetch(`${desk.url}api/cases?status=`)).json()) as { cases: Array<{ title: string | null }> };
  const deskMs = performance.now() - d0;
  const titled = listed.cases.filter((c) => c.title?.startsWith('Melding ')).length;
  // Behind the list the desk loads every whole case (all messages, for the case view and search).
  const found = (await (await fetch(`${desk.url}api/cases?status=&q=melding`)).json()) as { cases: unknown[] };
  const wholeMs = performance.now() - d0;
  await desk.close();
  console.log(`desk: list with titles ${(deskMs / 1000).toFixed(2)} s, whole cases ${(wholeMs / 1000).toFixed(2)} s; now with the key in gpg-agent...`);
  const toolMs = deskMs;

  // The same list with the key held by gpg-agent (--gnupg): one PKDECRYPT per case over one Assuan
  // connection. The agent unprotects its key file for every use, at the cost its s2k-count sets.
  // With the lowest count, the whole list is timed; with GnuPG's default (calibrated to 100 ms on
  // the machine that imports the key), 100 session keys are timed and the figure scaled to the count.
  const agentLists: string[] = [];
  {
    const agent = gnupgHomeFor(stack.officer, { s2kCount: 65536 });
    const key = await gnupgKey(agent.fingerprint);
    const gnupgDesk = await openDesk({ api: stack.url, gnupg: agent.fingerprint, key: { key, armored: null }, now: () => new Date(), out: () => undefined, port: 0, open: false, idleMinutes: 60 });
    const g0 = performance.now();
    const gl = (await (await fetch(`${gnupgDesk.url}api/cases?status=`)).json()) as { cases: Array<{ title: string | null }> };
    const gMs = performance.now() - g0;
    await gnupgDesk.close();
    agent.stop();
    const titledByAgent = gl.cases.filter((c) => c.title?.startsWith('Melding ')).length;
    if (titledByAgent !== COUNT) process.exitCode = 1;
    agentLists.push(`desk: list ${gl.cases.length} cases with titles, key in gpg-agent (key file s2k-count 65536; ${titledByAgent} titled): ${(gMs / 1000).toFixed(2)} s (${(gMs / gl.cases.length).toFixed(1)} ms/case; goal: within 10 s)`);
    console.log(agentLists.at(-1));
  }
  {
    const agent = gnupgHomeFor(stack.officer);
    const key = await gnupgKey(agent.fingerprint);
    const sample = stored.slice(0, 100);
    await key.sessionKey(await openpgp.readMessage({ armoredMessage: sample[0]! })); // the pinentry, once
    const a0 = performance.now();
    let opened = 0;
    for (const m of sample) if (await key.sessionKey(await openpgp.readMessage({ armoredMessage: m }))) opened++;
    const perCase = (performance.now() - a0) / sample.length;
    key.close();
    agent.stop();
    if (opened !== sample.length) process.exitCode = 1;
    agentLists.push(`gpg-agent with GnuPG's default s2k-count: ${perCase.toFixed(0)} ms per session key (${opened} of ${sample.length} timed); for ${COUNT} cases about ${((perCase * COUNT) / 1000).toFixed(0)} s`);
    console.log(agentLists.at(-1));
  }
  console.log('now gpg, one process per file (minutes)...');

  const home = join(work, 'gnupg');
  execFileSync('mkdir', ['-m', '700', home]);
  delete process.env.GNUPGHOME;
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
      `one by one (show): fetch+decrypt+verify ${(oneByOneMs / 1000).toFixed(2)} s (${(oneByOneMs / list.length).toFixed(1)} ms/case)`,
      `desk: list ${listed.cases.length} cases with titles (${titled} titled): ${(deskMs / 1000).toFixed(2)} s (${(deskMs / list.length).toFixed(2)} ms/case; goal: within 2 s)`,
      ...agentLists,
      `desk: every whole case loaded and searchable (${found.cases.length} found): ${(wholeMs / 1000).toFixed(2)} s from opening`,
      `gpg --batch --decrypt, 1 process each, decrypt only: ${(gpgMs / 1000).toFixed(2)} s (${(gpgMs / files.length).toFixed(1)} ms/file, ${gpgOk} decrypted)`,
      `gpg --batch --decrypt, 1 process each, + verify:     ${(withVerify.ms / 1000).toFixed(2)} s (${(withVerify.ms / files.length).toFixed(1)} ms/file, ${withVerify.good} good signatures)`,
      `ratio gpg (decrypt only) / tool: ${(gpgMs / toolMs).toFixed(2)}x`,
      `ratio gpg (+ verify) / tool:     ${(withVerify.ms / toolMs).toFixed(2)}x`,
      `ratio gpg (+ verify) / desk's whole cases, every message decrypted and verified: ${(withVerify.ms / wholeMs).toFixed(2)}x`,
      `(the tool here is the desk's list; one by one it is ${(gpgMs / oneByOneMs).toFixed(2)}x)`,
      `officer ratio: ${(gpgMs / toolMs).toFixed(2)}`,
    ].join('\n'),
  );
  if (titled !== COUNT || found.cases.length !== COUNT || verified !== COUNT || list.length !== COUNT || gpgOk !== COUNT || withVerify.good !== COUNT) process.exitCode = 1;
} finally {
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
