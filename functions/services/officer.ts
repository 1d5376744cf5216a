/**
 * What integrity officers and escalation targets (CLB) can do, each request signed with their
 * OpenPGP key. An officer key reaches only the cases of its own channels; a target key only the
 * cases escalated to it. The server still never sees plaintext: every message is ciphertext checked
 * for its exact recipients.
 */
import type * as z from 'zod/mini';
import type { CaseStatus, Thread } from '../../shared/schemas/api.ts';
import type { CaseHead, CaseSummary, OfficerCase, OfficerMessage } from '../../shared/schemas/officer-api.ts';
import type { acknowledgeSchema, escalateSchema, postOfficerMessageSchema, setStatusSchema } from '../../shared/schemas/officer-api.ts';
import { HEADERS, MAX_SKEW_MS } from '../../shared/protocol/request-text.ts';
import { verifyRequestSignature } from '../openpgp/request.ts';
import { acknowledgeBy, addDays, dayOf, feedbackBy, isOverdue, nextDeadline } from '../../shared/wbk/deadlines.ts';
import { AppError, badRequest } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { KeyHolder, RuntimeConfig } from '../config.ts';
import { NOTICES, type Mailer } from '../mail/mailer.ts';
import type { CaseActivity, CaseStore } from '../store/cases.ts';
import type { CaseDoc } from '../store/case-doc.ts';
import { checkRecipients } from './reporter.ts';
import { declareFiles, undeclareFiles, fileUrl, finishUpload, deleteWholeCase, startUpload } from './files.ts';
import type { FileRecord, FileStore } from '../store/files.ts';
import type { ObjectStore } from '../files/object-store.ts';
import type { ArmoredMessage } from '../../shared/protocol/envelope.ts';

export interface OfficerDeps {
  cases: CaseStore;
  files: FileStore;
  objects: ObjectStore;
  mailer: Mailer;
  clock: Clock;
  runtime: RuntimeConfig;
}

/** Who a verified request comes from. */
export type Caller =
  | { kind: 'officer'; holder: KeyHolder; channels: string[] }
  | { kind: 'target'; holder: KeyHolder; targetId: string };

export interface SignedRequest {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string | undefined>;
}

const unauthorized = (code: string, message: string) => new AppError('unauthorized', code, message);
const forbidden = (message: string) => new AppError('forbidden', 'forbidden', message);

function findCaller(runtime: RuntimeConfig, fingerprint: string): Caller | null {
  const channels: string[] = [];
  let holder: KeyHolder | null = null;
  for (const [id, channel] of runtime.channels) {
    const match = channel.recipients.find((r) => r.fingerprint === fingerprint);
    if (match) {
      channels.push(id);
      holder = match;
    }
  }
  if (holder) return { kind: 'officer', holder, channels };
  for (const target of runtime.escalation.values()) {
    if (target.fingerprint === fingerprint) return { kind: 'target', holder: target, targetId: target.id };
  }
  return null;
}

/** Verifies key, timestamp, signature and nonce, in that order; throws a 401 that says which failed. */
export async function authenticate(deps: OfficerDeps, request: SignedRequest): Promise<Caller> {
  const header = (name: string) => request.headers[name] ?? '';
  const fingerprint = header(HEADERS.key).toLowerCase();
  const timestamp = header(HEADERS.timestamp);
  const nonce = header(HEADERS.nonce);
  const signature = header(HEADERS.signature);
  if (!fingerprint || !timestamp || !nonce || !signature) {
    throw unauthorized('unsigned', 'This request must be signed with an officer key (use the Meldpunt officer tool).');
  }
  const caller = findCaller(deps.runtime, fingerprint);
  if (!caller) throw unauthorized('unknown-key', 'This key is not configured for any channel or escalation target.');
  const skew = Math.abs(deps.clock.now().getTime() - Number(timestamp));
  if (!/^\d{10,16}$/.test(timestamp) || !(skew <= MAX_SKEW_MS)) {
    throw unauthorized('stale-request', 'The request is too old or its clock is off by more than 5 minutes. Check your computer\'s clock and try again.');
  }
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) throw unauthorized('bad-nonce', 'The request nonce is malformed.');
  // Key and signature times against the real clock; `deps.clock` is the Wbk calendar's (tests move it).
  const valid = await verifyRequestSignature(caller.holder.signing, { ...request, timestamp, nonce, signature }, Date.now());
  if (!valid) throw unauthorized('bad-signature', 'The request signature does not verify with this key.');
  const fresh = await deps.cases.rememberNonce(`${fingerprint}#${nonce}`, Math.ceil((deps.clock.now().getTime() + 2 * MAX_SKEW_MS) / 1000));
  if (!fresh) throw unauthorized('replayed-request', 'This request was already received once; a replayed request is refused.');
  return caller;
}

export const today = (deps: OfficerDeps) => dayOf(deps.clock.now());

const joined = (doc: CaseDoc, caller: Caller) => caller.kind === 'target' && doc.recipients.some((r) => r.fingerprint === caller.holder.fingerprint);

/** An officer reaches the cases of its channels; a target those escalated to it. */
const mayReach = (caller: Caller, doc: CaseDoc) => (caller.kind === 'officer' ? caller.channels.includes(doc.channel) : doc.escalatedTo.includes(caller.targetId));

/** Whether this caller reads the reporter's conversation: every officer of the case, a target only after joining with consent. */
const seesConversation = (caller: Caller, doc: CaseDoc) => caller.kind === 'officer' || joined(doc, caller);

/** Whether the other side wrote last, as this caller sees the case. */
function awaiting(activity: CaseActivity, caller: Caller, doc: CaseDoc): boolean {
  // A closed case waits for nobody: nothing can be added to it any more.
  if (doc.status === 'closed') return false;
  if (caller.kind === 'target') return activity.lastOnEscalation?.author === 'officer' || (joined(doc, caller) && activity.lastOnCase?.author === 'reporter');
  return activity.lastOnCase?.author === 'reporter' || activity.lastOnEscalation?.author === 'clb';
}

export function summarize(doc: CaseDoc, day: string, activity: CaseActivity, caller: Caller, retentionDays: number): CaseSummary {
  return {
    caseId: doc.caseId,
    channel: doc.channel,
    status: doc.status,
    escalated: doc.escalated,
    escalatedTo: doc.escalatedTo,
    receivedOn: doc.receivedOn,
    acknowledgedOn: doc.acknowledgedOn,
    closedOn: doc.closedOn,
    feedbackOn: doc.feedbackOn,
    acknowledgeBy: acknowledgeBy(doc.receivedOn),
    feedbackBy: doc.acknowledgedOn ? feedbackBy(doc.acknowledgedOn) : null,
    deleteAfter: doc.closedOn ? addDays(doc.closedOn, retentionDays) : null,
    nextDeadline: nextDeadline(doc),
    overdue: isOverdue(doc, day),
    activity,
    awaitingYou: awaiting(activity, caller, doc),
  };
}

export async function listCases(deps: OfficerDeps, caller: Caller): Promise<CaseSummary[]> {
  const listed =
    caller.kind === 'officer'
      ? (await Promise.all(caller.channels.map((c) => deps.cases.listByChannelWithActivity(c)))).flat()
      : await deps.cases.listEscalatedWithActivity(caller.targetId);
  const day = today(deps);
  return listed
    .map(({ doc, activity }) => summarize(doc, day, activity, caller, deps.runtime.config.retentionDays))
    .sort((a, b) => (a.nextDeadline ?? '9999') .localeCompare(b.nextDeadline ?? '9999') || a.receivedOn.localeCompare(b.receivedOn));
}

/** The case, if this caller may see it; otherwise 404 or 403. */
export async function reachable(deps: OfficerDeps, caller: Caller, caseId: string) {
  const found = await deps.cases.get(caseId);
  if (!found) throw new AppError('not-found', 'not-found', `There is no case ${caseId}.`);
  const { doc } = found;
  if (!mayReach(caller, doc)) throw forbidden('This case is not in a channel or escalation of your key.');
  return found;
}


export async function getCase(deps: OfficerDeps, caller: Caller, caseId: string): Promise<OfficerCase> {
  const { doc, activity } = await reachable(deps, caller, caseId);
  return caseFor(deps, caller, doc, activity);
}

/**
 * A case as this caller may read it: only the threads it reads, and their files. A target sees the
 * officer↔target thread, and the reporter's conversation only if it joined it with consent; never
 * the officers' internal notes.
 */
async function caseFor(deps: OfficerDeps, caller: Caller, doc: CaseDoc, activity: CaseActivity, read?: { later: StoredLater; files: FileRecord[] }): Promise<OfficerCase> {
  const caseId = doc.caseId;
  const seesCase = seesConversation(caller, doc);
  const threads = threadsOf(doc, caller);
  const [later, files] = read ? [read.later, read.files] : await Promise.all([deps.cases.messages(caseId), deps.files.list(caseId)]);
  const messages: OfficerMessage[] = [
    ...(seesCase ? [{ id: '0', author: 'reporter' as const, day: doc.receivedOn, thread: 'case' as const, message: doc.first }] : []),
    ...later.filter((m) => threads.includes(m.thread)),
  ];
  return {
    summary: summarize(doc, today(deps), activity, caller, deps.runtime.config.retentionDays),
    reporterPublicKey: doc.reporterPublicKey,
    recipients: doc.recipients,
    messages,
    files: files.filter((f) => threads.includes(f.thread)).map((f) => ({ id: f.fileId, thread: f.thread, state: f.state, bytes: f.storedBytes })),
  };
}

/** Responses stay well under API Gateway's and Lambda's 6 MB. */
const READ_BUDGET_CHARS = 4 * 1024 * 1024;

/**
 * Many cases at once, for a desk that lists hundreds: those this caller may read, in the order
 * asked, as many as fit in one response; the rest come back in `more` to ask for next.
 */
export async function readCases(deps: OfficerDeps, caller: Caller, caseIds: string[]): Promise<{ cases: OfficerCase[]; more: string[] }> {
  const found = await Promise.all(
    caseIds.map(async (caseId) => {
      const { found: got, messages, others } = await deps.cases.whole(caseId);
      if (!got) return null;
      return mayReach(caller, got.doc) ? caseFor(deps, caller, got.doc, got.activity, { later: messages, files: deps.files.fromItems(others) }) : null;
    }),
  );
  const cases: OfficerCase[] = [];
  let used = 0;
  for (const [i, c] of found.entries()) {
    if (!c) continue;
    const size = c.messages.reduce((n, m) => n + m.message.length, c.reporterPublicKey.length + 2048);
    if (cases.length > 0 && used + size > READ_BUDGET_CHARS) return { cases, more: caseIds.slice(i) };
    cases.push(c);
    used += size;
  }
  return { cases, more: [] };
}

/**
 * The case items of many cases in one batch read, for a desk that titles hundreds: summary,
 * readers and the report (for a key that reads the conversation). No messages, no files.
 */
export async function readHeads(deps: OfficerDeps, caller: Caller, caseIds: string[]): Promise<{ heads: CaseHead[]; more: string[] }> {
  const found = new Map((await deps.cases.getMany(caseIds)).map((c) => [c.doc.caseId, c]));
  const day = today(deps);
  const heads: CaseHead[] = [];
  let used = 0;
  for (const [i, caseId] of caseIds.entries()) {
    const got = found.get(caseId);
    if (!got) continue;
    const { doc, activity } = got;
    if (!mayReach(caller, doc)) continue;
    const report = seesConversation(caller, doc) ? doc.first : null;
    const size = (report?.length ?? 0) + doc.reporterPublicKey.length + 2048;
    if (heads.length > 0 && used + size > READ_BUDGET_CHARS) return { heads, more: caseIds.slice(i) };
    used += size;
    heads.push({ summary: summarize(doc, day, activity, caller, deps.runtime.config.retentionDays), reporterPublicKey: doc.reporterPublicKey, recipients: doc.recipients, report });
  }
  return { heads, more: [] };
}

/** Encryption key IDs of the channel's officers: the readers of internal notes. */
type StoredLater = Awaited<ReturnType<CaseStore['messages']>>;

export const officerKeyIds = (deps: OfficerDeps, doc: CaseDoc): string[] => deps.runtime.channels.get(doc.channel)?.recipients.map((r) => r.encryptionKeyId) ?? [];

/** Encryption key IDs of the officer↔target thread: the channel's officers and the targets it was escalated to. */
export function clbThreadKeyIds(deps: OfficerDeps, doc: CaseDoc): string[] {
  const officers = officerKeyIds(deps, doc);
  const targets = doc.escalatedTo.map((id) => deps.runtime.escalation.get(id)?.encryptionKeyId).filter((k): k is string => !!k);
  return [...officers, ...targets];
}

export async function postMessage(
  deps: OfficerDeps,
  caller: Caller,
  caseId: string,
  request: z.infer<typeof postOfficerMessageSchema>,
): Promise<{ id: string; day: string }> {
  const { doc } = await reachable(deps, caller, caseId);
  const thread: Thread = request.thread;
  let message: ArmoredMessage;
  if (thread === 'case') {
    if (caller.kind === 'target' && !joined(doc, caller)) throw forbidden('Your key has not joined the reporter\'s conversation (no consent).');
    if (doc.status === 'closed') throw new AppError('conflict', 'case-closed', 'This case is closed.');
    message = checkRecipients(request.message, doc.recipientKeyIds);
  } else if (thread === 'internal') {
    officerOnly(caller);
    message = checkRecipients(request.message, officerKeyIds(deps, doc));
  } else {
    if (!doc.escalated) throw badRequest('not-escalated', 'This case has not been escalated; there is no escalation thread.');
    message = checkRecipients(request.message, clbThreadKeyIds(deps, doc));
  }
  const declared = await declareFiles(deps, doc, thread, caller.kind === 'officer' ? 'officer' : 'clb', request.files);
  const stored = await deps.cases
    .appendMessage(caseId, { author: caller.kind === 'officer' ? 'officer' : 'clb', day: today(deps), message, thread }, undefined, doc)
    .catch(async (e: unknown) => {
      await undeclareFiles(deps, declared);
      throw e;
    });
  if (thread === 'clb') await notify(deps, caller.kind === 'officer' ? doc.escalatedTo.flatMap((id) => deps.runtime.escalation.get(id)?.email ?? []) : officerEmails(deps, doc), NOTICES.escalationMessage);
  return { id: stored.id, day: stored.day };
}

const officerEmails = (deps: OfficerDeps, doc: CaseDoc) => deps.runtime.channels.get(doc.channel)?.recipients.map((r) => r.email) ?? [];

export async function notify(deps: OfficerDeps, to: string[], notice: { subject: string; text: string }) {
  if (to.length === 0) return;
  try {
    await deps.mailer.send({ to, ...notice });
  } catch {
    console.error('notification mail failed');
  }
}

/** Applies a change to the case document, re-reading on a concurrent write. */
async function change(deps: OfficerDeps, caller: Caller, caseId: string, apply: (doc: CaseDoc) => CaseDoc, expiresAt?: (doc: CaseDoc) => number | undefined) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { doc, version, activity } = await reachable(deps, caller, caseId);
    const next = apply(doc);
    if (await deps.cases.update(caseId, version, next, expiresAt?.(next))) return { next, activity };
  }
  throw new AppError('conflict', 'busy', 'The case changed while saving; please try again.');
}

/** The activity after an officer's message was added to `thread`. */
function appended(activity: CaseActivity, thread: Thread, day: string): CaseActivity {
  const last = { author: 'officer' as const, day };
  return thread === 'case'
    ? { ...activity, caseMessages: activity.caseMessages + 1, lastOnCase: last }
    : { ...activity, escalationMessages: activity.escalationMessages + 1, lastOnEscalation: last };
}

export function officerOnly(caller: Caller): asserts caller is Extract<Caller, { kind: 'officer' }> {
  if (caller.kind !== 'officer') throw forbidden('Only the case\'s own officers can do this.');
}

export async function acknowledge(deps: OfficerDeps, caller: Caller, caseId: string, request: z.infer<typeof acknowledgeSchema>) {
  officerOnly(caller);
  const { doc } = await reachable(deps, caller, caseId);
  if (doc.status === 'closed') throw new AppError('conflict', 'case-closed', 'This case is closed.');
  const message = request.message ? checkRecipients(request.message, doc.recipientKeyIds) : null;
  const day = today(deps);
  const { next, activity } = await change(deps, caller, caseId, (d) => {
    if (d.status === 'closed') throw new AppError('conflict', 'case-closed', 'This case is closed.');
    return { ...d, acknowledgedOn: d.acknowledgedOn ?? day, status: d.status === 'received' ? 'acknowledged' : d.status };
  });
  if (!message) return summarize(next, day, activity, caller, deps.runtime.config.retentionDays);
  await deps.cases.appendMessage(caseId, { author: 'officer', day, message, thread: 'case' }, undefined, doc);
  return summarize(next, day, appended(activity, 'case', day), caller, deps.runtime.config.retentionDays);
}

const ORDER: CaseStatus[] = ['received', 'acknowledged', 'in-progress', 'feedback-given', 'closed'];

/** The status rule, checked against the case as it is written (inside `change`), not as it was read. */
function statusRule(doc: CaseDoc, status: CaseStatus) {
  if (doc.status === 'closed') throw new AppError('conflict', 'case-closed', 'This case is already closed.');
  if (doc.acknowledgedOn === null) throw new AppError('conflict', 'not-acknowledged', 'Acknowledge the case before changing its status.');
  if (ORDER.indexOf(status) < ORDER.indexOf(doc.status)) {
    throw badRequest('status-backwards', `A case that is "${doc.status}" cannot go back to "${status}".`);
  }
}

export async function setStatus(deps: OfficerDeps, caller: Caller, caseId: string, request: z.infer<typeof setStatusSchema>) {
  officerOnly(caller);
  const { doc } = await reachable(deps, caller, caseId);
  statusRule(doc, request.status);
  const message = request.message ? checkRecipients(request.message, doc.recipientKeyIds) : null;
  const day = today(deps);
  const retention = deps.runtime.config.retentionDays;
  const { next, activity } = await change(
    deps,
    caller,
    caseId,
    (d) => {
      statusRule(d, request.status);
      return { ...d, status: request.status, closedOn: request.status === 'closed' ? day : d.closedOn, feedbackOn: d.feedbackOn ?? day };
    },
    // DynamoDB TTL as a backstop for the daily sweep: a day after retention ends.
    (d) => (d.closedOn ? Date.parse(`${addDays(d.closedOn, retention + 1)}T00:00:00Z`) / 1000 : undefined),
  );
  if (!message) return summarize(next, day, activity, caller, deps.runtime.config.retentionDays);
  await deps.cases.appendMessage(caseId, { author: 'officer', day, message, thread: 'case' }, undefined, doc);
  return summarize(next, day, appended(activity, 'case', day), caller, deps.runtime.config.retentionDays);
}

export async function escalate(deps: OfficerDeps, caller: Caller, caseId: string, request: z.infer<typeof escalateSchema>) {
  officerOnly(caller);
  const target = deps.runtime.escalation.get(request.target);
  if (!target) throw badRequest('unknown-target', `There is no escalation target "${request.target}".`);
  const { doc } = await reachable(deps, caller, caseId);
  const withTarget = { ...doc, escalatedTo: [...new Set([...doc.escalatedTo, target.id])] };
  const message = checkRecipients(request.message, clbThreadKeyIds(deps, withTarget));
  const day = today(deps);
  const { next, activity } = await change(deps, caller, caseId, (d) => {
    // The bundle was encrypted for this channel's officers: a move meanwhile makes it wrong.
    if (d.channel !== doc.channel) throw new AppError('conflict', 'busy', 'The case moved while escalating; read it again and retry.');
    const already = d.recipients.some((r) => r.fingerprint === target.fingerprint);
    const join = request.joinCase && !already;
    return {
      ...d,
      escalated: true,
      escalatedTo: [...new Set([...d.escalatedTo, target.id])],
      recipients: join ? [...d.recipients, { role: 'clb', name: target.name, fingerprint: target.fingerprint }] : d.recipients,
      recipientKeyIds: join ? [...d.recipientKeyIds, target.encryptionKeyId] : d.recipientKeyIds,
    };
  });
  await deps.cases.markEscalated(caseId, target.id);
  await declareFiles(deps, next, 'clb', 'officer', request.files);
  await deps.cases.appendMessage(caseId, { author: 'officer', day, message, thread: 'clb' }, undefined, next);
  const after = appended(activity, 'clb', day);
  await notify(deps, [target.email], NOTICES.escalation);
  return summarize(next, day, after, caller, deps.runtime.config.retentionDays);
}

export async function deleteCase(deps: OfficerDeps, caller: Caller, caseId: string): Promise<void> {
  officerOnly(caller);
  await reachable(deps, caller, caseId);
  await deleteWholeCase(deps, caseId);
}

/** The threads of a case this caller reads. */
const threadsOf = (doc: CaseDoc, caller: Caller): Thread[] => (caller.kind === 'officer' ? ['case', 'clb', 'internal'] : joined(doc, caller) ? ['case', 'clb'] : ['clb']);

/** The readers a file on `thread` must be encrypted to. */
const fileReaders = (deps: OfficerDeps, doc: CaseDoc, thread: Thread) =>
  thread === 'case' ? doc.recipientKeyIds : thread === 'internal' ? officerKeyIds(deps, doc) : clbThreadKeyIds(deps, doc);

export async function fileAction(deps: OfficerDeps, caller: Caller, caseId: string, fileId: string, action: 'get' | 'start' | 'finish', parts: Array<{ partNumber: number; etag: string }> = [], seal?: string) {
  const { doc } = await reachable(deps, caller, caseId);
  const author = caller.kind === 'officer' ? 'officer' : 'clb';
  switch (action) {
    case 'get':
      return fileUrl(deps, doc, fileId, threadsOf(doc, caller));
    case 'start':
      return startUpload(deps, doc, fileId, author);
    case 'finish': {
      const file = await deps.files.get(caseId, fileId);
      return finishUpload(deps, doc, fileId, author, parts, fileReaders(deps, doc, file?.thread ?? 'case'), seal);
    }
  }
}
