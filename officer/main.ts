/**
 * The Meldpunt officer and CLB tool: `npm run officer -- <command>`. Runs on the officer's own
 * machine; the private key never leaves it. Against `npm start` it uses the demo officer key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { OfficerClient } from './client.ts';
import * as commands from './commands.ts';
import { CliError } from './errors.ts';
import { OUTCOME_RESULTS, type OutcomeResult } from '../shared/schemas/payload.ts';
import { exportCase } from './export.ts';
import { openDesk } from './desk/open.ts';
import { signSite, verifySite } from './site.ts';
import { keyGiven, loadKey, localApi, promptHidden, userPath } from './keyring.ts';
import { appFolder } from './desk/settings.ts';
import { acceptable } from './passphrase.ts';
import { gnupgKey } from './gnupg.ts';

/** How the tool is started: from a checkout, or the release file of `npm run build:officer`. */
const INVOKE = process.env.MELDPUNT_RELEASE === 'program' ? 'meldpunt-bureau' : process.env.MELDPUNT_RELEASE ? 'node meldpunt-officer.mjs' : 'npm run officer --';

export const USAGE = `Meldpunt officer tool

  ${INVOKE} <command> [options]

Commands
  init --name NAME --out FILE        create your key pair (prints the public key for the operator)
  cases [--json]                     your cases, soonest deadline first; OVERDUE and NEW marked
  show CASE [--json]                 the decrypted conversation, each message VERIFIED or NOT VERIFIED
  reply CASE --message TEXT [--file PATH ...]
                                     answer the reporter, optionally with files
  record CASE --title T --message-file F [--file PATH ...]
                                     minutes of a meeting or a transcript of a voice message, for
                                     the reporter to agree with or correct (show CASE says which)
  files CASE [DIR]                   save the case's files, decrypted, each checked against the
                                     signed message that names it (default DIR: meldpunt-files)
  ack CASE [--message TEXT]          acknowledge receipt (Wbk: within 7 days); a standard text if none
  status CASE in-progress|feedback-given [--message TEXT]
  close CASE --outcome TEXT [--result R]
                                     close, with an outcome the reporter can read; R, for the
                                     yearly report: ${OUTCOME_RESULTS.join(', ')}
  escalate CASE --to clb [--messages 0,2] [--note TEXT]
                                     re-encrypt to CLB what the reporter allows, never more:
                                     none: refused; without-contact: the report alone, no contact
                                     details; conversation: chosen messages (default all), contact
                                     details, and CLB joins the conversation
  ask-consent CASE --scope without-contact|conversation [--message TEXT]
                                     ask the reporter for wider consent; their signed answer counts
  ask-move CASE --to CHANNEL [--message TEXT]
                                     ask the reporter whether the case may go to another channel
                                     (e.g. from the confidential adviser to the integrity officer)
  move CASE --to CHANNEL             move it, once the reporter agreed (signed): its officers read
                                     it from then on, you no longer do; internal notes stay behind
  note CASE --message TEXT [--file PATH ...]
                                     write on the escalation thread (officer <-> CLB)
  internal CASE --message TEXT [--file PATH ...]
                                     an internal note: only this channel's officers read it
  desk [--port N] [--no-open] [--idle-minutes M]
                                     the desk: this tool as a web app on this computer only.
                                     Without --key (and with no command at all) it keeps its
                                     own settings and key, made or chosen in the browser
  export CASE DIR                    OpenPGP files + attachments + readable summary, for the register
  delete CASE --yes                  delete the case from the server (export it first)
  proof CASE FILE                    check a reporter's proof of reporting against the case

  verify-site URL --operator-key F   is the live site exactly the release the operator signed?
                                     (needs no officer key; F: the operator's public key)
  sign-site --key F [--web DIR] [--config FILE]
                                     operator, at each release: sign the manifest of the built
                                     site (DIR, default web/dist) and its channels.json

CASE may be the first characters of a case id. Long texts: --message-file FILE, --outcome-file FILE.
CLB uses the same tool with its own key: cases, show, note, export, and reply when the reporter
consented to CLB joining.

Options (or environment)
  --api URL           (MELDPUNT_API)         default: the running npm start (its address in
                                             MELDPUNT_HOME), else http://127.0.0.1:8080
  --key FILE          (MELDPUNT_KEY)         default the demo officer key of npm start
  --gnupg FINGERPRINT                        use the key GnuPG holds (on disk, or on a YubiKey or
                                             Nitrokey): it never leaves GnuPG; its pinentry asks
                                             the passphrase or PIN (docs/officer-key-on-a-token.md)
  --passphrase-file F (MELDPUNT_PASSPHRASE)  otherwise asked for
  --json              machine-readable output for cases and show
  --keep-metadata     send --file attachments with their metadata (author, camera, place);
                      by default it is removed, as the reporter's page does
`;

const OPTIONS = {
  api: { type: 'string' },
  key: { type: 'string' },
  gnupg: { type: 'string' },
  passphrase: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  message: { type: 'string' },
  'message-file': { type: 'string' },
  outcome: { type: 'string' },
  'outcome-file': { type: 'string' },
  to: { type: 'string' },
  scope: { type: 'string' },
  title: { type: 'string' },
  file: { type: 'string', multiple: true },
  messages: { type: 'string' },
  note: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'keep-metadata': { type: 'boolean', default: false },
  result: { type: 'string' },
  'operator-key': { type: 'string' },
  web: { type: 'string' },
  config: { type: 'string' },
  port: { type: 'string' },
  'no-open': { type: 'boolean', default: false },
  'idle-minutes': { type: 'string' },
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
  if (command === 'help' || v.help) return out(USAGE);
  // Double-clicked, or started with no command: the desk, with its own settings and key.
  if (!command) return void (await openDesk({ api: '', app: { folder: appFolder() }, now, out, port: 0, open: true, idleMinutes: 15, exitOnQuit: true }));

  const need = (value: string | undefined, what: string): string => {
    if (!value?.trim()) throw new CliError(`${command} needs ${what}. See: ${INVOKE} help`);
    return value;
  };

  if (command === 'init') {
    const name = need(v.name, '--name "Your name or role"');
    const file = userPath(need(v.out, '--out FILE (where to keep your private key)'));
    if (existsSync(file)) throw new CliError(`${file} already exists; not overwriting a key.`);
    let passphrase = v.passphrase ?? process.env.MELDPUNT_PASSPHRASE;
    if (passphrase === undefined) {
      passphrase = await promptHidden('New passphrase (at least 12 characters): ');
      if (passphrase.length >= 12 && (await promptHidden('The same passphrase again: ')) !== passphrase) throw new CliError('The two passphrases differ; nothing was created.');
    }
    if (passphrase.length < 12) throw new CliError('Choose a passphrase of at least 12 characters.');
    if (!acceptable(passphrase)) throw new CliError('This passphrase is easy to guess: choose four or more unrelated words.');
    return commands.init(out, { name, file, passphrase });
  }

  if (command === 'verify-site') {
    const url = need(args[0], 'the site\'s address (URL)');
    const operatorKey = userPath(need(v['operator-key'], '--operator-key FILE (the operator\'s public key, obtained from them directly)'));
    if (!(await verifySite(out, { url, operatorKey }))) throw new CliError('Verification failed.');
    return;
  }
  if (command === 'sign-site') {
    const keyFile = need(v.key, '--key FILE (the operator\'s private key)');
    const web = userPath(v.web ?? 'web/dist');
    const config = userPath(v.config ?? process.env.MELDPUNT_CONFIG ?? 'meldpunt.config.json');
    const { key } = await loadKey({ key: keyFile, passphrase: v.passphrase, passphraseFile: v['passphrase-file'] });
    return signSite(out, { key, web, config });
  }

  const caseArg = () => need(args[0], 'a CASE id (see: cases)');
  const text = (flag: 'message' | 'outcome', required: boolean): string | undefined => {
    const file = v[`${flag}-file`];
    if (file !== undefined) {
      if (v[flag] !== undefined) throw new CliError(`Give --${flag} or --${flag}-file, not both.`);
      if (!existsSync(userPath(file))) throw new CliError(`${file} does not exist.`);
      return need(readFileSync(userPath(file), 'utf8').trim(), `text in ${file} (it is empty)`);
    }
    return required ? need(v[flag], `--${flag} TEXT (or --${flag}-file FILE)`) : v[flag];
  };

  // Check everything the command needs before asking for the passphrase.
  let deskPort = 0;
  let idleMinutes = 15;
  let action: (ctx: commands.Context) => Promise<unknown>;
  switch (command) {
    case 'cases':
      action = (ctx) => commands.cases(ctx);
      break;
    case 'show': {
      const c = caseArg();
      action = (ctx) => commands.show(ctx, c);
      break;
    }
    case 'reply': {
      const [c, t, paths] = [caseArg(), text('message', true)!, (v.file ?? []).map(userPath)];
      action = (ctx) => commands.reply(ctx, c, t, paths);
      break;
    }
    case 'ack': {
      const [c, t] = [caseArg(), text('message', false)];
      action = (ctx) => commands.ack(ctx, c, t);
      break;
    }
    case 'status': {
      const [c, value, t] = [caseArg(), need(args[1], `a status: ${commands.STATUSES.join(' or ')}`), text('message', false)];
      if (!(commands.STATUSES as readonly string[]).includes(value)) {
        throw new CliError(`Status must be ${commands.STATUSES.join(' or ')} (close a case with: close CASE --outcome TEXT).`);
      }
      action = (ctx) => commands.status(ctx, c, value, t);
      break;
    }
    case 'close': {
      const [c, t, result] = [caseArg(), text('outcome', true)!, v.result];
      if (result !== undefined && !(OUTCOME_RESULTS as readonly string[]).includes(result)) throw new CliError(`--result must be one of: ${OUTCOME_RESULTS.join(', ')}.`);
      action = (ctx) => commands.close(ctx, c, t, result as OutcomeResult | undefined);
      break;
    }
    case 'internal': {
      const [c, t, paths] = [caseArg(), text('message', true)!, (v.file ?? []).map(userPath)];
      action = (ctx) => commands.internalNote(ctx, c, t, paths);
      break;
    }
    case 'escalate': {
      const c = caseArg();
      const to = need(v.to, '--to TARGET (e.g. clb)');
      const messages = v.messages === undefined ? undefined : v.messages.split(',').map((s) => s.trim().replace(/^#/, '')).filter(Boolean);
      if (messages?.length === 0) throw new CliError('--messages needs message numbers, like --messages 0,2 (see: show CASE).');
      action = (ctx) => commands.escalate(ctx, c, to, { messages, note: v.note });
      break;
    }
    case 'ask-consent': {
      const [c, scope, t] = [caseArg(), need(v.scope, '--scope without-contact|conversation'), text('message', false)];
      if (scope !== 'without-contact' && scope !== 'conversation') throw new CliError('--scope must be without-contact or conversation.');
      action = (ctx) => commands.askConsent(ctx, c, scope, t);
      break;
    }
    case 'ask-move': {
      const [c, to, t] = [caseArg(), need(v.to, '--to CHANNEL'), text('message', false)];
      action = (ctx) => commands.askMove(ctx, c, to, t);
      break;
    }
    case 'move': {
      const [c, to] = [caseArg(), need(v.to, '--to CHANNEL')];
      action = (ctx) => commands.move(ctx, c, to);
      break;
    }
    case 'note': {
      const [c, t, paths] = [caseArg(), text('message', true)!, (v.file ?? []).map(userPath)];
      action = (ctx) => commands.note(ctx, c, t, paths);
      break;
    }
    case 'record': {
      const [c, title, t, paths] = [caseArg(), need(v.title, '--title TEXT'), text('message', true)!, (v.file ?? []).map(userPath)];
      action = (ctx) => commands.record(ctx, c, title, t, paths);
      break;
    }
    case 'files': {
      const [c, dir] = [caseArg(), userPath(args[1] ?? 'meldpunt-files')];
      action = (ctx) => commands.files(ctx, c, dir);
      break;
    }
    case 'export': {
      const [c, dir] = [caseArg(), need(args[1], 'a DIR to export to')];
      action = (ctx) => exportCase(ctx, c, userPath(dir));
      break;
    }
    case 'proof': {
      const [c, file] = [caseArg(), userPath(need(args[1], 'the FILE of the proof (bewijs-van-melding.txt)'))];
      if (!existsSync(file)) throw new CliError(`${file} does not exist.`);
      action = (ctx) => commands.proof(ctx, c, file);
      break;
    }
    case 'delete': {
      const c = caseArg();
      action = (ctx) => commands.remove(ctx, c, v.yes);
      break;
    }
    case 'desk':
      deskPort = v.port === undefined ? 0 : Number(v.port);
      if (!Number.isInteger(deskPort) || deskPort < 0 || deskPort > 65535) throw new CliError('--port must be a port number, like 8765.');
      idleMinutes = v['idle-minutes'] === undefined ? 15 : Number(v['idle-minutes']);
      if (!(idleMinutes > 0 && idleMinutes <= 24 * 60)) throw new CliError('--idle-minutes must be a number of minutes, like 15.');
      action = async () => undefined;
      break;
    default:
      throw new CliError(`Unknown command "${command}".\n\n${USAGE}`);
  }

  const api = (v.api ?? process.env.MELDPUNT_API ?? localApi() ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(api)) throw new CliError(`"${api}" is not an API address; give one like https://meldpunt.example.nl (--api or MELDPUNT_API).`);
  const desk = { api, now, out, port: deskPort, open: !v['no-open'], idleMinutes, exitOnQuit: true };
  // A key held by GnuPG (on disk or a token): never read here; GnuPG's pinentry asks for its passphrase or PIN.
  if (v.gnupg !== undefined) {
    if (v.key !== undefined) throw new CliError('Give --key or --gnupg, not both.');
    const key = await gnupgKey(v.gnupg);
    if (command === 'desk') return void (await openDesk({ ...desk, gnupg: v.gnupg, key: { key, armored: null } }));
    try {
      return void (await action({ client: new OfficerClient(api, key, now), key, out, json: v.json, now, keepMetadata: v['keep-metadata'] }));
    } finally {
      key.close();
    }
  }
  // Without a key named anywhere, the desk keeps its own: set up in the browser, then only the passphrase.
  if (command === 'desk' && !keyGiven(v.key)) return void (await openDesk({ ...desk, app: { folder: appFolder() } }));
  const { key, armored } = await loadKey({ key: v.key, passphrase: v.passphrase, passphraseFile: v['passphrase-file'] });
  if (command === 'desk') return void (await openDesk({ ...desk, key: { key, armored } }));
  await action({ client: new OfficerClient(api, key, now), key, out, json: v.json, now, keepMetadata: v['keep-metadata'] });
}

/**
 * Runs the tool as a program: a refusal is one sentence and exit code 2. Started with no arguments
 * (double-clicked), a window that would close on an error first waits for Enter, so it can be read.
 */
export function runAsProgram(argv: string[]): void {
  const fail = async (message: string, code: number) => {
    console.error(message);
    if (argv.length === 0 && process.stdin.isTTY) {
      console.error('\nDruk op Enter om dit venster te sluiten. / Press Enter to close this window.');
      await new Promise((ok) => process.stdin.once('data', ok));
    }
    process.exit(code);
  };
  run(argv).catch((error: unknown) =>
    error instanceof CliError ? fail(error.message, 2) : fail(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runAsProgram(process.argv.slice(2));
