/**
 * A throwaway GNUPGHOME standing in for a hardware token: the identity's private key imported, a
 * gpg-agent with a scripted pinentry that answers the passphrase (as a person would type it into
 * GnuPG's own prompt; the tool never sees it), and a `gpg` on PATH that logs every call, so a test
 * can show the tool never asks for the secret key. Set into process.env: test files run in forks.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity } from './stack.ts';

export interface AgentHome {
  home: string;
  fingerprint: string;
  /** Every gpg command line the tool ran, one per line. */
  calls(): string[];
  /** Stops the agent (gpgconf --kill gpg-agent). */
  stop(): void;
  /** From now on `gpgconf --launch` fails, as when the agent cannot start; `allowStart` undoes it. */
  preventStart(): void;
  allowStart(): void;
}

export function gnupgHomeFor(who: Identity, options: { s2kCount?: number } = {}): AgentHome {
  const home = mkdtempSync(join(tmpdir(), 'meldpunt-gnupg-'));
  chmodSync(home, 0o700);
  const pinentry = join(home, 'pinentry.sh');
  // The pinentry protocol (Assuan): greet, answer every command OK, and GETPIN with the passphrase.
  writeFileSync(join(home, 'passphrase'), who.passphrase);
  writeFileSync(
    pinentry,
    `#!/bin/sh\necho "OK ready"\nwhile read -r cmd rest; do\n  case "$cmd" in\n    GETPIN) printf 'D %s\\nOK\\n' "$(cat ${join(home, 'passphrase')})";;\n    BYE) echo OK; exit 0;;\n    *) echo OK;;\n  esac\ndone\n`,
  );
  chmodSync(pinentry, 0o755);
  writeFileSync(join(home, 'gpg-agent.conf'), `pinentry-program ${pinentry}\n${options.s2kCount ? `s2k-count ${options.s2kCount}\n` : ''}`);
  const bin = join(home, 'bin');
  mkdirSync(bin);
  const log = join(home, 'calls.log');
  const real = execFileSync('sh', ['-c', 'command -v gpg']).toString().trim();
  writeFileSync(join(bin, 'gpg'), `#!/bin/sh\necho "$*" >> ${log}\nexec ${real} "$@"\n`);
  chmodSync(join(bin, 'gpg'), 0o755);
  writeFileSync(log, '');
  const realConf = execFileSync('sh', ['-c', 'command -v gpgconf']).toString().trim();
  const blocked = join(home, 'no-start');
  writeFileSync(join(bin, 'gpgconf'), `#!/bin/sh
if [ "$1" = "--launch" ] && [ -e ${blocked} ]; then exit 1; fi
exec ${realConf} "$@"
`);
  chmodSync(join(bin, 'gpgconf'), 0o755);
  process.env.GNUPGHOME = home;
  process.env.PATH = `${bin}:${process.env.PATH}`;
  execFileSync(real, ['--batch', '--import'], { input: who.privateKey, stdio: ['pipe', 'ignore', 'ignore'] });
  const colons = execFileSync(real, ['--batch', '--with-colons', '--list-secret-keys']).toString();
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1]!;
  writeFileSync(log, '');
  return {
    home,
    fingerprint,
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    preventStart: () => writeFileSync(blocked, ''),
    allowStart: () => rmSync(blocked, { force: true }),
    stop: () => {
      execFileSync('gpgconf', ['--kill', 'gpg-agent']);
      // The agent leaves a moment after being told to: wait until its socket is gone.
      const socket = execFileSync('gpgconf', ['--list-dirs', 'agent-socket']).toString().trim();
      for (let i = 0; i < 100 && existsSync(socket); i++) execFileSync('sleep', ['0.05']);
    },
  };
}
