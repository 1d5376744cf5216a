/**
 * The Meldpunt officer and CLB tool: `npm run officer -- <command>`. Runs on the officer's own
 * machine; the private key never leaves it. Against `npm start` it uses the demo officer key.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { OfficerClient } from './client.ts';
import * as commands from './commands.ts';
import { CliError } from './errors.ts';
import { exportCase } from './export.ts';
import { loadKey, promptHidden } from './keyring.ts';

export const USAGE = `Meldpunt officer tool

  npm run officer -- <command> [options]

Commands
  init --name NAME --out FILE        create your key pair (prints the public key for the operator)
  cases [--json]                     your cases, soonest deadline first; OVERDUE marked
  show CASE [--json]                 the decrypted conversation, each message verified or not
  reply CASE --message TEXT          answer the reporter
  ack CASE [--message TEXT]          acknowledge receipt (Wbk: within 7 days)
  status CASE in-progress|feedback-given [--message TEXT]
  close CASE --outcome TEXT          close, with an outcome the reporter can read
  escalate CASE --to clb [--messages 0,2] [--note TEXT]
                                     re-encrypt chosen messages to CLB; contact details only with consent
  note CASE --message TEXT           write on the escalation thread (officer ↔ CLB)
  export CASE DIR                    OpenPGP files + readable summary for the register
  delete CASE --yes                  delete the case from the server

CASE may be the first characters of a case id.

Options (or environment)
  --api URL           (MELDPUNT_API)         default http://127.0.0.1:8080
  --key FILE          (MELDPUNT_KEY)         default the demo officer key of npm start
  --passphrase-file F (MELDPUNT_PASSPHRASE)  otherwise asked for
  --json              machine-readable listings
`;

const OPTIONS = {
  api: { type: 'string' },
  key: { type: 'string' },
  passphrase: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  message: { type: 'string' },
  outcome: { type: 'string' },
  to: { type: 'string' },
  messages: { type: 'string' },
  note: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  yes: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface RunOptions {
  /** The tool's clock (tests move it together with the server's). @default the system clock */
  now?: () => Date;
}

export async function run(argv: string[], out: (line: string) => void = (l) => console.log(l), options: RunOptions = {}): Promise<void> {
  const now = options.now ?? (() => new Date());
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  const [command, ...args] = positionals;
  if (!command || command === 'help' || v.help) return out(USAGE);

  const need = (value: string | undefined, what: string): string => {
    if (!value?.trim()) throw new CliError(`${command} needs ${what}. See: npm run officer -- help`);
    return value;
  };

  if (command === 'init') {
    const name = need(v.name, '--name "Your name or role"');
    const file = need(v.out, '--out FILE (where to keep your private key)');
    if (existsSync(file)) throw new CliError(`${file} already exists; not overwriting a key.`);
    let passphrase = v.passphrase ?? process.env.MELDPUNT_PASSPHRASE;
    if (passphrase === undefined) {
      passphrase = await promptHidden('New passphrase (at least 12 characters): ');
      if (passphrase.length >= 12 && (await promptHidden('The same passphrase again: ')) !== passphrase) throw new CliError('The two passphrases differ; nothing was created.');
    }
    if (passphrase.length < 12) throw new CliError('Choose a passphrase of at least 12 characters.');
    return commands.init(out, { name, file, passphrase });
  }

  const known = ['cases', 'show', 'reply', 'ack', 'status', 'close', 'escalate', 'note', 'export', 'delete'];
  if (!known.includes(command)) throw new CliError(`Unknown command "${command}".\n\n${USAGE}`);
  const key = await loadKey({ key: v.key, passphrase: v.passphrase, passphraseFile: v['passphrase-file'] });
  const api = (v.api ?? process.env.MELDPUNT_API ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(api)) throw new CliError(`"${api}" is not an API address; give one like https://meldpunt.example.nl (--api or MELDPUNT_API).`);
  const ctx: commands.Context = { client: new OfficerClient(api, key, now), key, out, json: v.json, now };
  const caseArg = () => need(args[0], 'a CASE id');

  switch (command) {
    case 'cases':
      return void (await commands.cases(ctx));
    case 'show':
      return void (await commands.show(ctx, caseArg()));
    case 'reply':
      return commands.reply(ctx, caseArg(), need(v.message, '--message TEXT'));
    case 'ack':
      return commands.ack(ctx, caseArg(), v.message);
    case 'status':
      return commands.status(ctx, caseArg(), need(args[1], 'a status (in-progress or feedback-given)'), v.message);
    case 'close':
      return commands.close(ctx, caseArg(), need(v.outcome, '--outcome TEXT'));
    case 'escalate':
      return commands.escalate(ctx, caseArg(), need(v.to, '--to TARGET (e.g. clb)'), {
        messages: v.messages?.split(',').map((s) => s.trim()),
        note: v.note,
      });
    case 'note':
      return commands.note(ctx, caseArg(), need(v.message, '--message TEXT'));
    case 'export':
      return void (await exportCase(ctx, caseArg(), need(args[1], 'a DIR to export to')));
    case 'delete':
      return commands.remove(ctx, caseArg(), v.yes);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof CliError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error('Unexpected error:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
