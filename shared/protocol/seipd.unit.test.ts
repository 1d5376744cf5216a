import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, describe, expect, it } from 'vitest';
import { Sha1 } from './sha1.ts';
import { SeipdWriter, literalHeader, newSessionKey } from './seipd.ts';
import { TreeHash } from './tree-hash.ts';
import { generateReporterKey } from './keys.ts';
import { readPackets, TAG } from './packets.ts';

const work = mkdtempSync(join(tmpdir(), 'meldpunt-seipd-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The whole encrypted message: session key packets for `key`, then the SEIPD packet of `data` pushed in `pieces`. */
async function encrypted(data: Uint8Array, pieces: number[], key: openpgp.PublicKey) {
  const sessionKey = newSessionKey();
  const pkesk = (await openpgp.encryptSessionKey({ data: sessionKey, algorithm: 'aes256', encryptionKeys: key, format: 'binary' })) as Uint8Array;
  const literal = literalHeader(data.length);
  const writer = await SeipdWriter.create(sessionKey, literal.length + data.length);
  const out: Uint8Array[] = [pkesk, writer.head, ...(await writer.push(literal))];
  let at = 0;
  for (const n of pieces) {
    out.push(...(await writer.push(data.subarray(at, at + n))));
    at += n;
  }
  out.push(...(await writer.push(data.subarray(at))), ...(await writer.end()));
  return Buffer.concat(out);
}

describe('the streamed SEIPD v1 writer', () => {
  it('writes a message openpgp.js decrypts and checks, for sizes around every block and chunk edge', async () => {
    const reader = await generateReporterKey('pw');
    for (const size of [0, 1, 15, 16, 17, (1 << 20) - 40, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7]) {
      const data = new Uint8Array(randomBytes(size));
      const message = await encrypted(data, [3, 100_000, 13], reader.unlocked.toPublic());
      const packets = readPackets(message);
      expect(packets.map((p) => p.tag)).toEqual([TAG.pkesk, TAG.seipd]);
      const { data: plain } = await openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: message }), decryptionKeys: reader.unlocked, format: 'binary' });
      expect(Buffer.from(plain as Uint8Array).equals(Buffer.from(data)), `size ${size}`).toBe(true);
    }
  });

  it('is refused by openpgp.js when one ciphertext byte changes (the MDC holds)', async () => {
    const reader = await generateReporterKey('pw');
    const message = await encrypted(new Uint8Array(randomBytes(5000)), [], reader.unlocked.toPublic());
    message[message.length - 2000]! ^= 1;
    await expect(openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: message }), decryptionKeys: reader.unlocked, format: 'binary' })).rejects.toThrow();
  });

  it('writes a message GnuPG decrypts and checks', async () => {
    const reader = await generateReporterKey('geheim wachtwoord');
    const data = new Uint8Array(randomBytes(2 * (1 << 20) + 333));
    const file = join(work, 'file.gpg');
    writeFileSync(file, await encrypted(data, [1 << 19], reader.unlocked.toPublic()));
    const home = mkdtempSync(join(work, 'gnupg-'));
    const gpg = (args: string[], input?: string) =>
      execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', 'geheim wachtwoord', ...args], { input, maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
    gpg(['--import'], reader.lockedPrivateKey);
    expect(Buffer.from(gpg(['--decrypt', file])).equals(Buffer.from(data))).toBe(true);
  });
});

describe('a seal, with GnuPG alone', () => {
  it('opens with the file’s session key as GnuPG prints it, and its signature verifies', async () => {
    const { sealWith } = await import('../client/files.ts');
    const { fromBase64Url } = await import('./bytes.ts');
    const reader = await generateReporterKey('geheim wachtwoord');
    const sender = await generateReporterKey('ander wachtwoord');
    const sessionKey = newSessionKey();
    const pkesk = (await openpgp.encryptSessionKey({ data: sessionKey, algorithm: 'aes256', encryptionKeys: reader.unlocked.toPublic(), format: 'binary' })) as Uint8Array;
    const literal = literalHeader(3);
    const writer = await SeipdWriter.create(sessionKey, literal.length + 3);
    writeFileSync(join(work, 'f.gpg'), Buffer.concat([pkesk, writer.head, ...(await writer.push(literal)), ...(await writer.push(Uint8Array.of(1, 2, 3))), ...(await writer.end())]));
    const seal = { v: 1 as const, kind: 'file-seal' as const, case: 'a'.repeat(40) as never, file: 'AAAAAAAAAAAAAAAAAAAAAA', size: 3, chunk: 1 << 20, tree: 'b'.repeat(64) };
    writeFileSync(join(work, 'seal.gpg'), fromBase64Url(await sealWith(sessionKey, seal, sender.unlocked)));
    const home = mkdtempSync(join(work, 'gnupg-'));
    const gpg = (args: string[], input?: string) =>
      execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', 'geheim wachtwoord', ...args], { input, cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
    gpg(['--import'], reader.lockedPrivateKey);
    gpg(['--import'], sender.publicKey);
    // The commands of docs/decisions/0006, as an officer would type them.
    const shown = execFileSync('sh', ['-c', `gpg --homedir ${home} --batch --pinentry-mode loopback --passphrase 'geheim wachtwoord' --show-session-key --decrypt f.gpg 2>&1 >/dev/null`], { cwd: work }).toString();
    const printed = /session key: '(9:[0-9A-F]+)'/i.exec(shown)?.[1];
    expect(printed?.toLowerCase()).toBe(`9:${Buffer.from(sessionKey).toString('hex')}`);
    const out = execFileSync('sh', ['-c', `gpg --homedir ${home} --batch --status-fd 2 --override-session-key ${printed} --decrypt seal.gpg 2>status`], { cwd: work }).toString();
    expect(JSON.parse(out)).toEqual(seal);
    expect(readFileSync(join(work, 'status'), 'utf8')).toContain(`VALIDSIG ${sender.fingerprint.toUpperCase()}`);
  });
});

describe('SHA-1 for the MDC', () => {
  it('matches Node’s SHA-1 whatever the pieces', () => {
    const data = new Uint8Array(randomBytes(10_000));
    for (const n of [0, 1, 55, 56, 63, 64, 65, 129, 10_000]) {
      const h = new Sha1();
      h.update(data.subarray(0, n >> 2)).update(data.subarray(n >> 2, n));
      expect(Buffer.from(h.digest()).toString('hex')).toBe(createHash('sha1').update(data.subarray(0, n)).digest('hex'));
    }
    // Many blocks in one piece, and pieces of every remainder.
    const big = new Uint8Array(randomBytes((1 << 20) + 7));
    const h = new Sha1();
    for (let at = 0, n = 1; at < big.length; at += n, n = (n * 7 + 13) % 200_003) h.update(big.subarray(at, at + n));
    expect(Buffer.from(h.digest()).toString('hex')).toBe(createHash('sha1').update(big).digest('hex'));
  });
});

describe('the tree hash of a file', () => {
  it('is what its documented shell command prints', async () => {
    for (const size of [0, 5, 1 << 20, 2 * (1 << 20) + 5]) {
      const data = new Uint8Array(randomBytes(size));
      const tree = new TreeHash();
      tree.update(data.subarray(0, 7));
      tree.update(data.subarray(7));
      const dir = mkdtempSync(join(work, 'tree-'));
      writeFileSync(join(dir, 'FILE'), data);
      const shell = execFileSync('sh', ['-c', 'split -b 1048576 -a 6 FILE chunk. && for c in chunk.*; do openssl dgst -sha256 -binary "$c"; done | sha256sum'], { cwd: dir }).toString();
      expect(shell.split(' ')[0]).toBe(await tree.hex());
    }
  });
});
