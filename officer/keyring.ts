/** Where the officer's key and passphrase come from: flags, then environment, then the demo key of `npm start`, then a prompt. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type * as openpgp from 'openpgp';
import { CryptoError } from '../shared/protocol/errors.ts';
import { unlockPrivateKey } from '../shared/protocol/keys.ts';
import { CliError } from './errors.ts';

export interface KeyOptions {
  key?: string;
  passphrase?: string;
  passphraseFile?: string;
}

/** A path as the person typed it: `npm run` moves to the project folder, so relative paths start where npm was called (INIT_CWD). */
export const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

/** The data folder of `npm start` on this machine. */
const localHome = () => userPath(process.env.MELDPUNT_HOME ?? '.meldpunt');

export const demoKeyFile = () => join(localHome(), 'demo', 'officer.private.asc');

/** The address a running `npm start` wrote for this tool, if there is one. */
export function localApi(): string | undefined {
  const file = join(localHome(), 'api-url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

export async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError('No passphrase given: set MELDPUNT_PASSPHRASE or use --passphrase-file.');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(question);
  output._writeToOutput = () => undefined; // no echo
  const answer = await new Promise<string>((ok) => rl.question('', ok));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

/** Whether a key is named: --key, MELDPUNT_KEY, or the demo key of a running `npm start`. */
export const keyGiven = (flag: string | undefined) => Boolean(flag ?? process.env.MELDPUNT_KEY) || existsSync(demoKeyFile());

/** The unlocked key, and the locked key as its file holds it (the desk unlocks it again after locking). */
export async function loadKey(options: KeyOptions): Promise<{ key: openpgp.PrivateKey; armored: string }> {
  const given = options.key ?? process.env.MELDPUNT_KEY;
  const file = given ? userPath(given) : existsSync(demoKeyFile()) ? demoKeyFile() : undefined;
  if (!file) throw new CliError('No key: pass --key FILE or set MELDPUNT_KEY (create one with: init).');
  if (!existsSync(file)) throw new CliError(`Key file ${file} does not exist.`);
  const armored = readFileSync(file, 'utf8');
  if (!armored.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    throw new CliError(`${file} is not a private key file${armored.includes('PUBLIC KEY BLOCK') ? ' (it holds a public key)' : ''}; --key needs the private key made by init.`);
  }
  // Only the demo keys of `npm start` keep their passphrase beside them; a real key never does.
  const demo = basename(dirname(resolve(file))) === 'demo';
  const besideIt = file.replace(/\.private\.asc$/, '.passphrase');
  const passphraseFile = options.passphraseFile && userPath(options.passphraseFile);
  if (passphraseFile && !existsSync(passphraseFile)) throw new CliError(`Passphrase file ${options.passphraseFile} does not exist.`);
  const passphrase =
    options.passphrase ??
    (passphraseFile ? readFileSync(passphraseFile, 'utf8').trim() : undefined) ??
    process.env.MELDPUNT_PASSPHRASE ??
    (demo && besideIt !== file && existsSync(besideIt) ? readFileSync(besideIt, 'utf8').trim() : undefined) ??
    (await promptHidden(`Passphrase for ${file}: `));
  try {
    return { key: await unlockPrivateKey(armored, passphrase), armored };
  } catch (e) {
    if (e instanceof CryptoError) throw new CliError(e.kind === 'wrong-passphrase' ? 'Wrong passphrase for this key.' : `${file}: ${e.message}.`);
    throw e;
  }
}
