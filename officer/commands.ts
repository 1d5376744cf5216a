/** The officer tool's commands. Each takes a context and its arguments, and writes lines to `out`. */
import { publicOf, sessionKeysFor, type OfficerKey } from '../shared/protocol/external-key.ts';
import { existsSync, mkdirSync, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { verify } from 'node:crypto';
import { commitmentOf, parseProofFile } from '../shared/protocol/proof.ts';
import { proofKeySchema } from '../shared/schemas/api.ts';
import { tmpdir } from 'node:os';
import { newFileId } from '../shared/client/files.ts';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { dearmor } from '../shared/protocol/armor.ts';
import { toBase64Url } from '../shared/protocol/bytes.ts';
import { readPackets, TAG, writePackets } from '../shared/protocol/packets.ts';
import * as z from 'zod/mini';
import type { PublicChannels } from '../shared/config/schema.ts';
import type { Thread } from '../shared/schemas/api.ts';
import type { CaseSummary } from '../shared/schemas/officer-api.ts';
import { CLB_CONSENT_ORDER, payloadSchema, type OutcomeResult, type ClbConsent, type FileRef, type PayloadInput } from '../shared/schemas/payload.ts';
import { MAX_MESSAGE_CHARS } from '../shared/schemas/primitives.ts';
import { sealPayload } from '../shared/protocol/envelope.ts';
import { fingerprintOf, generateNamedKey, readPublicKey } from '../shared/protocol/keys.ts';
import { dayOf } from '../shared/wbk/deadlines.ts';
import type { OfficerClient } from './client.ts';
import { caseThreadKeys, escalationThreadKeys, lastMark, officerKeys, readCase, REPORTER, type ReadCase } from './case-reader.ts';
import { CliError } from './errors.ts';
import { CONSENT_WORDS } from './consent-words.ts';
import { prepareLocalFiles, type LocalFile, ensureDir, fileHead, filesOf, safeName, saveFile, uploadLocalFiles, verdictOfFile } from './files.ts';
import { formatSize } from '../shared/format/size.ts';
import { caseHeader, caseTable, conversation, verdict } from './render.ts';
import { inertLine } from './inert.ts';

export interface Context {
  client: OfficerClient;
  key: OfficerKey;
  out: (line: string) => void;
  json: boolean;
  /** The tool's clock: signs requests and says "in 3 days". */
  now: () => Date;
  /** Send attached files with their metadata (author, camera, place): off unless asked for. */
  keepMetadata?: boolean;
}

let published: { api: string; channels: Promise<PublicChannels> } | null = null;
export const channelsOf = (ctx: Context) => {
  if (published?.api !== ctx.client.api) published = { api: ctx.client.api, channels: ctx.client.channels() };
  return published.channels;
};
export const today = (ctx: Context) => dayOf(ctx.now());

export async function load(ctx: Context, prefix: string): Promise<ReadCase> {
  const caseId = await ctx.client.resolve(prefix);
  return readCase(await ctx.client.get(caseId), ctx.key, await channelsOf(ctx));
}

/** Whether this key is an escalation target (CLB) rather than a channel's officer, by the published keys. */
export async function isTarget(ctx: Context): Promise<boolean> {
  const mine = fingerprintOf(publicOf(ctx.key));
  for (const target of (await channelsOf(ctx)).escalation) {
    if (fingerprintOf(await readPublicKey(target.publicKey)) === mine) return true;
  }
  return false;
}

const CLB_CAN = 'With a CLB key you can read (cases, show), write to the officer (note), and answer the reporter (reply) when the reporter consented.';

async function officersOnly(ctx: Context, what: string) {
  if (await isTarget(ctx)) throw new CliError(`Only the case's own officers can ${what}. ${CLB_CAN}`);
}

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

/**
 * Signs and encrypts a payload, after checking it as a reader will: a text over the limit would
 * reach the reporter as an unreadable message, and a message over the server's limit is refused.
 */
async function seal(ctx: Context, read: ReadCase, payload: PayloadInput, encryptionKeys: openpgp.PublicKey[], thread: Thread) {
  // Named for its case (the reporter key's fingerprint), so a copy the server puts in another case reads
  // NOT VERIFIED; and after the thread's latest message, so a reordering or a gap shows.
  const placed = { ...(read.report ? { case: read.report.reporterFingerprint } : {}), after: await lastMark(read, thread) };
  const checked = payloadSchema.safeParse({ ...payload, ...placed });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new CliError(`Not sent: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`);
  }
  const message = await sealPayload({ payload: checked.data, signingKey: ctx.key, encryptionKeys });
  if (message.length > MAX_MESSAGE_CHARS) {
    throw new CliError(`Not sent: the encrypted message would be ${Math.round(message.length / 1024)} KB, over the ${Math.round(MAX_MESSAGE_CHARS / 1024)} KB a message may be. Send less at once (escalate: choose with --messages).`);
  }
  return message;
}

/** Seals a payload for the reporter's conversation: exactly the case's readers, every key checked. */
async function sealForCase(ctx: Context, read: ReadCase, payload: PayloadInput) {
  const mine = fingerprintOf(publicOf(ctx.key));
  if (!read.data.recipients.some((r) => r.fingerprint === mine)) {
    throw new CliError(
      (await isTarget(ctx))
        ? `You are not a reader of the reporter's conversation on this case: the reporter did not consent to CLB joining. Write to the officer instead: note ${read.data.summary.caseId} --message TEXT`
        : 'Your key is not one of the readers of this case.',
    );
  }
  return seal(ctx, read, payload, await caseThreadKeys(read, await channelsOf(ctx)), 'case');
}

/** The language of the tool's standard texts to a reporter: Dutch for a Dutch report, English for any other language. */
const textLang = (read: ReadCase): 'nl' | 'en' => (!read.report || read.report.lang === 'nl' ? 'nl' : 'en');

/** Files this tool sends are sealed with the officer's key, for the case of `read`. */
const sealerOf = (ctx: Context, read: ReadCase) => ({ key: ctx.key, caseFingerprint: fingerprintOf(read.reporterKey) });

function refuseClosed(read: ReadCase, what: string) {
  if (read.data.summary.status === 'closed') throw new CliError(`Case ${read.data.summary.caseId} is closed; you can no longer ${what}.`);
}

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
 * Re-encrypts what the reporter allows to the target's key, and nothing more: with `none`
 * nothing; with `without-contact` the report alone, its contact details removed; with
 * `conversation` the chosen messages and the contact details, and the target joins the conversation.
 */
export async function escalate(ctx: Context, prefix: string, target: string, options: { messages?: string[]; note?: string }) {
  await officersOnly(ctx, 'escalate');
  const channels = await channelsOf(ctx);
  if (!channels.escalation.some((e) => e.id === target)) {
    throw new CliError(`Unknown escalation target "${target}". Known: ${channels.escalation.map((e) => e.id).join(', ') || 'none'}.`);
  }
  const read = await load(ctx, prefix);
  const caseId = read.data.summary.caseId;
  if (!read.report || read.reportSource !== 'report') throw new CliError('The report itself cannot be read with your key; nothing to escalate.');
  if (!read.reporterKeyOk) throw new CliError('The reporter key on this case does not match the report itself. Not escalating a case that may have been tampered with.');
  const consent = read.consent;
  if (consent === 'none') {
    throw new CliError(
      `Not escalated: the reporter chose that ${CONSENT_WORDS.none}. Nothing was sent.\n` +
        `Ask for consent in the conversation: ask-consent ${caseId} --scope without-contact (or conversation). The reporter answers on the follow-up page; their signed answer lets you escalate.`,
    );
  }
  // Only verified words are passed on, under the officer's signature: a message the server made or
  // changed (NOT VERIFIED) stays behind, and the author is the one its signature names.
  const onCase = read.entries.filter((e) => e.thread === 'case' && e.payload);
  const readable = onCase.filter((e) => e.signature.status === 'verified' && !e.otherCase && e.order !== 'replayed');
  const leftOut = onCase.filter((e) => !readable.includes(e));
  const wanted = options.messages?.filter(Boolean);
  const unverified = leftOut.filter((e) => wanted?.includes(e.id));
  if (unverified.length) {
    throw new CliError(`Not escalated: message #${unverified.map((e) => e.id).join(', #')} is ${verdict(unverified[0]!)}. Only verified messages are passed on. Nothing was sent.`);
  }
  const missing = wanted?.filter((id) => !readable.some((e) => e.id === id)) ?? [];
  if (missing.length) {
    throw new CliError(`No readable message #${missing.join(', #')} on this case. Choose from: ${readable.map((e) => e.id).join(',')} (see: show ${caseId}).`);
  }
  if (consent === 'without-contact' && wanted?.some((id) => id !== '0')) {
    throw new CliError(
      `Not escalated: the reporter allows only that ${CONSENT_WORDS['without-contact']}. Messages #${wanted.filter((id) => id !== '0').join(', #')} may not go to CLB. ` +
        `Leave out --messages, or ask for more: ask-consent ${caseId} --scope conversation.`,
    );
  }
  const chosen = consent === 'conversation' ? readable.filter((e) => !wanted || wanted.includes(e.id)) : readable.filter((e) => e.id === '0');
  if (!chosen.some((e) => e.id === '0')) throw new CliError(`Not escalated: the report itself (#0) does not verify. Nothing was sent.`);
  const joins = consent === 'conversation';
  const payload: PayloadInput = {
    v: 1,
    kind: 'escalation',
    caseId,
    note: options.note ?? '',
    ...(joins ? { contact: read.report.contact } : {}),
    messages: chosen.map((e) => ({
      author: e.signature.status === 'verified' ? e.signature.name : REPORTER,
      day: e.day,
      payload: e.payload!.kind === 'report' && !joins ? { ...e.payload!, contact: '' } : e.payload,
    })),
  };
  // The files of what goes, decrypted here and re-encrypted for the escalation thread.
  const caseFiles = filesOf(read).filter((f) => chosen.some((e) => e.id === f.entryId));
  const scratch = caseFiles.length ? mkdtempSync(join(tmpdir(), 'meldpunt-escalate-')) : '';
  try {
    const local: LocalFile[] = [];
    for (const [i, file] of caseFiles.entries()) {
      const path = join(scratch, String(i));
      const check = await saveFile(ctx.client, ctx.key, caseId, file, path);
      if (check.status !== 'verified') throw new CliError(`Not escalated: file ${inertLine(file.ref.name)} of message #${file.entryId} does not verify (${verdictOfFile(check)}). Nothing was sent.`);
      // The same bytes under a new id, sealed by this officer, whose message now describes them.
      local.push({ ref: { ...file.ref, id: newFileId() }, blob: await openAsBlob(path), path });
    }
    const refs: FileRef[] = local.map((f) => f.ref);
    const keys = await escalationThreadKeys(read, channels, target);
    const message = await seal(ctx, read, { ...payload, files: refs }, keys, 'clb');
    await ctx.client.post(caseId, 'escalate', { target, joinCase: joins, message, files: refs.map(({ id, size }) => ({ id, size })) });
    await uploadLocalFiles(ctx.client, caseId, local, keys, sealerOf(ctx, read));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const skipped = leftOut.filter((e) => consent === 'conversation' || e.id === '0');
  if (skipped.length) ctx.out(inertLine(`Left out, NOT VERIFIED: ${skipped.map((e) => `#${e.id} (${verdict(e)})`).join('; ')}.`));
  ctx.out(
    `Escalated case ${caseId} to ${target} (${chosen.length} message(s): #${chosen.map((e) => e.id).join(', #')}). ` +
      (joins
        ? 'The reporter allowed CLB in the conversation: contact details included, and CLB now reads along (the reporter sees it listed).'
        : 'The reporter allowed the report only: contact details left out; CLB and you talk on a separate thread (note). The reporter sees that CLB received the report.'),
  );
}

export const DEFAULT_CONSENT_REQUEST = {
  nl: {
    'without-contact': 'Wij willen uw melding graag voorleggen aan het Centrum voor Lokaal Bestuur (CLB), zonder uw contactgegevens. Geeft u daarvoor toestemming? U kunt dat hieronder aangeven.',
    conversation: 'Wij willen het Centrum voor Lokaal Bestuur (CLB) graag laten meelezen in dit gesprek, met uw contactgegevens. Geeft u daarvoor toestemming? U kunt dat hieronder aangeven.',
  },
  en: {
    'without-contact': 'We would like to pass your report to the Centre for Local Government (CLB), without your contact details. Do you consent? You can say so below.',
    conversation: 'We would like the Centre for Local Government (CLB) to read along in this conversation, with your contact details. Do you consent? You can say so below.',
  },
} as const;

/** Asks the reporter, in the conversation, for wider consent; their signed answer comes back as a `consent` message. */
export async function askConsent(ctx: Context, prefix: string, scope: string, text?: string) {
  if (scope !== 'without-contact' && scope !== 'conversation') throw new CliError('--scope must be without-contact or conversation.');
  await officersOnly(ctx, 'ask for consent');
  const read = await load(ctx, prefix);
  refuseClosed(read, 'ask for consent');
  if (CLB_CONSENT_ORDER.indexOf(read.consent) >= CLB_CONSENT_ORDER.indexOf(scope)) {
    throw new CliError(`The reporter already allows this: ${CONSENT_WORDS[read.consent]}.`);
  }
  const message = await sealForCase(ctx, read, { v: 1, kind: 'consent-request', scope, text: text ?? DEFAULT_CONSENT_REQUEST[textLang(read)][scope] });
  await ctx.client.post(read.data.summary.caseId, 'messages', { thread: 'case', message });
  ctx.out(`Asked the reporter on case ${read.data.summary.caseId} whether ${CONSENT_WORDS[scope]}. Their answer shows in show; escalate works once they agree.`);
}

export const DEFAULT_MOVE_REQUEST = {
  nl: (to: string, readers: string) =>
    `Wij denken dat uw melding beter past bij ${to}. Mogen wij haar daarheen overdragen? Dan lezen ${readers} uw melding en dit gesprek, en wij niet meer. U kunt dat hieronder aangeven; zonder uw toestemming blijft alles zoals het is.`,
  en: (to: string, readers: string) =>
    `We think your report belongs with ${to}. May we hand it over? Then ${readers} will read your report and this conversation, and we no longer will. You can say so below; without your consent everything stays as it is.`,
} as const;

/** The published channel `to`, which must differ from the case's. */
async function otherChannel(ctx: Context, read: ReadCase, to: string) {
  const channels = await channelsOf(ctx);
  const channel = channels.channels.find((c) => c.id === to);
  if (!channel) throw new CliError(`There is no channel "${to}". Channels: ${channels.channels.map((c) => c.id).join(', ')}.`);
  if (to === read.data.summary.channel) throw new CliError(`Case ${read.data.summary.caseId} is already in channel "${to}".`);
  return channel;
}

/** Asks the reporter whether the case may move to another channel; their signed answer comes back as `move-consent`. */
export async function askMove(ctx: Context, prefix: string, to: string, text?: string) {
  await officersOnly(ctx, 'move a case');
  const read = await load(ctx, prefix);
  refuseClosed(read, 'move it');
  const channel = await otherChannel(ctx, read, to);
  if (read.moveConsents.includes(to)) throw new CliError(`The reporter already agreed to the move. Move it: move ${read.data.summary.caseId} --to ${to}`);
  const readers = channel.recipients.map((r) => r.name).join(', ');
  const lang = textLang(read);
  const message = await sealForCase(ctx, read, { v: 1, kind: 'move-request', to, text: text ?? DEFAULT_MOVE_REQUEST[lang](channel.name[lang] ?? channel.name.nl, readers) });
  await ctx.client.post(read.data.summary.caseId, 'messages', { thread: 'case', message });
  ctx.out(`Asked the reporter on case ${read.data.summary.caseId} whether it may move to ${channel.name.en ?? channel.name.nl} (${readers}). Their answer shows in show; move works once they agree.`);
}

/** New session key packets for `readers`, from the ones `key` can open: the same session key, so the same encrypted data. */
async function newHeader(ctx: Context, head: Uint8Array, readers: openpgp.PublicKey[]): Promise<string> {
  const pkesks = readPackets(head, { truncated: true }).filter((p) => p.tag === TAG.pkesk);
  const message = await openpgp.readMessage({ binaryMessage: writePackets(pkesks) });
  const [session] = await sessionKeysFor(message, ctx.key).catch(() => []);
  if (!session) throw new CliError('A message or file of this case cannot be opened with your key; it cannot be moved. Nothing was changed.');
  const header = await openpgp.encryptSessionKey({ data: session.data, algorithm: session.algorithm as openpgp.enums.symmetricNames, encryptionKeys: readers, format: 'binary' });
  return toBase64Url(header);
}

/**
 * Moves a case to another channel, only with the reporter's signed consent. Every message and
 * file keeps its encrypted data; only its session key is encrypted anew to the new readers, so
 * what the reporter wrote and signed stays exactly as it was. Internal notes stay behind (deleted).
 */
export async function move(ctx: Context, prefix: string, to: string) {
  await officersOnly(ctx, 'move a case');
  const read = await load(ctx, prefix);
  const caseId = read.data.summary.caseId;
  refuseClosed(read, 'move it');
  const channel = await otherChannel(ctx, read, to);
  if (!read.report || read.reportSource !== 'report' || !read.reporterKeyOk) throw new CliError('The report or its reporter key cannot be checked with your key; not moving a case that may have been tampered with.');
  if (!read.moveConsents.includes(to)) {
    throw new CliError(`Not moved: the reporter has not agreed to move this case to ${channel.name.en ?? channel.name.nl}. Nothing was changed.\nAsk first: ask-move ${caseId} --to ${to}. Their signed answer on the follow-up page lets you move it.`);
  }
  const channels = await channelsOf(ctx);
  const officers = await Promise.all(channel.recipients.map((r) => readPublicKey(r.publicKey)));
  const targets = await Promise.all(channels.escalation.map(async (e) => ({ id: e.id, key: await readPublicKey(e.publicKey) })));
  const joined = targets.filter((t) => read.data.recipients.some((r) => r.role === 'clb' && r.fingerprint === fingerprintOf(t.key))).map((t) => t.key);
  const escalatedTo = targets.filter((t) => read.data.summary.escalatedTo.includes(t.id)).map((t) => t.key);
  const readers = { case: [read.reporterKey, ...officers, ...joined], clb: [...officers, ...escalatedTo] };

  const kept = read.data.messages.filter((m) => m.thread !== 'internal');
  const messages = [];
  for (const m of kept) messages.push({ id: m.id, header: await newHeader(ctx, dearmor(m.message, 'MESSAGE'), readers[m.thread as 'case' | 'clb']) });
  const files = [];
  for (const f of read.data.files.filter((f) => f.thread !== 'internal' && f.state === 'complete')) {
    const head = await fileHead(ctx.client, caseId, f.id);
    files.push({ id: f.id, header: await newHeader(ctx, head, readers[f.thread as 'case' | 'clb']) });
  }
  const dropped = read.data.messages.length - kept.length;
  // Said, signed, for the new readers and stored with the move: a server that puts the case back is seen undoing it.
  const consent = read.entries.filter((e) => e.thread === 'case' && e.payload?.kind === 'move-consent' && e.payload.to === to && e.signature.status === 'verified' && e.mark).at(-1);
  const notice = consent ? await seal(ctx, read, { v: 1, kind: 'moved', to, consent: consent.mark! }, readers.case, 'case') : undefined;
  await ctx.client.post(caseId, 'move', { to, messages, files, ...(notice ? { notice } : {}) });
  ctx.out(
    `Moved case ${caseId} to ${channel.name.en ?? channel.name.nl}: ${channel.recipients.map((r) => r.name).join(', ')} now read it, and you no longer do. ` +
      `${messages.length} message(s) and ${files.length} file(s) re-encrypted for them (the same encrypted text, new session keys)` +
      (dropped ? `; ${dropped} internal note(s) stayed behind and were deleted.` : '.'),
  );
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
