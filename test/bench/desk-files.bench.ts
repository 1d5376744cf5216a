/**
 * `npm run bench:desk-files`: how fast the officer's side opens a 100 MB evidence file, beside
 * `gpg --decrypt` of the same file: the tool's `files` (download, decrypt, verify, to disk) and the
 * desk's single-file save (the same, then handed to the browser: here to curl, another process). BENCH_MB changes the size.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gnupgFor } from '../support/gnupg.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack } from '../support/stack.ts';
import { startTestDesk } from '../support/desk.ts';

const run = promisify(execFile);
const MB = 1_000_000;
const size = Number(process.env.BENCH_MB ?? 100) * MB;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-bench-desk-files-'));
const stack = await startStack({ powDifficulty: 0 });
const mbps = (ms: number) => size / MB / (ms / 1000);
try {
  const { caseId } = await fileReport(stack, 'Met een groot bestand.', {}, [{ blob: new Blob([randomBytes(size)]), name: 'groot.bin', type: 'application/octet-stream' }]);
  const officer = officerCli(stack, stack.officer);
  let t = performance.now();
  await officer('files', caseId, join(work, 'files'));
  const toolMs = performance.now() - t;

  const desk = await startTestDesk(stack, stack.officer);
  const view = (await (await fetch(`${desk.url}api/cases/${caseId}`)).json()) as { files: Array<{ id: string }> };
  // Saved by another process, as a browser would: curl, to a file.
  const out = join(work, 'saved.bin');
  t = performance.now();
  await run('curl', ['-sf', '-o', out, `${desk.url}api/cases/${caseId}/save/${view.files[0]!.id}`]);
  const deskMs = performance.now() - t;
  const bytes = statSync(out).size;
  await desk.close();

  await officer('export', caseId, join(work, 'export'));
  const gpgFile = join(work, 'export', readdirSync(join(work, 'export')).find((f) => f.endsWith('.gpg'))!);
  const gpg = gnupgFor(stack.officer, work);
  t = performance.now();
  gpg(['--output', join(work, 'gpg-out'), '--decrypt', gpgFile]);
  const gpgMs = performance.now() - t;

  console.log(`officer tool, files (download + decrypt + verify, to disk), ${size / MB} MB: ${(toolMs / 1000).toFixed(2)} s = ${mbps(toolMs).toFixed(1)} MB/s`);
  console.log(`desk, save one file (the same, then to the browser; ${bytes === size ? 'all bytes' : `${bytes} bytes!`}): ${(deskMs / 1000).toFixed(2)} s = ${mbps(deskMs).toFixed(1)} MB/s`);
  console.log(`gpg --decrypt of the same file, from disk: ${(gpgMs / 1000).toFixed(2)} s = ${mbps(gpgMs).toFixed(1)} MB/s`);
  console.log(`desk / gpg: ${(gpgMs / deskMs).toFixed(2)}`);
  if (bytes !== size) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
