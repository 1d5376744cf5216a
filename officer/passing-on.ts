/**
 * Passing a case on: to CLB, within what the reporter consented to (and asking for more), or to
 * another channel, once the reporter agreed. Nothing goes further than the reporter allowed.
 */
import { sessionKeysFor } from '../shared/protocol/external-key.ts';
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { newFileId } from '../shared/client/files.ts';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { dearmor } from '../shared/protocol/armor.ts';
import { toBase64Url } from '../shared/protocol/bytes.ts';
import { readPackets, TAG, writePackets } from '../shared/protocol/packets.ts';
import { CLB_CONSENT_ORDER, type FileRef, type PayloadInput } from '../shared/schemas/payload.ts';
import { fingerprintOf, readPublicKey } from '../shared/protocol/keys.ts';
import { escalationThreadKeys, REPORTER, type ReadCase } from './case-reader.ts';
import { CliError } from './errors.ts';
import { CONSENT_WORDS } from './consent-words.ts';
import { type LocalFile, fileHead, filesOf, saveFile, uploadLocalFiles, verdictOfFile } from './files.ts';
import { verdict } from './render.ts';
import { inertLine } from './inert.ts';

import { channelsOf, load, officersOnly, refuseClosed, seal, sealerOf, sealForCase, textLang, type Context } from './context.ts';

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
