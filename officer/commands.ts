/** The officer tool's commands. Each takes a context and its arguments, and writes lines to `out`. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { verify } from 'node:crypto';
import { commitmentOf, parseProofFile } from '../shared/protocol/proof.ts';
import { proofKeySchema } from '../shared/schemas/api.ts';
import { newFileId } from '../shared/client/files.ts';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { Thread } from '../shared/schemas/api.ts';
import type { CaseSummary } from '../shared/schemas/officer-api.ts';
import { type OutcomeResult } from '../shared/schemas/payload.ts';
import { generateNamedKey } from '../shared/protocol/keys.ts';
import { caseThreadKeys, escalationThreadKeys, officerKeys, type ReadCase } from './case-reader.ts';
import { CliError } from './errors.ts';
import { prepareLocalFiles, ensureDir, filesOf, safeName, saveFile, uploadLocalFiles, verdictOfFile } from './files.ts';
import { formatSize } from '../shared/format/size.ts';
import { caseHeader, caseTable, conversation, verdict } from './render.ts';
import { inertLine } from './inert.ts';

import { channelsOf, isTarget, load, officersOnly, refuseClosed, seal, sealerOf, sealForCase, textLang, today, type Context } from './context.ts';

export { channelsOf, isTarget, load, today, type Context } from './context.ts';
export { askConsent, askMove, DEFAULT_CONSENT_REQUEST, DEFAULT_MOVE_REQUEST, escalate, move } from './passing-on.ts';

// ---- reading ----

export async function cases(ctx: Context): Promise<CaseSummary[]> {
  const list = await ctx.client.list();
  if (ctx.json) ctx.out(JSON.stringify(list, null, 2));
  else for (const line of caseTable(list, today(ctx), { target: await isTarget(ctx) })) ctx.out(line);
  return list;
}

export async function show(ctx: Context, prefix: string): Promise<ReadCase> {
  const read = await load(ctx, prefix);
  if (ctx.json) {
    ctx.out(
      JSON.stringify(
        {
          summary: read.data.summary,
          recipients: read.data.recipients,
          reporterKeyOk: read.reporterKeyOk,
          contact: read.report?.contact ?? null,
          consent: read.report?.consent ?? null,
          entries: read.entries.map(({ signerKey: _key, ...e }) => ({ ...e, verified: e.signature.status === 'verified' && !e.otherCase, verdict: verdict(e) })),
        },
        null,
        2,
      ),
    );
    return read;
  }
  for (const line of [...caseHeader(read, today(ctx)), ...conversation(read)]) ctx.out(line);
  return read;
}

// ---- writing ----

/** Posts a text (and files) on a thread: the message naming the files first, then the files, encrypted to the same readers. */
async function send(ctx: Context, read: ReadCase, thread: Thread, kind: 'reply' | 'note', text: string, paths: string[]) {
  const caseId = read.data.summary.caseId;
  const channels = await channelsOf(ctx);
  const keys = thread === 'case' ? await caseThreadKeys(read, channels) : thread === 'clb' ? await escalationThreadKeys(read, channels) : await officerKeys(read, channels);
  const local = await prepareLocalFiles(paths, channels.files.maxFileBytes, ctx.keepMetadata);
  const files = local.map((f) => f.ref);
  const payload = { v: 1 as const, kind, text, files };
  const message = thread === 'case' ? await sealForCase(ctx, read, payload) : await seal(ctx, read, payload, keys, thread);
  await ctx.client.post(caseId, 'messages', { thread, message, files: files.map(({ id, size }) => ({ id, size })) });
  await uploadLocalFiles(ctx.client, caseId, local, keys, sealerOf(ctx, read));
  return files.length ? ` with ${files.length} file(s)` : '';
}

export async function reply(ctx: Context, prefix: string, text: string, paths: string[] = []) {
  const read = await load(ctx, prefix);
  refuseClosed(read, 'reply');
  const withFiles = await send(ctx, read, 'case', 'reply', text, paths);
  ctx.out(`Reply sent on case ${read.data.summary.caseId}${withFiles}. The reporter reads it when they come back with their code.`);
}

/** A note on the officer↔CLB thread: from an officer or from CLB. */
export async function note(ctx: Context, prefix: string, text: string, paths: string[] = []) {
  const read = await load(ctx, prefix);
  if (!read.data.summary.escalated) throw new CliError(`Case ${read.data.summary.caseId} has not been escalated, so there is no escalation thread. Use escalate first.`);
  const withFiles = await send(ctx, read, 'clb', 'note', text, paths);
  ctx.out(`Note sent on the escalation thread of case ${read.data.summary.caseId}${withFiles}.`);
}

/** An internal note: encrypted to the channel's officers only; never to the reporter or CLB. */
export async function internalNote(ctx: Context, prefix: string, text: string, paths: string[] = []) {
  await officersOnly(ctx, 'write internal notes');
  const read = await load(ctx, prefix);
  const withFiles = await send(ctx, read, 'internal', 'note', text, paths);
  ctx.out(`Internal note added to case ${read.data.summary.caseId}${withFiles}. Only the officers of channel ${read.data.summary.channel} can read it.`);
}

/** `record CASE --title T --message-file F`: minutes or a transcript for the reporter to check, agree with or correct. */
export async function record(ctx: Context, prefix: string, title: string, text: string, paths: string[] = []) {
  await officersOnly(ctx, 'add a record');
  const read = await load(ctx, prefix);
  refuseClosed(read, 'add a record');
  const channels = await channelsOf(ctx);
  const keys = await caseThreadKeys(read, channels);
  const local = await prepareLocalFiles(paths, channels.files.maxFileBytes, ctx.keepMetadata);
  const files = local.map((f) => f.ref);
  const recordId = newFileId();
  const message = await sealForCase(ctx, read, { v: 1, kind: 'record', recordId, title, text, files });
  await ctx.client.post(read.data.summary.caseId, 'messages', { thread: 'case', message, files: files.map(({ id, size }) => ({ id, size })) });
  await uploadLocalFiles(ctx.client, read.data.summary.caseId, local, keys, sealerOf(ctx, read));
  ctx.out(`Record "${title}" added to case ${read.data.summary.caseId}. The reporter reads it with their code and agrees or corrects it; show CASE says which.`);
}

/** `files CASE [DIR]`: every file of the case, decrypted and checked; only verified files are kept. */
export async function files(ctx: Context, prefix: string, dir: string) {
  const read = await load(ctx, prefix);
  const caseId = read.data.summary.caseId;
  const list = filesOf(read);
  if (list.length === 0) return ctx.out(`Case ${caseId} has no files.`);
  ensureDir(dir);
  let kept = 0;
  for (const [i, file] of list.entries()) {
    const path = join(dir, `${caseId}-${file.entryId.padStart(3, '0')}-${i}-${safeName(file.ref.name)}`);
    const check = await saveFile(ctx.client, ctx.key, caseId, file, path);
    if (check.status === 'verified') kept++;
    ctx.out(inertLine(`#${file.entryId} ${file.ref.name} (${formatSize(file.ref.size)}) · ${verdictOfFile(check)}${check.status === 'verified' ? ` → ${path}` : ''}`));
  }
  ctx.out(`${kept} of ${list.length} file(s) saved to ${dir}. Files come from people you do not know: open them with care, preferably on a computer that is not connected.`);
}

export const DEFAULT_ACK = {
  nl: 'Wij hebben uw melding ontvangen en nemen haar in behandeling. Binnen drie maanden hoort u wat we ermee hebben gedaan. Heeft u nog iets toe te voegen, dan kan dat hier met uw code.',
  en: 'We have received your report and are taking it up. Within three months you will hear what we have done with it. If you have anything to add, you can do so here with your code.',
};

export async function ack(ctx: Context, prefix: string, text?: string) {
  await officersOnly(ctx, 'acknowledge a case');
  const read = await load(ctx, prefix);
  refuseClosed(read, 'acknowledge it');
  if (read.data.summary.acknowledgedOn) throw new CliError(`Case ${read.data.summary.caseId} was already acknowledged on ${read.data.summary.acknowledgedOn}.`);
  const message = await sealForCase(ctx, read, { v: 1, kind: 'acknowledgement', text: text ?? DEFAULT_ACK[textLang(read)] });
  const summary = (await ctx.client.post(read.data.summary.caseId, 'acknowledge', { message })) as CaseSummary;
  ctx.out(`Acknowledged case ${summary.caseId}. Feedback is due by ${summary.feedbackBy}.`);
}

export const STATUSES = ['in-progress', 'feedback-given'] as const;

export async function status(ctx: Context, prefix: string, value: string, text?: string) {
  if (!(STATUSES as readonly string[]).includes(value)) {
    throw new CliError(`Status must be ${STATUSES.join(' or ')} (close a case with: close CASE --outcome TEXT).`);
  }
  await officersOnly(ctx, 'change the status');
  const read = await load(ctx, prefix);
  refuseClosed(read, 'change its status');
  const message = text ? await sealForCase(ctx, read, { v: 1, kind: 'reply', text }) : undefined;
  await ctx.client.post(read.data.summary.caseId, 'status', { status: value, message });
  ctx.out(`Case ${read.data.summary.caseId} is now ${value}.`);
}

export async function close(ctx: Context, prefix: string, outcome: string, result?: OutcomeResult) {
  if (!outcome.trim()) throw new CliError('Closing needs --outcome "text the reporter can read".');
  await officersOnly(ctx, 'close a case');
  const read = await load(ctx, prefix);
  refuseClosed(read, 'close it again');
  const message = await sealForCase(ctx, read, { v: 1, kind: 'outcome', text: outcome, ...(result ? { result } : {}) });
  await ctx.client.post(read.data.summary.caseId, 'status', { status: 'closed', message });
  ctx.out(`Case ${read.data.summary.caseId} closed; the reporter can read the outcome. Export it before the retention period ends if it belongs in the register.`);
}

/**
 * `proof CASE FILE`: checks a reporter's proof of reporting: the service's signature, and that
 * its commitment is this case's report as stored and its day the day it was received.
 */
export async function proof(ctx: Context, prefix: string, file: string) {
  const parsed = parseProofFile(readFileSync(file, 'utf8'));
  if (!parsed) throw new CliError(`${file} is not a Meldpunt proof of reporting.`);
  const { publicKey } = await ctx.client.request('GET', '/api/proof-key', undefined, proofKeySchema);
  const signed = verify('sha256', Buffer.from(parsed.statement), publicKey, Buffer.from(parsed.signature, 'base64'));
  const caseId = await ctx.client.resolve(prefix);
  const data = await ctx.client.get(caseId);
  const report = data.messages.find((m) => m.id === '0' && m.thread === 'case');
  if (!report) throw new CliError(`Your key does not read the report of case ${caseId}, so its commitment cannot be computed here; ask its officer.`);
  const matches = (await commitmentOf(report.message)) === parsed.fields.commitment && data.summary.receivedOn === parsed.fields.receivedOn;
  ctx.out(signed ? 'Signature: VALID, made with this service\'s proof key.' : 'Signature: INVALID: this statement was not signed by this service, or was changed.');
  ctx.out(
    matches
      ? `Case ${caseId}: MATCHES: this is the proof for this case's report, received on ${data.summary.receivedOn}.`
      : `Case ${caseId}: DOES NOT MATCH: the statement is about another report (or another day).`,
  );
  return { signed, matches };
}

export async function remove(ctx: Context, prefix: string, confirmed: boolean) {
  await officersOnly(ctx, 'delete a case');
  const caseId = await ctx.client.resolve(prefix);
  if (!confirmed) throw new CliError(`Deleting is final. Export the case first if it belongs in the register, then run: delete ${caseId} --yes`);
  await ctx.client.request('DELETE', `/api/officer/cases/${caseId}`, undefined, z.object({ deleted: z.string() }));
  ctx.out(`Case ${caseId} deleted.`);
}

export async function init(out: (line: string) => void, options: { name: string; file: string; passphrase: string }) {
  const publicFile = options.file.replace(/(\.private)?\.asc$/, '') + '.public.asc';
  if (existsSync(publicFile)) throw new CliError(`${publicFile} already exists; not overwriting a key.`);
  const key = await generateNamedKey(options.name, options.passphrase);
  mkdirSync(join(options.file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(options.file, key.lockedPrivateKey, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicFile, key.publicKey, { flag: 'wx' });
  out(`Private key (locked with your passphrase) written to ${options.file}. Keep it on this machine only, and back it up offline.`);
  out(`Public key written to ${publicFile}.`);
  out(`Fingerprint: ${key.fingerprint.toUpperCase().replace(/(.{4})/g, '$1 ').trim()}`);
  out('Give this public key and fingerprint to the operator, to put in meldpunt.config.json (check the fingerprint with them by phone):');
  out('');
  out(key.publicKey);
}
