/** The officer tool's commands. Each takes a context and its arguments, and writes lines to `out`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as openpgp from 'openpgp';
import { z } from 'zod';
import type { PublicChannels } from '../shared/config/schema.ts';
import type { CaseSummary } from '../shared/schemas/officer-api.ts';
import type { Payload } from '../shared/schemas/payload.ts';
import { sealPayload, type SignatureCheck } from '../shared/protocol/envelope.ts';
import { generateNamedKey } from '../shared/protocol/keys.ts';
import { dayOf } from '../shared/wbk/deadlines.ts';
import type { OfficerClient } from './client.ts';
import { caseThreadKeys, escalationThreadKeys, readCase, REPORTER, type Entry, type ReadCase } from './case-reader.ts';
import { CliError } from './errors.ts';

export interface Context {
  client: OfficerClient;
  key: openpgp.PrivateKey;
  out: (line: string) => void;
  json: boolean;
}

let published: Promise<PublicChannels> | null = null;
const channelsOf = (ctx: Context) => (published ??= ctx.client.channels());

export async function load(ctx: Context, prefix: string): Promise<ReadCase> {
  const caseId = await ctx.client.resolve(prefix);
  return readCase(await ctx.client.get(caseId), ctx.key, await channelsOf(ctx));
}

// ---- listing ----

export async function cases(ctx: Context): Promise<CaseSummary[]> {
  const list = await ctx.client.list();
  if (ctx.json) {
    ctx.out(JSON.stringify(list, null, 2));
    return list;
  }
  if (list.length === 0) {
    ctx.out('No cases.');
    return list;
  }
  const rows = list.map((c) => [
    c.caseId,
    c.channel,
    c.status,
    c.receivedOn,
    c.nextDeadline ? `${c.nextDeadline} (${c.acknowledgedOn ? 'feedback' : 'acknowledge'})` : '-',
    [c.overdue ? 'OVERDUE' : '', c.escalated ? `escalated:${c.escalatedTo.join(',')}` : ''].filter(Boolean).join(' '),
  ]);
  const header = ['CASE', 'CHANNEL', 'STATUS', 'RECEIVED', 'NEXT DEADLINE', 'FLAGS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  ctx.out(line(header));
  for (const row of rows) ctx.out(line(row));
  const overdue = list.filter((c) => c.overdue).length;
  if (overdue) ctx.out(`\n${overdue} case(s) OVERDUE: the legal deadline has passed.`);
  return list;
}

// ---- reading ----

export function verdict(entry: Entry): string {
  const s: SignatureCheck = entry.signature;
  switch (s.status) {
    case 'verified':
      return `VERIFIED: signed by ${s.name}`;
    case 'unsigned':
      return 'NOT VERIFIED: no signature from a known key';
    case 'unknown-signer':
      return `NOT VERIFIED: signed by unknown key ${s.keyId}`;
    case 'bad-signature':
      return `NOT VERIFIED: bad signature claiming to be ${s.name}`;
  }
}

function describe(payload: Payload): string[] {
  switch (payload.kind) {
    case 'report': {
      const a = payload.answers;
      return [
        `Category: ${payload.category} · track: ${payload.track === 'wbk' ? 'misstand (Wbk)' : 'code of conduct'} · language: ${payload.lang}`,
        `What: ${a.what}`,
        ...(a.when ? [`When: ${a.when}`] : []),
        `Where: ${a.where.level}${a.where.detail ? ` (${a.where.detail})` : ''}`,
        ...(a.who ? [`Who: ${a.who}`] : []),
        ...(a.witnesses ? [`Witnesses: ${a.witnesses}`] : []),
        ...(a.evidence ? [`Evidence: ${a.evidence}`] : []),
        ...payload.attachments.map((f) => `Attachment: ${f.name} (${f.type}, ${Math.round((f.data.length * 3) / 4 / 1024)} KB; use export to save)`),
        ...(a.reportedBefore ? [`Reported before: ${a.reportedBefore}`] : []),
        ...(a.hopes ? [`Hopes for: ${a.hopes}`] : []),
        `Conversation wanted: ${payload.conversation}`,
        `CONTACT DETAILS: ${payload.contact || '(none: anonymous)'}`,
        `CONSENT to share with CLB: ${payload.consent.shareWithClb ? 'YES' : 'NO'}`,
      ];
    }
    case 'escalation':
      return [
        `Escalation of case ${payload.caseId}${payload.note ? `: ${payload.note}` : ''}`,
        `Contact details: ${payload.contact ?? '(not shared: no consent)'}`,
        ...payload.messages.flatMap((m) => [`--- ${m.day} ${m.author}`, ...(payloadLines(m.payload))]),
      ];
    default:
      return [`${payload.kind}: ${payload.text}`];
  }
}

function payloadLines(value: unknown): string[] {
  const parsed = (value as Payload | null)?.kind ? (value as Payload) : null;
  return parsed ? describe(parsed).map((l) => `    ${l}`) : ['    (unreadable)'];
}

export async function show(ctx: Context, prefix: string): Promise<ReadCase> {
  const read = await load(ctx, prefix);
  const s = read.data.summary;
  if (ctx.json) {
    ctx.out(JSON.stringify({ summary: s, reporterKeyOk: read.reporterKeyOk, entries: read.entries.map((e) => ({ ...e, verdict: verdict(e) })) }, null, 2));
    return read;
  }
  ctx.out(`Case ${s.caseId} · channel ${s.channel} · status ${s.status}${s.escalated ? ` · escalated to ${s.escalatedTo.join(', ')}` : ''}`);
  ctx.out(`Received ${s.receivedOn} · acknowledge by ${s.acknowledgeBy}${s.acknowledgedOn ? ` (acknowledged ${s.acknowledgedOn})` : ''}${s.feedbackBy ? ` · feedback by ${s.feedbackBy}` : ''}${s.overdue ? ' · OVERDUE' : ''}`);
  ctx.out(`Readers: ${read.data.recipients.map((r) => (r.role === 'reporter' ? 'reporter' : r.name)).join(', ')}`);
  if (read.report && !read.reporterKeyOk) ctx.out('WARNING: the reporter key the server lists is not the one inside the report. Reporter messages cannot be verified.');
  const before = read.entries.filter((e) => e.unreadable === 'not-for-this-key');
  if (before.length) ctx.out(`(${before.length} message(s) date from before your key joined this case; what was shared with you is in the escalation below.)`);
  for (const entry of read.entries) {
    if (entry.unreadable === 'not-for-this-key') continue;
    ctx.out('');
    ctx.out(`#${entry.id} ${entry.day} ${entry.thread === 'clb' ? '[escalation thread] ' : ''}${entry.claimedAuthor} · ${verdict(entry)}`);
    if (!entry.payload) ctx.out(`  (cannot read: ${entry.unreadable})`);
    else for (const line of describe(entry.payload)) ctx.out(`  ${line}`);
  }
  return read;
}

// ---- writing ----

async function sendOnCase(ctx: Context, read: ReadCase, payload: Payload) {
  return sealPayload({ payload, signingKey: ctx.key, encryptionKeys: await caseThreadKeys(read, await channelsOf(ctx)) });
}

export async function reply(ctx: Context, prefix: string, text: string) {
  const read = await load(ctx, prefix);
  const message = await sendOnCase(ctx, read, { v: 1, kind: 'reply', text });
  await ctx.client.post(read.data.summary.caseId, 'messages', { thread: 'case', message });
  ctx.out(`Reply sent on case ${read.data.summary.caseId}.`);
}

/** A note on the officer↔CLB thread: from an officer or from CLB. */
export async function note(ctx: Context, prefix: string, text: string) {
  const read = await load(ctx, prefix);
  const message = await sealPayload({ payload: { v: 1, kind: 'note', text }, signingKey: ctx.key, encryptionKeys: await escalationThreadKeys(read, await channelsOf(ctx)) });
  await ctx.client.post(read.data.summary.caseId, 'messages', { thread: 'clb', message });
  ctx.out(`Note sent on the escalation thread of case ${read.data.summary.caseId}.`);
}

export const DEFAULT_ACK = {
  nl: 'Wij hebben uw melding ontvangen en nemen haar in behandeling. Binnen drie maanden hoort u wat we ermee hebben gedaan. Heeft u nog iets toe te voegen, dan kan dat hier met uw code.',
  en: 'We have received your report and are taking it up. Within three months you will hear what we have done with it. If you have anything to add, you can do so here with your code.',
};

export async function ack(ctx: Context, prefix: string, text?: string) {
  const read = await load(ctx, prefix);
  const message = await sendOnCase(ctx, read, { v: 1, kind: 'acknowledgement', text: text ?? DEFAULT_ACK[read.report?.lang ?? 'nl'] });
  const summary = (await ctx.client.post(read.data.summary.caseId, 'acknowledge', { message })) as CaseSummary;
  ctx.out(`Acknowledged case ${summary.caseId}. Feedback is due by ${summary.feedbackBy}.`);
}

export async function status(ctx: Context, prefix: string, value: string, text?: string) {
  if (!['in-progress', 'feedback-given'].includes(value)) {
    throw new CliError(`Status must be in-progress or feedback-given (use close --outcome to close).`);
  }
  const read = await load(ctx, prefix);
  const message = text ? await sendOnCase(ctx, read, { v: 1, kind: 'reply', text }) : undefined;
  await ctx.client.post(read.data.summary.caseId, 'status', { status: value, message });
  ctx.out(`Case ${read.data.summary.caseId} is now ${value}.`);
}

export async function close(ctx: Context, prefix: string, outcome: string) {
  if (!outcome?.trim()) throw new CliError('Closing needs --outcome "text the reporter can read".');
  const read = await load(ctx, prefix);
  const message = await sendOnCase(ctx, read, { v: 1, kind: 'outcome', text: outcome });
  await ctx.client.post(read.data.summary.caseId, 'status', { status: 'closed', message });
  ctx.out(`Case ${read.data.summary.caseId} closed; the reporter can read the outcome.`);
}

/**
 * Re-encrypts the chosen messages to the target's key. Contact details travel only when the
 * reporter consented; with consent the target also joins the reporter's conversation.
 */
export async function escalate(ctx: Context, prefix: string, target: string, options: { messages?: string[]; note?: string }) {
  const read = await load(ctx, prefix);
  const channels = await channelsOf(ctx);
  if (!channels.escalation.some((e) => e.id === target)) {
    throw new CliError(`Unknown escalation target "${target}". Known: ${channels.escalation.map((e) => e.id).join(', ') || 'none'}.`);
  }
  if (!read.report) throw new CliError('The report itself cannot be read; nothing to escalate.');
  const consent = read.report.consent.shareWithClb;
  const chosen = read.entries.filter((e) => e.thread === 'case' && e.payload && (!options.messages || options.messages.includes(e.id)));
  if (options.messages && chosen.length !== options.messages.length) throw new CliError('Some of --messages are not readable messages of this case.');
  const payload: Payload = {
    v: 1,
    kind: 'escalation',
    caseId: read.data.summary.caseId,
    note: options.note ?? '',
    ...(consent ? { contact: read.report.contact } : {}),
    messages: chosen.map((e) => ({
      author: e.claimedAuthor === 'reporter' ? REPORTER : e.claimedAuthor,
      day: e.day,
      // Without consent the report travels without the reporter's contact details.
      payload: e.payload!.kind === 'report' && !consent ? { ...e.payload!, contact: '' } : e.payload,
    })),
  };
  const message = await sealPayload({ payload, signingKey: ctx.key, encryptionKeys: await escalationThreadKeys(read, channels, target) });
  await ctx.client.post(read.data.summary.caseId, 'escalate', { target, joinCase: consent, message });
  ctx.out(
    `Escalated case ${read.data.summary.caseId} to ${target} (${chosen.length} message(s)). ` +
      (consent ? 'The reporter consented: contact details included, and the target now reads the conversation.' : 'No consent: contact details left out; separate thread.'),
  );
}

export async function remove(ctx: Context, prefix: string, confirmed: boolean) {
  const caseId = await ctx.client.resolve(prefix);
  if (!confirmed) throw new CliError(`Deleting is final. Export the case first if it belongs in the register, then run: delete ${caseId} --yes`);
  await ctx.client.request('DELETE', `/api/officer/cases/${caseId}`, undefined, z.object({ deleted: z.string() }));
  ctx.out(`Case ${caseId} deleted.`);
}

/** The OpenPGP files as stored, the reporter's public key, and a readable summary for the register. */
export async function exportCase(ctx: Context, prefix: string, dir: string) {
  const read = await show({ ...ctx, out: () => undefined, json: false }, prefix);
  const s = read.data.summary;
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const m of read.data.messages) {
    const name = `${s.caseId}-${m.id.padStart(3, '0')}-${m.thread}-${m.author}.asc`;
    writeFileSync(join(dir, name), m.message, { mode: 0o600 });
    files.push(name);
  }
  writeFileSync(join(dir, 'reporter-public-key.asc'), read.data.reporterPublicKey);
  for (const e of read.entries) {
    for (const [i, file] of (e.payload && 'attachments' in e.payload ? e.payload.attachments : []).entries()) {
      writeFileSync(join(dir, `${s.caseId}-${e.id.padStart(3, '0')}-attachment-${i}-${file.name.replace(/[^\w.-]/g, '_')}`), Buffer.from(file.data, 'base64'), { mode: 0o600 });
    }
  }
  const lines = [
    `# Case ${s.caseId}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| channel | ${s.channel} |`,
    `| status | ${s.status} |`,
    `| received | ${s.receivedOn} |`,
    `| acknowledged | ${s.acknowledgedOn ?? '-'} (due ${s.acknowledgeBy}) |`,
    `| feedback due | ${s.feedbackBy ?? '-'} |`,
    `| closed | ${s.closedOn ?? '-'} |`,
    `| escalated | ${s.escalated ? s.escalatedTo.join(', ') : 'no'} |`,
    `| exported | ${dayOf(new Date())} |`,
    '',
    'Every message below is also in this folder as the OpenPGP file the server stored;',
    '`gpg --decrypt FILE` with the officer key reads it without this software.',
    '',
    ...read.entries.flatMap((e) => [
      `## #${e.id} · ${e.day} · ${e.claimedAuthor}${e.thread === 'clb' ? ' · escalation thread' : ''}`,
      '',
      `*${verdict(e)}*`,
      '',
      ...(e.payload ? describe(e.payload).map((l) => `    ${l}`) : [`(cannot read: ${e.unreadable})`]),
      '',
    ]),
  ];
  writeFileSync(join(dir, `${s.caseId}-summary.md`), lines.join('\n'), { mode: 0o600 });
  ctx.out(`Exported ${files.length} message(s) and a summary to ${dir}.`);
  return files;
}

export async function init(out: (line: string) => void, options: { name: string; file: string; passphrase: string }) {
  const key = await generateNamedKey(options.name, options.passphrase);
  mkdirSync(join(options.file, '..'), { recursive: true });
  writeFileSync(options.file, key.lockedPrivateKey, { mode: 0o600, flag: 'wx' });
  out(`Private key (locked with your passphrase) written to ${options.file}. Keep it on this machine only, and back it up offline.`);
  out(`Fingerprint: ${key.fingerprint}`);
  out('Give this public key to the operator, to put in meldpunt.config.json:');
  out('');
  out(key.publicKey);
}
