/**
 * The desk's own API, for its page only: the officer tool's commands, called in this process with
 * the unlocked key, plus the list, search, the yearly report and bulk register export. A refusal
 * from a command (a CliError) is a 400 with its sentence; nothing here logs a case's content.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { OfficerKey } from '../../shared/protocol/external-key.ts';
import { gnupgKey } from '../gnupg.ts';
import * as z from 'zod/mini';
import { OUTCOME_RESULTS } from '../../shared/schemas/payload.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import * as commands from '../commands.ts';
import { CliError } from '../errors.ts';
import { exportCase } from '../export.ts';
import { filesOf, readFile, safeName, saveFile, verdictOfFile } from '../files.ts';
import { caseView, DeskCases } from './cases.ts';
import { SHOWN_TYPES } from './shown.ts';
import { formatSize } from '../../shared/format/size.ts';
import type { Settings } from './settings.ts';
import { handoverOf, refusal, setupRoute } from './setup.ts';
import { OfficerClient } from '../client.ts';
import { reportCsv, yearlyReport } from './yearly-report.ts';

export interface Desk {
  /** The site's address. */
  api: string;
  /** Signs with the unlocked key: set on unlock, dropped on lock. */
  client: OfficerClient | null;
  /** The locked key as read from its file: unlocking again needs only the passphrase. Null before setup. */
  armoredKey: string | null;
  key: OfficerKey | null;
  /** A key GnuPG holds (on disk or a token), by fingerprint: unlocking asks GnuPG, never a passphrase here. */
  gnupg: string | null;
  /** When the desk keeps its own settings (started without --key): their folder and what they hold. */
  app?: { folder: string; settings: Settings | null };
  cases: DeskCases;
  now: () => Date;
  /** Where exports and saved files go unless the officer picks another folder. */
  folder: string;
}

export class DeskError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For the page: a refusal it words itself. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface Answer {
  status: number;
  type: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
  /** Instead of `body`: a file in the desk's scratch folder, streamed, then deleted. */
  file?: string;
}

export const json = (body: unknown, status = 200): Answer => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(body) });

const SHOW_LIMIT = 100 * 1024 * 1024;

/** Trimmed text of at most `max` characters; with `missing`, at least one (and `missing` says so). */
const trimmed = (max: number, missing?: string) => z.string().check(z.trim(), ...(missing ? [z.minLength(1, missing)] : []), z.maxLength(max));
const text = trimmed(20_000, 'Write a text first.');
const optionalText = z.optional(trimmed(20_000));
const uploads = z._default(z.array(z.string().check(z.regex(/^[A-Za-z0-9_-]{16}$/))).check(z.maxLength(10)), []);
const folder = trimmed(1000, 'Choose a folder.');
const channel = z.string().check(z.minLength(1), z.maxLength(40));
const BODIES = {
  ack: z.object({ text: optionalText }),
  reply: z.object({ text, uploads }),
  note: z.object({ text, uploads }),
  internal: z.object({ text, uploads }),
  record: z.object({ title: trimmed(200, 'Give the record a title.'), text, uploads }),
  status: z.object({ status: z.enum(commands.STATUSES), text: optionalText }),
  close: z.object({ text, result: z.optional(z.enum(OUTCOME_RESULTS)) }),
  escalate: z.object({ target: z.string().check(z.minLength(1)), messages: z.optional(z.array(z.string())), note: z.optional(z.string().check(z.maxLength(20_000))) }),
  'ask-consent': z.object({ scope: z.enum(['without-contact', 'conversation']), text: optionalText }),
  'ask-move': z.object({ to: channel, text: optionalText }),
  move: z.object({ to: channel }),
  export: z.object({ folder }),
  'save-files': z.object({ folder }),
  delete: z.object({ confirm: z.string() }),
} as const;

/** The sentences above, and the code the page words each with. */
const FIELD_CODES: Record<string, string> = {
  'Write a text first.': 'text-missing',
  'Give the record a title.': 'title-missing',
  'Choose a folder.': 'folder-missing',
};

export async function readJson<S extends z.ZodMiniType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new DeskError(415, 'Send JSON.');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 256 * 1024) throw new DeskError(413, 'This request is too large.');
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new DeskError(400, 'The request is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]!.message;
    // The desk's own refusals carry a code the page words in its language; the rest are zod's.
    throw new DeskError(400, message, FIELD_CODES[message]);
  }
  return parsed.data;
}

export function deskApi(desk: Desk, session: { lock: () => void; touch: () => void; quit: () => void }) {
  const scratch = mkdtempSync(join(tmpdir(), 'meldpunt-desk-'));
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const uploaded = new Map<string, string>();

  const context = (out: (line: string) => void = () => undefined): commands.Context => {
    if (!desk.key) throw new DeskError(423, 'The desk is locked. Enter your passphrase.', 'locked');
    return { client: desk.client!, key: desk.key, out, json: false, now: desk.now };
  };
  const userFolder = (given: string) => (isAbsolute(given) ? given : join(desk.folder, given));
  const pathsOf = (tokens: string[]) =>
    tokens.map((t) => {
      const path = uploaded.get(t);
      if (!path) throw new DeskError(400, 'An attached file is no longer here; attach it again.', 'upload-gone');
      return path;
    });

  /** Runs a command; its lines become the answer, a refusal a 400 with its sentence. */
  const run = async (caseId: string | null, action: (ctx: commands.Context) => Promise<unknown>, extra: Record<string, unknown> = {}) => {
    const lines: string[] = [];
    try {
      await action(context((l) => lines.push(l)));
    } catch (e) {
      if (e instanceof CliError) throw new DeskError(400, e.message);
      throw e;
    } finally {
      if (caseId) desk.cases.forget(caseId);
    }
    return json({ message: lines.join('\n'), ...extra });
  };


  /** A case action: its body's schema, and the command it runs (CLI and desk share the commands). */
  const action = <K extends keyof typeof BODIES>(name: K, work: (ctx: commands.Context, caseId: string, body: z.infer<(typeof BODIES)[K]>) => Promise<unknown>, options: { keepCase?: boolean; folder?: (body: z.infer<(typeof BODIES)[K]>) => string } = {}): Handler =>
    async ({ req, caseId }) => {
      const body = (await readJson(req, BODIES[name])) as z.infer<(typeof BODIES)[K]>;
      const folder = options.folder?.(body);
      return run(options.keepCase ? null : caseId, (ctx) => work(ctx, caseId, body), folder ? { folder } : {});
    };

  /** Files checked and waiting in scratch for the browser to fetch them, by one-use token. */
  const prepared = new Map<string, { caseId: string; fileId: string; path: string; expires: NodeJS.Timeout }>();
  const forgetPrepared = (token: string) => {
    const p = prepared.get(token);
    if (p) rmSync(p.path, { force: true });
    prepared.delete(token);
  };

  /**
   * Downloads, decrypts and checks a file into the desk's scratch folder: only a file that verifies
   * ever reaches the browser, as a download it saves (never shown in the desk's own page).
   */
  const verified = async (caseId: string, fileId: string): Promise<string> => {
    const file = await fileOf(caseId, fileId);
    const path = join(scratch, `save-${randomToken()}`);
    const { client, key } = context();
    const check = await saveFile(client, key, caseId, file, path);
    if (check.status !== 'verified') {
      rmSync(path, { force: true });
      throw new DeskError(400, verdictOfFile(check), 'file-not-verified');
    }
    return path;
  };

  /** A file of a case this key reads, by id. */
  const fileOf = async (caseId: string, fileId: string) => {
    const read = await desk.cases.get(caseId);
    const file = read && filesOf(read).find((f) => f.ref.id === fileId);
    if (!file) throw new DeskError(404, 'No such file on this case.', 'no-file');
    return file;
  };

  /** Open while the desk is locked. */
  const unlocked: Routes = {
    'GET state': async () => {
      if (!desk.armoredKey && !desk.gnupg) return json({ locked: true, setup: true });
      if (!desk.key) return json({ locked: true, ...(desk.gnupg ? { gnupg: true } : {}) });
      let channels;
      try {
        channels = await commands.channelsOf(context());
      } catch (e) {
        // The site does not answer (a wrong address, no connection): the page says so, and offers to try again.
        if (e instanceof CliError) return json({ locked: false, unreachable: desk.api, canChange: Boolean(desk.app) });
        throw e;
      }
      // Set up here, but the operator has not yet put the key on the site: the hand-over sheet, not an empty list.
      if (desk.app?.settings) {
        const handover = await handoverOf(desk, desk.app.settings).catch(() => null);
        if (handover && !handover.listed) return json({ locked: false, pending: true });
      }
      return json({
        locked: false,
        role: (await commands.isTarget(context())) ? 'target' : 'officer',
        folder: desk.folder,
        organisation: channels.organisation,
        channels: channels.channels.map(({ id, name }) => ({ id, name: { nl: name.nl, en: name.en ?? name.nl } })),
        targets: channels.escalation.map(({ id, name }) => ({ id, name })),
        today: commands.today(context()),
      });
    },
    'POST unlock': async ({ req }) => {
      const { passphrase } = await readJson(req, z.object({ passphrase: z.string().check(z.maxLength(1000)) }));
      if (desk.gnupg) {
        try {
          desk.key = await gnupgKey(desk.gnupg);
        } catch (e) {
          throw new DeskError(400, e instanceof CliError ? e.message : 'GnuPG did not give the key.', 'gnupg-failed');
        }
      } else {
        if (!desk.armoredKey) throw refusal(409, 'not-set-up', 'This desk has no key yet.');
        try {
          desk.key = await unlockPrivateKey(desk.armoredKey, passphrase);
        } catch {
          throw new DeskError(400, 'Wrong passphrase.', 'wrong-passphrase');
        }
      }
      desk.client = new OfficerClient(desk.api, desk.key, desk.now);
      session.touch();
      return json({ locked: false });
    },
    'POST lock': async () => {
      for (const token of [...prepared.keys()]) forgetPrepared(token);
      session.lock();
      return json({ locked: true });
    },
    'POST quit': async () => {
      session.quit();
      return json({ stopped: true });
    },
  };

  /** Everything else needs the key. */
  const withKey: Routes = {
    'POST activity': async () => json({ ok: true }),
    'GET cases': async ({ query }) => {
      // Titles come from the case heads, at most 2 s waited for (the rest follow); a search needs every message, so it waits for the whole cases.
      await desk.cases.refresh({ whole: Boolean(query.get('q')), within: 2000 });
      const filter = Object.fromEntries(['q', 'status', 'channel', 'category'].map((k) => [k, query.get(k) ?? undefined]));
      const all = desk.cases.list();
      return json({ cases: desk.cases.list(filter), total: all.length, pending: all.filter((c) => c.pending).length });
    },
    'GET report': async ({ query }) => json(await report(query)),
    'GET report.csv': async ({ query }) => {
      const r = await report(query);
      return { status: 200, type: 'text/csv; charset=utf-8', body: reportCsv(r, query.get('lang') === 'en' ? 'en' : 'nl'), headers: { 'content-disposition': `attachment; filename="meldpunt-jaarrapport-${r.year}.csv"` } };
    },
    'POST register': async ({ req }) => {
      const { folder: dir } = await readJson(req, BODIES.export);
      await desk.cases.refresh();
      const closed = desk.cases.list({ status: 'closed' }).map((c) => c.summary.caseId);
      const target = userFolder(dir);
      for (const id of closed) await run(null, (ctx) => exportCase(ctx, id, join(target, id)));
      return json({ count: closed.length, folder: target });
    },
    'POST uploads': async ({ req }) => {
      let given: string;
      try {
        given = decodeURIComponent(String(req.headers['x-file-name'] ?? 'file'));
      } catch {
        throw new DeskError(400, 'The file name could not be read; rename the file and attach it again.', 'bad-file-name');
      }
      const name = safeName(given);
      const token = randomToken();
      const dir = join(scratch, token);
      mkdirSync(dir, { mode: 0o700 });
      const limit = (await commands.channelsOf(context())).files.maxFileBytes;
      let size = 0;
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > limit) throw new DeskError(413, `A file may be at most ${formatSize(limit)}.`, 'file-too-large');
            yield chunk;
          }
        },
        createWriteStream(join(dir, name), { mode: 0o600 }),
      ).catch((e: unknown) => {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      });
      uploaded.set(token, join(dir, name));
      return json({ token, name, size });
    },
    'GET cases/{caseId}': async ({ caseId }) => {
      const read = await desk.cases.fresh(caseId);
      if (!read) throw new DeskError(404, `There is no case ${caseId} for your key.`, 'no-case');
      return json({ ...caseView(read, context()), loadedAt: context().now().toISOString() });
    },
    // Saving one file: checked first (the page asks `prepare`, and says in words when it does not
    // verify), then handed over as a download. `save` alone does both at once, for a plain link.
    'POST cases/{caseId}/prepare/{fileId}': async ({ caseId, fileId }) => {
      const path = await verified(caseId, fileId);
      const token = randomToken();
      prepared.set(token, { caseId, fileId, path, expires: setTimeout(() => forgetPrepared(token), 120_000).unref() });
      return json({ token });
    },
    'GET cases/{caseId}/save/{fileId}': async ({ caseId, fileId, query }) => {
      const ready = prepared.get(query.get('token') ?? '');
      let path: string;
      if (ready && ready.caseId === caseId && ready.fileId === fileId) {
        clearTimeout(ready.expires);
        prepared.delete(query.get('token')!);
        path = ready.path;
      } else path = await verified(caseId, fileId);
      const name = safeName((await fileOf(caseId, fileId)).ref.name);
      return { status: 200, type: 'application/octet-stream', body: '', file: path, headers: { 'content-disposition': `attachment; filename="${name}"`, 'content-security-policy': "sandbox; default-src 'none'" } };
    },
    'GET cases/{caseId}/file/{fileId}': async ({ caseId, fileId }) => {
      const file = await fileOf(caseId, fileId);
      if (!SHOWN_TYPES.test(file.ref.type) || file.ref.size > SHOW_LIMIT) throw new DeskError(400, 'This file is not shown here; save it to a folder.', 'not-shown');
      const { check, bytes } = await readFile(context().client, context().key, caseId, file);
      if (!bytes) throw new DeskError(400, check.status === 'unreadable' ? `Not shown: ${check.reason}.` : 'Not shown: the file is not the one the message describes.', 'file-not-verified');
      // Sandboxed: even a file that lies about its type cannot run anything here.
      return { status: 200, type: file.ref.type, body: bytes, headers: { 'content-security-policy': "sandbox; default-src 'none'" } };
    },
    'POST cases/{caseId}/ack': action('ack', (ctx, id, b) => commands.ack(ctx, id, b.text || undefined)),
    'POST cases/{caseId}/reply': action('reply', (ctx, id, b) => commands.reply(ctx, id, b.text, pathsOf(b.uploads))),
    'POST cases/{caseId}/note': action('note', (ctx, id, b) => commands.note(ctx, id, b.text, pathsOf(b.uploads))),
    'POST cases/{caseId}/internal': action('internal', (ctx, id, b) => commands.internalNote(ctx, id, b.text, pathsOf(b.uploads))),
    'POST cases/{caseId}/record': action('record', (ctx, id, b) => commands.record(ctx, id, b.title, b.text, pathsOf(b.uploads))),
    'POST cases/{caseId}/status': action('status', (ctx, id, b) => commands.status(ctx, id, b.status, b.text || undefined)),
    'POST cases/{caseId}/close': action('close', (ctx, id, b) => commands.close(ctx, id, b.text, b.result)),
    'POST cases/{caseId}/escalate': action('escalate', (ctx, id, b) => commands.escalate(ctx, id, b.target, { messages: b.messages, note: b.note })),
    'POST cases/{caseId}/ask-consent': action('ask-consent', (ctx, id, b) => commands.askConsent(ctx, id, b.scope, b.text || undefined)),
    'POST cases/{caseId}/ask-move': action('ask-move', (ctx, id, b) => commands.askMove(ctx, id, b.to, b.text || undefined)),
    'POST cases/{caseId}/move': action('move', (ctx, id, b) => commands.move(ctx, id, b.to)),
    'POST cases/{caseId}/export': action('export', (ctx, id, b) => exportCase(ctx, id, userFolder(b.folder)), { keepCase: true, folder: (b) => userFolder(b.folder) }),
    'POST cases/{caseId}/save-files': action('save-files', (ctx, id, b) => commands.files(ctx, id, userFolder(b.folder)), { keepCase: true, folder: (b) => userFolder(b.folder) }),
    'POST cases/{caseId}/delete': action('delete', async (ctx, id, b) => {
      if (b.confirm !== id) throw new DeskError(400, 'Type the case id to confirm deleting it.', 'confirm-delete');
      return commands.remove(ctx, id, true);
    }),
  };

  async function report(query: URLSearchParams) {
    await desk.cases.refresh({ whole: true });
    const year = Number(query.get('year') ?? desk.now().getFullYear());
    if (!Number.isInteger(year) || year < 2000 || year > 2200) throw new DeskError(400, 'Choose a year like 2026.', 'year');
    return yearlyReport(desk.cases.all(), year);
  }

  return async function handle(req: IncomingMessage, path: string, query: URLSearchParams): Promise<Answer> {
    const method = req.method ?? 'GET';
    if (desk.app) {
      const answer = await setupRoute(desk, desk.app, method, path, req);
      if (answer) return answer;
    }
    const { route, caseId, fileId } = routeOf(path);
    const key = `${method} ${route}`;
    if (unlocked[key]) return unlocked[key]({ req, query, caseId, fileId });
    const handler = withKey[key];
    context(); // everything below needs the key (a 423 while locked, before even a 404)
    if (!handler) throw new DeskError(404, 'Not found.');
    // A case view reading itself again in the background is not the officer at work: it must not keep the desk unlocked.
    if (query.get('background') !== '1') session.touch();
    return handler({ req, query, caseId, fileId });
  };
}

interface Call {
  req: IncomingMessage;
  query: URLSearchParams;
  caseId: string;
  fileId: string;
}
type Handler = (call: Call) => Promise<Answer>;
/** `METHOD path`, with `{caseId}` and `{fileId}` for the ids in it. */
type Routes = Record<string, Handler>;

/** A request's path as a route: `cases/7K3M…/save/<file id>` → `cases/{caseId}/save/{fileId}`. */
function routeOf(path: string): { route: string; caseId: string; fileId: string } {
  const m = /^cases\/([0-9A-Z]{16})((?:\/[a-z-]+)?)(?:\/([A-Za-z0-9_-]{22}))?$/.exec(path);
  if (!m) return { route: path, caseId: '', fileId: '' };
  return { route: `cases/{caseId}${m[2]}${m[3] ? '/{fileId}' : ''}`, caseId: m[1]!, fileId: m[3] ?? '' };
}

const randomToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
