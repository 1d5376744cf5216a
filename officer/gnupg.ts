/**
 * An officer key that lives in GnuPG, on disk or on an OpenPGP card (a YubiKey, a Nitrokey): the
 * tool never holds or exports its secret. Decrypting sends only a message's session-key packet
 * (PKESK) to gpg-agent, over its Assuan socket and one connection for the whole session, as
 * `gpg-connect-agent` does (PKDECRYPT with the encryption subkey's keygrip); the data is decrypted
 * here with the session key it returns. Signing runs `gpg --detach-sign`. A passphrase or PIN is asked by
 * GnuPG's own pinentry, never by this tool.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';
import type { ExternalKey } from '../shared/protocol/external-key.ts';
import { CliError } from './errors.ts';
import { kdfOf, sessionKeyFromShared } from './fast-session-key.ts';

const run = promisify(execFile);

async function gpg(args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const child = execFile('gpg', ['--batch', '--no-tty', ...args], { encoding: 'buffer', maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      if (error) fail(Object.assign(error, { stderr: stderr.toString() }));
      else ok(stdout);
    });
    child.stdin!.on('error', () => undefined); // gpg may exit without reading: its exit code tells
    child.stdin!.end(input);
  });
}

/** Canonical S-expression pieces, as Assuan and libgcrypt write them. */
const atom = (bytes: Uint8Array | string) => {
  const b = Buffer.from(bytes);
  return Buffer.concat([Buffer.from(`${b.length}:`), b]);
};
const list = (...items: Buffer[]) => Buffer.concat([Buffer.from('('), ...items, Buffer.from(')')]);

/** Assuan's data lines escape %, CR and LF. */
const escape = (bytes: Buffer) => {
  let out = '';
  for (const b of bytes) out += b === 0x25 || b === 0x0a || b === 0x0d ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  return Buffer.from(out, 'latin1');
};
const unescape = (line: Buffer) => Buffer.from(line.toString('latin1').replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');

/** One Assuan connection to gpg-agent: commands go one at a time, each answered by OK or ERR. */
class Agent {
  private buffer = Buffer.alloc(0);
  private waiting: Array<(line: Buffer) => void> = [];
  private lines: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let i = this.buffer.indexOf(0x0a); i >= 0; i = this.buffer.indexOf(0x0a)) {
        const line = this.buffer.subarray(0, i);
        this.buffer = this.buffer.subarray(i + 1);
        const next = this.waiting.shift();
        if (next) next(line);
        else this.lines.push(line);
      }
    });
    const end = () => {
      this.closed = new CliError('The connection to gpg-agent closed. Is the agent still running (gpgconf --launch gpg-agent)?');
      for (const w of this.waiting.splice(0)) w(Buffer.from('ERR 0 closed'));
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  static async open(path: string): Promise<Agent> {
    const socket = await new Promise<Socket>((ok, fail) => {
      const s = connect(path, () => ok(s));
      s.once('error', fail);
    }).catch(() => {
      throw new CliError(`gpg-agent does not answer at ${path}, and could not be started. Start it (gpgconf --launch gpg-agent), or check GNUPGHOME.`);
    });
    const agent = new Agent(socket);
    const hello = await agent.line();
    if (!hello.toString().startsWith('OK')) throw new CliError('gpg-agent did not greet as expected.');
    return agent;
  }

  private line(): Promise<Buffer> {
    const ready = this.lines.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((ok) => this.waiting.push(ok));
  }

  /** Sends a command (and the data it is asked for); returns the data lines of its answer. */
  transact(command: string, inquiries: Record<string, Buffer> = {}): Promise<Buffer> {
    const work = this.queue.then(async () => {
      if (this.closed) throw this.closed;
      this.socket.write(`${command}\n`);
      const data: Buffer[] = [];
      for (;;) {
        const line = await this.line();
        const text = line.toString('latin1');
        if (text.startsWith('D ')) data.push(unescape(line.subarray(2)));
        else if (text === 'OK' || text.startsWith('OK ')) return Buffer.concat(data);
        else if (text.startsWith('ERR')) throw new AgentError(text);
        else if (text.startsWith('INQUIRE ')) {
          const name = text.slice(8).split(' ')[0]!;
          const answer = inquiries[name];
          if (answer) {
            for (let i = 0; i < answer.length; i += 300) this.socket.write(Buffer.concat([Buffer.from('D '), escape(answer.subarray(i, i + 300)), Buffer.from('\n')]));
          }
          this.socket.write(answer ? 'END\n' : 'CAN\n');
        }
        // S (status) and # (comment) lines carry nothing this needs.
      }
    });
    this.queue = work.catch(() => undefined);
    return work;
  }

  isClosed() {
    return this.closed !== null;
  }

  close() {
    this.socket.end('BYE\n');
  }
}

class AgentError extends Error {}

/** gpg-agent's error for a cancelled or wrong PIN/passphrase, a missing card, and the rest, in words. */
function agentProblem(error: unknown): CliError {
  const text = error instanceof Error ? error.message : String(error);
  if (/Operation cancelled|canceled/i.test(text)) return new CliError('The passphrase or PIN prompt was cancelled.');
  if (/Bad passphrase|Bad PIN/i.test(text)) return new CliError('GnuPG says the passphrase or PIN is wrong.');
  if (/No secret key|not found/i.test(text)) return new CliError('GnuPG has no secret key for this fingerprint (or the card is not inserted).');
  if (/Card|card/.test(text)) return new CliError(`The card did not answer: ${text.replace(/^ERR \d+ /, '')}. Is the token inserted?`);
  return error instanceof CliError ? error : new CliError(`gpg-agent refused: ${text.replace(/^ERR \d+ /, '')}`);
}

interface Colons {
  fingerprint: string;
  subkeys: Array<{ keyId: string; keygrip: string; capabilities: string }>;
}

/** What `gpg --list-secret-keys --with-colons --with-keygrip` says of one key: its subkeys and their keygrips. */
function parseColons(text: string): Colons | null {
  let fingerprint = '';
  const subkeys: Colons['subkeys'] = [];
  let current: Colons['subkeys'][number] | null = null;
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === 'sec' || f[0] === 'ssb') {
      current = { keyId: f[4]!.toLowerCase(), keygrip: '', capabilities: f[11] ?? '' };
      subkeys.push(current);
    } else if (f[0] === 'fpr' && !fingerprint) fingerprint = f[9]!.toLowerCase();
    else if (f[0] === 'grp' && current) current.keygrip = f[9]!;
  }
  return fingerprint ? { fingerprint, subkeys } : null;
}

/**
 * The key with `fingerprint` in GnuPG (GNUPGHOME, else the user's): its public part read with
 * `gpg --export` (never --export-secret-keys), the agent reached over its socket.
 */
export async function gnupgKey(fingerprint: string): Promise<ExternalKey & { close(): void }> {
  const wanted = fingerprint.replace(/\s+/g, '').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(wanted)) throw new CliError('--gnupg needs the key\'s fingerprint: 40 hexadecimal characters (gpg --list-secret-keys).');
  let listed: Colons | null;
  try {
    listed = parseColons((await gpg(['--with-colons', '--with-keygrip', '--list-secret-keys', wanted])).toString());
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new CliError('GnuPG (gpg) is not installed on this computer.');
    throw new CliError(`GnuPG has no secret key ${wanted.toUpperCase()} (gpg --list-secret-keys lists the ones it has).`);
  }
  if (!listed || listed.fingerprint !== wanted) throw new CliError(`GnuPG has no secret key ${wanted.toUpperCase()}.`);
  const publicKey = await openpgp.readKey({ binaryKey: new Uint8Array(await gpg(['--export', wanted])) });
  const socketPath = (await run('gpgconf', ['--list-dirs', 'agent-socket'])).stdout.trim();
  let agent: Agent | null = null;
  /** One connection for the session; if the agent stopped (gpgconf --kill, a token swapped), it is started again once. */
  const connection = async () => {
    if (agent && !agent.isClosed()) return agent;
    agent = null;
    try {
      return (agent = await Agent.open(socketPath));
    } catch {
      await run('gpgconf', ['--launch', 'gpg-agent']).catch(() => undefined);
      return (agent = await Agent.open(socketPath));
    }
  };

  // A PKESK names the subkey it is for by key ID; the agent knows that subkey by its keygrip.
  const grips = new Map(listed.subkeys.map((s) => [s.keyId, s.keygrip]));
  const sign = async (data: Uint8Array) => {
    try {
      return new Uint8Array(await gpg(['--local-user', `${wanted}!`, '--detach-sign'], data));
    } catch (e) {
      throw agentProblem((e as { stderr?: string }).stderr ?? e);
    }
  };

  return {
    external: true,
    publicKey,
    close: () => (agent as Agent | null)?.close(),
    signDetached: (data) => sign(data),
    async sessionKey(message) {
      for (const packet of message.packets.filterByTag(openpgp.enums.packet.publicKeyEncryptedSessionKey)) {
        const pkesk = packet as unknown as { version: number; publicKeyAlgorithm: number; publicKeyID: openpgp.KeyID; encrypted: { V?: Uint8Array; C?: { data?: Uint8Array } } };
        const keygrip = grips.get(pkesk.publicKeyID.toHex());
        if (!keygrip || pkesk.version !== 3 || pkesk.publicKeyAlgorithm !== openpgp.enums.publicKey.ecdh || !pkesk.encrypted.V || !pkesk.encrypted.C?.data) continue;
        const sub = publicKey.getKeys(pkesk.publicKeyID)[0]!;
        const C = pkesk.encrypted.C.data;
        let shared: Buffer;
        try {
          const a = await connection();
          await a.transact(`SETKEY ${keygrip}`);
          await a.transact(`SETKEYDESC ${encodeURIComponent('Meldpunt: een melding ontsleutelen / decrypt a report').replace(/%20/g, '+')}`);
          const ciphertext = list(atom('enc-val'), list(atom('ecdh'), list(atom('s'), atom(Uint8Array.of(C.length, ...C))), list(atom('e'), atom(pkesk.encrypted.V))));
          shared = valueOf(await a.transact('PKDECRYPT', { CIPHERTEXT: ciphertext }));
        } catch (e) {
          throw agentProblem(e);
        }
        const kdf = kdfOf(sub.keyPacket as unknown as Parameters<typeof kdfOf>[0]);
        // Curve25519: the agent gives 0x40 || x (or x alone).
        const x = shared.length === 33 && shared[0] === 0x40 ? shared.subarray(1) : shared;
        return kdf && x.length === 32 ? sessionKeyFromShared(kdf, x, C) : null;
      }
      return null;
    },
  };
}

/** The `(5:value<n>:<bytes>)` of PKDECRYPT's answer. */
function valueOf(answer: Buffer): Buffer {
  const m = /^\(5:value(\d+):/.exec(answer.toString('latin1'));
  if (!m) throw new CliError('gpg-agent answered PKDECRYPT in a form this tool does not know.');
  const start = m[0].length;
  return answer.subarray(start, start + Number(m[1]));
}
