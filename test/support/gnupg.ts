/** A throwaway GnuPG home holding one identity's private key, for decrypting as that reader would. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity } from './stack.ts';

export function gnupgFor(who: Identity, under: string): (args: string[], input?: string) => Buffer {
  const home = mkdtempSync(join(under, 'gnupg-'));
  const pass = join(home, 'pass');
  writeFileSync(pass, who.passphrase);
  const gpg = (args: string[], input?: string) =>
    execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase-file', pass, ...args], {
      input,
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  gpg(['--import'], who.privateKey);
  return gpg;
}
