/**
 * Decrypts and verifies a case on the officer's machine. Reporter messages are trusted only if
 * signed by the key whose fingerprint is inside the first, encrypted report: the server cannot swap
 * that key without the report showing it. Officer and CLB messages verify against the published
 * channel keys (channels.json), never against keys the API lists.
 */
import type * as openpgp from 'openpgp';
import type { PublicChannels } from '../shared/config/schema.ts';
import type { OfficerCase } from '../shared/schemas/officer-api.ts';
import { payloadSchema, type Payload, type ReportPayload } from '../shared/schemas/payload.ts';
import { openPayload, type ExpectedSigner, type SignatureCheck } from '../shared/protocol/envelope.ts';
import { CryptoError } from '../shared/protocol/errors.ts';
import { fingerprintOf, readPublicKey } from '../shared/protocol/keys.ts';
import { CliError } from './errors.ts';

export interface Entry {
  id: string;
  day: string;
  thread: 'case' | 'clb';
  claimedAuthor: string;
  payload: Payload | null;
  unreadable: string | null;
  signature: SignatureCheck;
}

export interface ReadCase {
  data: OfficerCase;
  report: ReportPayload | null;
  /** The reporter key the server lists is the one inside the report, and it signed the report. */
  reporterKeyOk: boolean;
  reporterKey: openpgp.PublicKey;
  entries: Entry[];
}

export const REPORTER = 'melder (reporter)';

async function publishedSigners(channels: PublicChannels, channelId: string): Promise<ExpectedSigner[]> {
  const channel = channels.channels.find((c) => c.id === channelId);
  const listed = [...(channel?.recipients ?? []), ...channels.escalation];
  return Promise.all(listed.map(async (r) => ({ name: r.name, key: await readPublicKey(r.publicKey) })));
}

async function open(message: string, key: openpgp.PrivateKey, signers: ExpectedSigner[]) {
  try {
    const opened = await openPayload({ message, decryptionKey: key, expectedSigners: signers });
    const parsed = payloadSchema.safeParse(opened.payload);
    return { payload: parsed.success ? parsed.data : null, unreadable: parsed.success ? null : 'bad-payload', signature: opened.signature };
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    return { payload: null, unreadable: e.kind, signature: { status: 'unsigned' } as SignatureCheck };
  }
}

export async function readCase(data: OfficerCase, key: openpgp.PrivateKey, channels: PublicChannels): Promise<ReadCase> {
  const reporterKey = await readPublicKey(data.reporterPublicKey);
  const staff = await publishedSigners(channels, data.summary.channel);
  const first = data.messages.find((m) => m.id === '0');
  let report: ReportPayload | null = null;
  let reporterKeyOk = false;
  const entries: Entry[] = [];
  if (first) {
    const opened = await open(first.message, key, [{ name: REPORTER, key: reporterKey }]);
    if (opened.payload?.kind === 'report') {
      report = opened.payload;
      reporterKeyOk = opened.signature.status === 'verified' && report.reporterFingerprint === fingerprintOf(reporterKey);
    }
    entries.push({ ...first, claimedAuthor: first.author, ...opened, signature: reporterKeyOk ? opened.signature : { status: 'unsigned' } });
  }
  const signers = [...(reporterKeyOk ? [{ name: REPORTER, key: reporterKey }] : []), ...staff];
  for (const m of data.messages) {
    if (m.id === '0') continue;
    entries.push({ id: m.id, day: m.day, thread: m.thread, claimedAuthor: m.author, ...(await open(m.message, key, signers)) });
  }
  return { data, report, reporterKeyOk, reporterKey, entries };
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
  const others = read.data.recipients.filter((r) => r.role !== 'reporter');
  return [read.reporterKey, ...(await Promise.all(others.map((r) => publishedKey(channels, r.fingerprint))))];
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
