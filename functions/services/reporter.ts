/**
 * What a reporter can do: ask for a challenge, submit a report, open their case with the access
 * key, and add a message. Every message stored must be ciphertext for exactly the case's recipients.
 */
import type { CaseView, OpenCaseRequest, PostMessageRequest, Receipt, Recipient, SubmitRequest } from '../../shared/schemas/api.ts';
import type { Day } from '../../shared/schemas/primitives.ts';
import { ALPHABET } from '../../shared/protocol/code.ts';
import { createHash } from 'node:crypto';
import { utf8 } from '../../shared/protocol/bytes.ts';
import { checkArmoredMessage, forExactly } from '../../shared/protocol/ciphertext.ts';
import { commitmentOf, proofStatement } from '../../shared/protocol/proof.ts';
import type { ArmoredMessage } from '../../shared/protocol/envelope.ts';
import { CryptoError } from '../../shared/protocol/errors.ts';
import { checkReporterKeys } from './reporter-key.ts';
import { acknowledgeBy, addDays, dayOf, feedbackBy } from '../../shared/wbk/deadlines.ts';
import { AppError, badRequest } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { RuntimeConfig, RuntimeChannel } from '../config.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { ObjectStore } from '../files/object-store.ts';
import type { FileStore } from '../store/files.ts';
import { declareFiles, undeclareFiles } from './files.ts';
import type { Mailer } from '../mail/mailer.ts';
import { MessageIdInUse, type CaseStore } from '../store/cases.ts';
import type { CaseDoc } from '../store/case-doc.ts';
import { checkProof } from './pow.ts';

export interface ReporterDeps {
  cases: CaseStore;
  files: FileStore;
  objects: ObjectStore;
  keys: KeyService;
  mailer: Mailer;
  clock: Clock;
  runtime: RuntimeConfig;
}

const powDeps = (deps: ReporterDeps) => ({ keys: deps.keys, clock: deps.clock, difficulty: deps.runtime.config.powDifficulty });


/** 16 Crockford base32 symbols (80 bits) of the access key's HMAC: the case's id in the table. */
export async function caseIdFor(keys: KeyService, accessKey: string): Promise<string> {
  const mac = await keys.lookupMac(utf8(accessKey));
  let bits = 0;
  let value = 0;
  let id = '';
  for (const byte of mac.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      id += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}

/** The receipt, with a freshly signed proof of reporting for the report as stored. */
async function receiptOf(deps: ReporterDeps, doc: CaseDoc): Promise<Receipt> {
  const statement = proofStatement({ organisation: deps.runtime.config.organisation, receivedOn: doc.receivedOn, commitment: await commitmentOf(doc.first) });
  const signature = Buffer.from(await deps.keys.signProof(utf8(statement))).toString('base64');
  return { status: 'received', receivedOn: doc.receivedOn, acknowledgeBy: acknowledgeBy(doc.receivedOn), proof: { statement, signature } };
}


function channelOf(deps: ReporterDeps, id: string): RuntimeChannel {
  const channel = deps.runtime.channels.get(id);
  if (!channel) throw badRequest('unknown-channel', `There is no channel "${id}".`);
  return channel;
}

/**
 * Refuses anything but ciphertext addressed to exactly `expected` key IDs; returns the canonical
 * armor to store in its place, so nothing outside the checked packets is ever kept.
 */
export function checkRecipients(message: string, expected: readonly string[]): ArmoredMessage {
  let checked: ReturnType<typeof checkArmoredMessage>;
  try {
    checked = checkArmoredMessage(message);
  } catch (e) {
    if (e instanceof CryptoError) throw badRequest('not-encrypted', `The message must be one OpenPGP message encrypted to the case's keys, and nothing else (${e.message}); plaintext is never accepted.`);
    throw e;
  }
  if (!forExactly(checked.keyIds, expected)) {
    throw badRequest('wrong-recipients', 'The message is not encrypted to exactly the keys of this case.');
  }
  return checked.canonical;
}

export async function submit(deps: ReporterDeps, request: SubmitRequest): Promise<{ receipt: Receipt; created: boolean }> {
  const channel = channelOf(deps, request.channel);
  await checkProof(powDeps(deps), 'submit', request.pow, request.accessKey);

  // Key times against the real clock, as openpgp.js checked them; `deps.clock` is the Wbk calendar's (tests move it).
  const reporter = await checkReporterKeys(request.reporterPublicKey, request.lockedPrivateKey, Date.now());
  const { publicKey, lockedPrivateKey } = reporter;
  const recipientKeyIds = [reporter.encryptionKeyId, ...channel.recipients.map((r) => r.encryptionKeyId)];
  const message = checkRecipients(request.message, recipientKeyIds);

  const caseId = await caseIdFor(deps.keys, request.accessKey);
  const today: Day = dayOf(deps.clock.now());
  const recipients: Recipient[] = [
    { role: 'reporter', name: 'Melder', fingerprint: reporter.fingerprint },
    ...channel.recipients.map((r): Recipient => ({ role: 'officer', name: r.name, fingerprint: r.fingerprint })),
  ];
  const doc: CaseDoc = {
    caseId,
    channel: request.channel,
    status: 'received',
    escalated: false,
    escalatedTo: [],
    receivedOn: today,
    acknowledgedOn: null,
    closedOn: null,
    feedbackOn: null,
    reporterPublicKey: publicKey,
    reporterFingerprint: reporter.fingerprint,
    lockedPrivateKey,
    recipients,
    recipientKeyIds,
    submissionDigest: createHash('sha256').update([request.channel, publicKey, lockedPrivateKey, message].join('\n')).digest('hex'),
    first: message,
  };
  const result = await deps.cases.create(doc);
  // Files are declared after the case exists; a retried submission declares the same ones again, harmlessly.
  if (result.created || result.existing.submissionDigest === doc.submissionDigest) {
    await declareFiles(deps, result.created ? doc : result.existing, 'case', 'reporter', request.files ?? []);
  }
  // No mail now: the hourly notice (services/notices.ts) announces it, so no mail tells when it came.
  if (result.created) return { receipt: await receiptOf(deps, doc), created: true };
  if (result.existing.submissionDigest === doc.submissionDigest) return { receipt: await receiptOf(deps, result.existing), created: false };
  throw new AppError('conflict', 'code-in-use', 'A different report already uses this code. Start again with a new code.');
}

async function findCase(deps: ReporterDeps, request: { accessKey: string; pow: { token: string; nonce: string } }) {
  await checkProof(powDeps(deps), 'open', request.pow, request.accessKey);
  const found = await deps.cases.get(await caseIdFor(deps.keys, request.accessKey));
  if (!found) throw new AppError('not-found', 'not-found', 'No report was found for this code. Check that you typed it exactly.');
  return found.doc;
}

export async function openCase(deps: ReporterDeps, request: OpenCaseRequest): Promise<CaseView> {
  const doc = await findCase(deps, request);
  const later = await deps.cases.messages(doc.caseId, 'case');
  return {
    channel: doc.channel,
    status: doc.status,
    escalated: doc.escalated,
    receivedOn: doc.receivedOn,
    acknowledgedOn: doc.acknowledgedOn,
    closedOn: doc.closedOn,
    deadlines: {
      acknowledgeBy: acknowledgeBy(doc.receivedOn),
      feedbackBy: doc.acknowledgedOn ? feedbackBy(doc.acknowledgedOn) : null,
    },
    reporterPublicKey: doc.reporterPublicKey,
    lockedPrivateKey: doc.lockedPrivateKey,
    files: (await deps.files.list(doc.caseId)).filter((f) => f.thread === 'case').map((f) => ({ id: f.fileId, state: f.state, bytes: f.storedBytes })),
    recipients: doc.recipients,
    sharedWith: doc.escalatedTo.flatMap((id) => {
      const target = deps.runtime.escalation.get(id);
      if (!target || doc.recipients.some((r) => r.fingerprint === target.fingerprint)) return [];
      return [{ name: target.name, fingerprint: target.fingerprint, received: 'report-without-contact' as const }];
    }),
    deleteAfter: doc.closedOn ? addDays(doc.closedOn, deps.runtime.config.retentionDays) : null,
    messages: [
      { id: '0', author: 'reporter', day: doc.receivedOn, message: doc.first },
      ...later.map(({ id, author, day, message }) => ({ id, author, day, message })),
    ],
  };
}

/** The case a file request is about, found and proven with the access key. */
export const caseForFiles = (deps: ReporterDeps, request: { accessKey: string; pow: { token: string; nonce: string } }) => findCase(deps, request);

export async function postMessage(deps: ReporterDeps, request: PostMessageRequest): Promise<{ id: string; day: Day }> {
  const doc = await findCase(deps, request);
  if (doc.status === 'closed') throw new AppError('conflict', 'case-closed', 'This case is closed; new messages can no longer be added.');
  const message = checkRecipients(request.message, doc.recipientKeyIds);
  const declared = await declareFiles(deps, doc, 'case', 'reporter', request.files);
  let stored;
  try {
    // Stored only while the readers it was checked against are still the case's (not moved meanwhile).
    stored = await deps.cases.appendMessage(doc.caseId, { author: 'reporter', day: dayOf(deps.clock.now()), message, thread: 'case' }, request.messageId, doc);
  } catch (e) {
    // Nothing of a refused message remains: its files are undeclared before the answer.
    await undeclareFiles(deps, declared);
    if (e instanceof MessageIdInUse) throw new AppError('conflict', 'message-id-in-use', 'Another message was already sent under this message id. Send it again as a new message.');
    throw e;
  }
  // Announced by the hourly notice, like a new report.
  return { id: stored.id, day: stored.day };
}
