/**
 * Decrypts and verifies a case on the officer's machine. Reporter messages are trusted only if
 * signed by the key whose fingerprint is inside the first, encrypted report (for CLB: inside the
 * officer's signed escalation): the server cannot swap that key without the report showing it. Officer and CLB messages verify against the published
 * channel keys (channels.json), never against keys the API lists.
 */
import type { OfficerKey } from '../shared/protocol/external-key.ts';
import type * as openpgp from 'openpgp';
import type { PublicChannels } from '../shared/config/schema.ts';
import type { Thread } from '../shared/schemas/api.ts';
import type { CaseHead, OfficerCase, OfficerMessage } from '../shared/schemas/officer-api.ts';
import { payloadSchema, reportPayloadSchema, widerConsent, type ClbConsent, type Payload, type ReportPayload } from '../shared/schemas/payload.ts';
import { openPayload, type ExpectedSigner, type SignatureCheck } from '../shared/protocol/envelope.ts';
import { CryptoError } from '../shared/protocol/errors.ts';
import { fingerprintOf, readPublicKey } from '../shared/protocol/keys.ts';
import { CliError } from './errors.ts';
import { fastSessionKey } from './fast-session-key.ts';
import { messageMark, orderProblems, type OrderProblem } from '../shared/protocol/order.ts';
import { channelChain, moveUndone, rightlyPlaced } from '../shared/protocol/channel-chain.ts';

export interface Entry {
  id: string;
  day: string;
  thread: Thread;
  claimedAuthor: string;
  payload: Payload | null;
  unreadable: string | null;
  signature: SignatureCheck;
  /** Set when a signed payload names another case: the server moved it here. */
  otherCase: string | null;
  /** A verified officer or CLB payload from before payloads named their case: it could be a copy. */
  unbound?: boolean;
  /** What the signed order of its thread says of this message (shared/protocol/order.ts). */
  order?: OrderProblem;
  /** The message's mark, which later payloads name. */
  mark?: string | null;
  /** The key its signature verified with: the seals of the files it names must be signed with it too. */
  signerKey?: openpgp.PublicKey;
}

/** Marks each entry with what the signed order of its thread says, thread by thread, in the server's order. */
async function checkOrder(entries: Entry[], messages: OfficerMessage[]) {
  const marks = new Map(await Promise.all(messages.map(async (m) => [`${m.thread}#${m.id}`, await messageMark(m.message)] as const)));
  for (const thread of ['case', 'clb', 'internal'] as const) {
    const on = entries.filter((e) => e.thread === thread);
    const problems = orderProblems(on.map((e) => ({ id: e.id, mark: marks.get(`${thread}#${e.id}`) ?? null, after: e.payload && e.payload.kind !== 'report' ? e.payload.after : undefined })));
    for (const e of on) {
      e.order = problems.get(e.id);
      e.mark = marks.get(`${thread}#${e.id}`) ?? null;
    }
  }
}

/** The mark of the latest message on `thread`, for a new payload's `after`. */
export async function lastMark(read: ReadCase, thread: Thread): Promise<string | undefined> {
  const last = read.data.messages.filter((m) => m.thread === thread).sort((a, b) => Number(a.id) - Number(b.id)).at(-1);
  return (last && (await messageMark(last.message))) ?? undefined;
}

/**
 * Every payload names the case it was written for (its reporter key's fingerprint): one naming
 * another case is the server's copy, NOT VERIFIED. Reporter messages are bound by their key anyway;
 * an officer's or CLB's payload without the name is from before it was added, and marked so.
 */
function bindToCase(entries: Entry[], report: ReportPayload | null) {
  if (!report) return;
  for (const e of entries) {
    if (!e.payload || e.payload.kind === 'report' || e.otherCase) continue;
    const named = e.payload.case;
    if (named && named !== report.reporterFingerprint) e.otherCase = `the case of reporter key ${named}`;
    else if (!named && e.signature.status === 'verified' && e.signature.name !== REPORTER) e.unbound = true;
  }
}

export interface ReadCase {
  data: OfficerCase;
  /** The report: from the first message, or (for CLB) from the officer's signed escalation of this case. */
  report: ReportPayload | null;
  /** Where `report` came from. */
  reportSource: 'report' | 'escalation' | null;
  /** The reporter key the server lists is the one the report names, and (when readable) it signed the report. */
  reporterKeyOk: boolean;
  reporterKey: openpgp.PublicKey;
  entries: Entry[];
  /**
   * What the reporter allows CLB to receive: their choice in the report, widened only by a later
   * `consent` message that verifies against the reporter key. Unsigned or forged consent counts
   * for nothing. `none` if the report cannot be read.
   */
  consent: ClbConsent;
  /** Channels the reporter agreed, in messages signed with their key, that the case may move to. */
  moveConsents: string[];
  /**
   * The case is in the channel the reporter chose, or one they agreed to move it to. If not, the
   * server moved it on its own: nothing is sent to its readers.
   */
  channelOk: boolean;
  /** A signed move put the case elsewhere, and the server lists it back in another channel. */
  movedUndone: boolean;
  /** Where the last signed move put the case (or the report's channel). */
  movedTo: string;
}

/** The reporter's consent, from the report and from consent messages signed by the reporter. */
export function consentOf(report: ReportPayload | null, entries: Entry[], reporterKeyOk: boolean): ClbConsent {
  if (!report) return 'none';
  let consent = report.consent.clb;
  for (const entry of entries) {
    const signedByReporter = reporterKeyOk && entry.signature.status === 'verified' && entry.signature.name === REPORTER;
    if (entry.thread === 'case' && signedByReporter && entry.payload?.kind === 'consent') consent = widerConsent(consent, entry.payload.clb);
  }
  return consent;
}

export const REPORTER = 'melder (reporter)';

/**
 * The published keys that sign on a channel's cases: the officers of every channel (a case that
 * moved keeps the messages its first officers signed) and (unless `officersOnly`, which means this
 * channel's officers only) the escalation targets.
 */
function publishedSigners(channels: PublicChannels, channelId: string, officersOnly = false): Promise<ExpectedSigner[]> {
  // Read (and validated) once per published list: the desk reads hundreds of cases with the same keys.
  const cache = signerCache.get(channels) ?? new Map<string, Promise<ExpectedSigner[]>>();
  signerCache.set(channels, cache);
  const id = officersOnly ? `${channelId}\nofficers` : 'all';
  let signers = cache.get(id);
  if (!signers) {
    const officers = officersOnly ? (channels.channels.find((c) => c.id === channelId)?.recipients ?? []) : channels.channels.flatMap((c) => c.recipients);
    const listed = [...new Map([...officers, ...(officersOnly ? [] : channels.escalation)].map((r) => [r.publicKey, r])).values()];
    signers = Promise.all(listed.map(async (r) => ({ name: r.name, key: await readPublicKey(r.publicKey) })));
    cache.set(id, signers);
  }
  return signers;
}
const signerCache = new WeakMap<PublicChannels, Map<string, Promise<ExpectedSigner[]>>>();

async function open(message: OfficerMessage, key: OfficerKey, signers: ExpectedSigner[]): Promise<Entry> {
  const entry = { id: message.id, day: message.day, thread: message.thread, claimedAuthor: message.author, otherCase: null };
  try {
    const opened = await openPayload({ message: message.message, decryptionKey: key, expectedSigners: signers, sessionKey: fastSessionKey });
    const parsed = payloadSchema.safeParse(opened.payload);
    const sig = opened.signature;
    const signerKey = sig.status === 'verified' ? signers.find((s) => fingerprintOf(s.key) === sig.fingerprint)?.key : undefined;
    return { ...entry, payload: parsed.success ? parsed.data : null, unreadable: parsed.success ? null : 'bad-payload', signature: sig, signerKey };
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    return { ...entry, payload: null, unreadable: e.kind, signature: { status: 'unsigned' } };
  }
}

/**
 * The report as the officer passed it on in a verified escalation of this very case: CLB cannot
 * read the first message (it was not encrypted to CLB), so this is how it learns which reporter key
 * to trust. The officer's tool checked that key against the report before escalating.
 */
function escalatedReport(entries: Entry[]): ReportPayload | null {
  for (const entry of [...entries].reverse()) {
    if (entry.payload?.kind !== 'escalation' || entry.signature.status !== 'verified' || entry.otherCase) continue;
    for (const m of entry.payload.messages) {
      const report = reportPayloadSchema.safeParse(m.payload);
      if (report.success) return report.data;
    }
  }
  return null;
}

export async function readCase(data: OfficerCase, key: OfficerKey, channels: PublicChannels): Promise<ReadCase> {
  const reporterKey = await readPublicKey(data.reporterPublicKey);
  const staff = await publishedSigners(channels, data.summary.channel);
  const caseId = data.summary.caseId;

  // The escalation thread: only officers and targets write there.
  const escalation: Entry[] = [];
  for (const m of data.messages.filter((m) => m.thread === 'clb')) {
    const entry = await open(m, key, staff);
    if (entry.payload?.kind === 'escalation' && entry.payload.caseId !== caseId) entry.otherCase = entry.payload.caseId;
    escalation.push(entry);
  }

  // The report, and with it the one reporter key whose messages count as the reporter's.
  const first = data.messages.find((m) => m.id === '0' && m.thread === 'case');
  let opened: Entry | null = null;
  let report: ReportPayload | null = null;
  let reportSource: ReadCase['reportSource'] = null;
  let reporterKeyOk = false;
  if (first) {
    opened = await open(first, key, [{ name: REPORTER, key: reporterKey }]);
    if (opened.payload?.kind === 'report') {
      report = opened.payload;
      reportSource = 'report';
      reporterKeyOk = opened.signature.status === 'verified' && report.reporterFingerprint === fingerprintOf(reporterKey);
      if (!reporterKeyOk) opened.signature = { status: 'unsigned' };
    }
  }
  if (!report) {
    report = escalatedReport(escalation);
    reportSource = report ? 'escalation' : null;
    reporterKeyOk = report?.reporterFingerprint === fingerprintOf(reporterKey);
  }

  const signers = [...(reporterKeyOk ? [{ name: REPORTER, key: reporterKey }] : []), ...staff];
  const conversation: Entry[] = opened ? [opened] : [];
  for (const m of data.messages.filter((m) => m.thread === 'case' && m !== first)) conversation.push(await open(m, key, signers));
  // Internal notes: only the channel's own officers write (and read) them.
  const internal = data.messages.filter((m) => m.thread === 'internal');
  const officers = internal.length ? await publishedSigners(channels, data.summary.channel, true) : [];
  for (const m of internal) conversation.push(await open(m, key, officers));
  const entries = [...conversation, ...escalation].sort((a, b) => Number(a.id) - Number(b.id));
  bindToCase(entries, report);
  await checkOrder(entries, data.messages);
  // The channel from signed messages alone: the report's, then each agreed and signed move in order.
  const chain = channelChain(
    report?.channel ?? '',
    entries
      .filter((e) => e.thread === 'case')
      .map((e) => {
        const signer = e.signature.status === 'verified' && !e.otherCase && e.order !== 'replayed' ? e.signature.name : null;
        return { byReporter: reporterKeyOk && signer === REPORTER, byStaff: signer !== null && signer !== REPORTER, payload: e.payload, mark: e.mark ?? null };
      }),
  );
  const moveConsents = chain.agreed;
  const channelOk = !!report && rightlyPlaced(chain, data.summary.channel);
  const movedUndone = !!report && moveUndone(chain, data.summary.channel);
  return { data, report, reportSource, reporterKeyOk, reporterKey, entries, consent: consentOf(report, entries, reporterKeyOk), moveConsents, channelOk, movedUndone, movedTo: chain.current };
}

/**
 * The report of a case head, decrypted: enough to title the case in a list before its other
 * messages arrive. Its signature is not checked here (that is most of a case's time): the list
 * shows no verdict, and `readCase`, which the case view waits for, checks everything.
 */
export async function readHeadReport(head: CaseHead, key: OfficerKey): Promise<ReportPayload | null> {
  if (!head.report) return null;
  const opened = await open({ id: '0', day: head.summary.receivedOn, thread: 'case', author: 'reporter', message: head.report }, key, []);
  return opened.payload?.kind === 'report' ? opened.payload : null;
}

async function publishedKey(channels: PublicChannels, fingerprint: string): Promise<openpgp.PublicKey> {
  for (const r of [...channels.channels.flatMap((c) => c.recipients), ...channels.escalation]) {
    const key = await readPublicKey(r.publicKey);
    if (fingerprintOf(key) === fingerprint) return key;
  }
  throw new CliError(`The case lists a reader (${fingerprint}) that is not in the published channel keys. Not sending anything.`);
}

/** The keys a message on the reporter's conversation goes to: exactly the case's readers, all checked. */
export async function caseThreadKeys(read: ReadCase, channels: PublicChannels): Promise<openpgp.PublicKey[]> {
  if (!read.reporterKeyOk) throw new CliError('The reporter key on this case does not match the report itself. Not sending anything.');
  if (read.movedUndone) {
    throw new CliError(`The case was moved to channel "${read.movedTo}" (signed), but the server lists it in "${read.data.summary.channel}" again: the move was undone. Not sending anything.`);
  }
  if (!read.channelOk) throw new CliError(`The case is listed in channel "${read.data.summary.channel}", which the reporter neither chose nor agreed to. Not sending anything.`);
  const channel = channels.channels.find((c) => c.id === read.data.summary.channel);
  const officers = new Set(await Promise.all((channel?.recipients ?? []).map(async (r) => fingerprintOf(await readPublicKey(r.publicKey)) as string)));
  const stranger = read.data.recipients.find((r) => r.role === 'officer' && !officers.has(r.fingerprint));
  if (stranger) throw new CliError(`The case lists ${stranger.name} as an officer, but that key is not an officer of channel "${read.data.summary.channel}". Not sending anything.`);
  // A CLB reader must be a published escalation target, and the reporter must have signed consent to it.
  const targets = new Set(await Promise.all(channels.escalation.map(async (e) => fingerprintOf(await readPublicKey(e.publicKey)) as string)));
  for (const r of read.data.recipients.filter((r) => r.role === 'clb')) {
    if (!targets.has(r.fingerprint)) throw new CliError(`The case lists ${r.name} as CLB, but that key is not a published escalation target. Not sending anything.`);
    if (read.consent !== 'conversation') {
      throw new CliError(`The case lists ${r.name} as a reader of the conversation, but the reporter's signed consent does not allow it (${read.consent}). Not sending anything.`);
    }
  }
  const others = read.data.recipients.filter((r) => r.role !== 'reporter');
  return [read.reporterKey, ...(await Promise.all(others.map((r) => publishedKey(channels, r.fingerprint))))];
}

/** The keys of internal notes: the channel's officers, from the published keys. */
export async function officerKeys(read: ReadCase, channels: PublicChannels): Promise<openpgp.PublicKey[]> {
  const channel = channels.channels.find((c) => c.id === read.data.summary.channel);
  if (!channel) throw new CliError(`Channel ${read.data.summary.channel} is not published.`);
  return Promise.all(channel.recipients.map((r) => readPublicKey(r.publicKey)));
}

/** The keys of the officer↔CLB thread: the channel's officers and the targets the case went to. */
export async function escalationThreadKeys(read: ReadCase, channels: PublicChannels, extraTarget?: string): Promise<openpgp.PublicKey[]> {
  const channel = channels.channels.find((c) => c.id === read.data.summary.channel);
  if (!channel) throw new CliError(`Channel ${read.data.summary.channel} is not published.`);
  const targets = [...new Set([...read.data.summary.escalatedTo, ...(extraTarget ? [extraTarget] : [])])];
  const targetKeys = targets.map((id) => {
    const target = channels.escalation.find((e) => e.id === id);
    if (!target) throw new CliError(`Escalation target "${id}" is not published.`);
    return target.publicKey;
  });
  return Promise.all([...channel.recipients.map((r) => r.publicKey), ...targetKeys].map(readPublicKey));
}
