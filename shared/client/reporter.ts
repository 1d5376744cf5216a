/**
 * The reporter's side of protocol v1, over fetch, the same in the browser and in Node tests:
 * submit a report, open a case with the code, add a message. Imports openpgp.js: the web app
 * loads this module lazily, after first paint.
 */
import type * as openpgp from 'openpgp';
import type * as z from 'zod/mini';
import {
  challengeSchema,
  caseViewSchema,
  fileUrlSchema,
  postedSchema,
  receiptSchema,
  uploadFinishedSchema,
  uploadStartedSchema,
  type CaseView,
  type Receipt,
  type StoredMessage,
} from '../schemas/api.ts';
import { downloadAndDecrypt, encryptAndUpload, newFileId, type FileCheck } from './files.ts';
import { payloadSchema, reportPayloadSchema, widerConsent, type ClbConsent, type FileRef, type Payload, type PayloadInput } from '../schemas/payload.ts';
import type { PublicChannels } from '../config/schema.ts';
import { toBase64Url } from '../protocol/bytes.ts';
import { generateCode, type RetrievalCode } from '../protocol/code.ts';
import { deriveCodeKeys, type AccessKey } from '../protocol/derive.ts';
import { openPayload, sealPayload, type ExpectedSigner, type SignatureCheck } from '../protocol/envelope.ts';
import { CryptoError } from '../protocol/errors.ts';
import { fingerprintOf, generateReporterKey, readPublicKey, unlockPrivateKey } from '../protocol/keys.ts';
import { solveChallenge } from '../protocol/pow.ts';
import { ApiError, call, type ApiClient } from './api.ts';
import { messageMark, orderProblems, type OrderProblem } from '../protocol/order.ts';
import { channelChain, moveUndone, rightlyPlaced } from '../protocol/channel-chain.ts';

export type ReportInput = Omit<z.input<typeof reportPayloadSchema>, 'v' | 'kind' | 'reporterFingerprint' | 'files'>;
export type SubmitStep = 'keys' | 'encrypt' | 'pow' | 'upload';

/** A file to send, after any metadata removal: what is read is what is hashed, encrypted and sent. */
export interface OutgoingFile {
  blob: Blob;
  name: string;
  type: string;
  metadataKept?: boolean;
}

/** Progress of one file: bytes of the original encrypted and handed to the upload so far; `stored` once the server has checked and kept it. */
export type FileProgress = (index: number, bytes: number, stored?: boolean) => void;

/** What the message says of each file: nothing that needs its bytes read, so the message goes first. */
const describeFiles = (files: OutgoingFile[]): FileRef[] =>
  files.map((f) => ({ id: newFileId(), name: f.name.slice(0, 200), type: (f.type || 'application/octet-stream').slice(0, 100), size: f.blob.size, metadataKept: f.metadataKept ?? false }));

/** Uploads each described file, encrypted to `keys` and sealed with the reporter's key, on a proven case. Returns the ids that failed. */
async function uploadFiles(options: {
  api: ApiClient;
  accessKey: AccessKey;
  proof: Proof;
  files: OutgoingFile[];
  refs: FileRef[];
  keys: openpgp.PublicKey[];
  reporterKey: openpgp.PrivateKey;
  onProgress?: FileProgress;
  signal?: AbortSignal;
}): Promise<string[]> {
  const failed: string[] = [];
  for (const [i, ref] of options.refs.entries()) {
    const body = { accessKey: options.accessKey, pow: options.proof, fileId: ref.id };
    try {
      await encryptAndUpload({
        file: options.files[i]!.blob,
        seal: { caseFingerprint: fingerprintOf(options.reporterKey), fileId: ref.id },
        signingKey: options.reporterKey,
        encryptionKeys: options.keys,
        target: {
          base: options.api.base,
          fetch: options.api.fetch,
          start: () => call(options.api, '/api/case/files/start', body, uploadStartedSchema, options.signal),
          finish: (parts, seal) => call(options.api, '/api/case/files/finish', { ...body, parts, seal }, uploadFinishedSchema, options.signal),
        },
        onProgress: (n) => options.onProgress?.(i, n),
        signal: options.signal,
      });
      options.onProgress?.(i, ref.size, true);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      failed.push(ref.id);
    }
  }
  return failed;
}

interface Proof {
  token: string;
  nonce: string;
}

async function prove(api: ApiClient, purpose: 'submit' | 'open', accessKey: AccessKey, signal?: AbortSignal): Promise<Proof> {
  const challenge = await call(api, '/api/challenge', { purpose }, challengeSchema, signal);
  return { token: challenge.token, nonce: await solveChallenge(challenge, accessKey, { signal }) };
}

/** Runs `send` with a proof, getting a fresh one once if the server says it expired. */
async function withProof<T>(api: ApiClient, purpose: 'submit' | 'open', accessKey: AccessKey, proof: Proof | null, send: (p: Proof) => Promise<T>): Promise<T> {
  const first = proof ?? (await prove(api, purpose, accessKey));
  try {
    return await send(first);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'pow-expired') return send(await prove(api, purpose, accessKey));
    throw e;
  }
}

/** The shipped keys of a channel, never keys from the API. */
async function channelKeys(channels: PublicChannels, channelId: string) {
  const channel = channels.channels.find((c) => c.id === channelId);
  if (!channel) throw new CryptoError('bad-key', `this page does not know channel "${channelId}"`);
  return Promise.all(channel.recipients.map(async (r) => ({ name: r.name, key: await readPublicKey(r.publicKey) })));
}

export async function submitReport(options: {
  api: ApiClient;
  channels: PublicChannels;
  report: ReportInput;
  files?: OutgoingFile[];
  onStep?: (step: SubmitStep) => void;
  onFileProgress?: FileProgress;
  /** Called once the report is stored, before any file is sent: the code is the reporter's from here on. */
  onSubmitted?: (code: RetrievalCode, receipt: Receipt) => void;
  signal?: AbortSignal;
}): Promise<{ code: RetrievalCode; receipt: Receipt; timings: Record<SubmitStep, number>; failedFiles: string[] }> {
  const { api, report } = options;
  const timings = { keys: 0, encrypt: 0, pow: 0, upload: 0 };
  const step = async <T>(name: SubmitStep, work: () => Promise<T>): Promise<T> => {
    options.onStep?.(name);
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[name] += performance.now() - start;
    }
  };

  const code = generateCode();
  const { accessKey, unlockPassphrase } = await deriveCodeKeys(code);
  const outgoing = options.files ?? [];
  // The proof of work needs only the access key: it is solved (in workers, where there are cores
  // to spare) while this thread makes the key and encrypts, and stopped if either fails.
  const stop = new AbortController();
  const stopWith = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stopWith, { once: true });
  const sealAndProve = async () => {
    const proving = prove(api, 'submit', accessKey, stop.signal);
    proving.catch(() => {}); // awaited below, unless key generation or encryption fails first
    const reporterKey = await step('keys', () => generateReporterKey(unlockPassphrase));
    const readers = [...(await channelKeys(options.channels, report.channel)).map((r) => r.key), reporterKey.unlocked.toPublic()];
    const refs = describeFiles(outgoing);
    const message = await step('encrypt', async () => {
      const payload = reportPayloadSchema.parse({ ...report, v: 1, kind: 'report', reporterFingerprint: reporterKey.fingerprint, files: refs });
      return sealPayload({ payload, signingKey: reporterKey.unlocked, encryptionKeys: readers });
    });
    // What is left of the proof of work once the report is sealed: the wait the reporter sees.
    return { reporterKey, readers, refs, message, proof: await step('pow', () => proving) };
  };
  let sealed: Awaited<ReturnType<typeof sealAndProve>>;
  try {
    sealed = await sealAndProve();
  } catch (e) {
    stop.abort(e);
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', stopWith);
  }
  const { reporterKey, readers, refs, message, proof } = sealed;
  const receipt = await step('upload', () =>
    withProof(api, 'submit', accessKey, proof, (pow) =>
      call(
        api,
        '/api/reports',
        {
          v: 1,
          accessKey,
          channel: report.channel,
          reporterPublicKey: reporterKey.publicKey,
          lockedPrivateKey: reporterKey.lockedPrivateKey,
          message,
          pow,
          files: refs.map(({ id, size }) => ({ id, size })),
        },
        receiptSchema,
        options.signal,
      ),
    ),
  );
  // The report is stored and the code is the reporter's from here on; files follow on the proven case.
  options.onSubmitted?.(code, receipt);
  const failedFiles = refs.length
    ? await uploadFiles({ api, accessKey, proof: await prove(api, 'open', accessKey, options.signal), files: outgoing, refs, keys: readers, reporterKey: reporterKey.unlocked, onProgress: options.onFileProgress, signal: options.signal })
    : [];
  return { code, receipt, timings, failedFiles };
}

export interface ThreadEntry {
  id: string;
  day: string;
  /** Who the server says wrote it: only `signature` is evidence. */
  claimedAuthor: StoredMessage['author'];
  payload: Payload | null;
  /** Why the entry could not be read, when `payload` is null. */
  unreadable: string | null;
  signature: SignatureCheck;
  /** What the signed order says of this message: one before it is missing, or it was moved up. */
  order?: Exclude<OrderProblem, 'replayed'>;
}

export interface CaseRecipient {
  role: 'reporter' | 'officer' | 'clb';
  name: string;
  fingerprint: string;
  /** False when the server lists a key this page did not ship with (a key substitution attempt), or CLB without the reporter's consent. */
  trusted: boolean;
  /** Why it is not trusted: a key this page does not know, or CLB in a conversation the reporter did not open to CLB. */
  problem?: 'unknown-key' | 'no-consent';
}

/** A key outside the conversation that received the report without contact details. */
export interface SharedWith {
  name: string;
  fingerprint: string;
  received: 'report-without-contact';
  trusted: boolean;
}

export interface OpenedCase {
  view: CaseView;
  thread: ThreadEntry[];
  recipients: CaseRecipient[];
  sharedWith: SharedWith[];
  /** What the reporter allows CLB: their report's choice, widened by their own signed consent messages. */
  consent: ClbConsent;
  /** The officer's latest verified request for wider consent that is still wider than `consent`. */
  /** `answered`: the reporter's signed "not now" (a "no" closes the request). */
  consentRequest: { scope: Exclude<ClbConsent, 'none'>; text: string; answered?: 'not-now' } | null;
  /** The officer's latest verified question whether the case may move to channel `to`, not yet answered. */
  /** `mark`: the request's mark, which the consent names so that it counts for this one move. */
  moveRequest: { to: string; text: string; mark: string | null; channelName: PublicChannels['channels'][number]['name']; readers: string[] } | null;
  /**
   * The case is in the channel the reporter chose, or one they agreed (signed) to move it to. If
   * not, the server moved it on its own: nothing is sent, and the page says so.
   */
  channelOk: boolean;
  /** A signed move put the case elsewhere, and the server lists it back in another channel: nothing is sent. */
  movedUndone: boolean;
  session: CaseSession;
}

export interface CaseSession {
  api: ApiClient;
  accessKey: AccessKey;
  proof: Proof | null;
  privateKey: openpgp.PrivateKey;
  /** The keys later messages go to, all from this page's own config. Null if the server listed an unknown key. */
  encryptionKeys: openpgp.PublicKey[] | null;
  /** The mark of the latest message on the conversation, which the next payload names as its `after`. */
  lastMark?: string;
  /** Who signed the verified message naming each file: the file's seal must be signed by the same key. */
  fileSigners?: Map<string, openpgp.PublicKey>;
}

export async function openCase(options: { api: ApiClient; channels: PublicChannels; code: RetrievalCode; signal?: AbortSignal }): Promise<OpenedCase> {
  const { api } = options;
  const { accessKey, unlockPassphrase } = await deriveCodeKeys(options.code);
  const proof = await prove(api, 'open', accessKey, options.signal);
  const view = await call(api, '/api/case', { accessKey, pow: proof }, caseViewSchema, options.signal);
  const privateKey = await unlockPrivateKey(view.lockedPrivateKey, unlockPassphrase);
  return readCase(view, options.channels, { api, accessKey, proof, privateKey, encryptionKeys: null });
}

/** Fetches the case again with an open session (after a reply, say), without the code. */
export async function refreshCase(session: CaseSession, channels: PublicChannels, signal?: AbortSignal): Promise<OpenedCase> {
  const view = await withProof(session.api, 'open', session.accessKey, session.proof, async (pow) => {
    const fetched = await call(session.api, '/api/case', { accessKey: session.accessKey, pow }, caseViewSchema, signal);
    session.proof = pow;
    return fetched;
  });
  return readCase(view, channels, session);
}

async function readCase(view: CaseView, channels: PublicChannels, session: CaseSession): Promise<OpenedCase> {
  const own = session.privateKey.toPublic();
  const officersHere = await channelKeys(channels, view.channel);
  const escalation = await Promise.all(channels.escalation.map(async (e) => ({ name: e.name, key: await readPublicKey(e.publicKey) })));
  // Readers: only this channel's officers and the escalation targets, as this page shipped them.
  const byFingerprint = new Map([...officersHere, ...escalation].map((s) => [fingerprintOf(s.key) as string, s]));
  // Signers: the officers of every channel (a case that moved keeps its first officers' replies) and the targets.
  const signers = new Map<string, ExpectedSigner>();
  for (const c of channels.channels) for (const o of await channelKeys(channels, c.id)) signers.set(fingerprintOf(o.key), o);
  for (const e of escalation) signers.set(fingerprintOf(e.key), e);
  const expectedSigners: ExpectedSigner[] = [{ name: 'reporter', key: own }, ...signers.values()];

  const thread: ThreadEntry[] = [];
  for (const m of view.messages) {
    const entry: ThreadEntry = { id: m.id, day: m.day, claimedAuthor: m.author, payload: null, unreadable: null, signature: { status: 'unsigned' } };
    try {
      const opened = await openPayload({ message: m.message, decryptionKey: session.privateKey, expectedSigners });
      entry.signature = opened.signature;
      const parsed = payloadSchema.safeParse(opened.payload);
      // A payload written for another case (another reporter key) is the server's copy: not shown, and said so.
      if (parsed.success && parsed.data.kind !== 'report' && parsed.data.case && parsed.data.case !== fingerprintOf(own)) {
        entry.unreadable = 'other-case';
        entry.signature = { status: 'unsigned' };
      } else if (parsed.success) entry.payload = parsed.data;
      else entry.unreadable = 'bad-payload';
    } catch (e) {
      if (!(e instanceof CryptoError)) throw e;
      entry.unreadable = e.kind;
    }
    thread.push(entry);
  }
  // The signed order: a gap or a reordering is named; a replayed copy is not shown.
  const marks = await Promise.all(view.messages.map((m) => messageMark(m.message)));
  const problems = orderProblems(thread.map((e, i) => ({ id: e.id, mark: marks[i] ?? null, after: e.payload && e.payload.kind !== 'report' ? e.payload.after : undefined })));
  for (const e of thread) {
    const problem = problems.get(e.id);
    if (problem === 'replayed') {
      e.payload = null;
      e.unreadable = 'replayed';
      e.signature = { status: 'unsigned' };
    } else if (problem) e.order = problem;
  }
  session.lastMark = marks.at(-1) ?? undefined;
  session.fileSigners = new Map();
  for (const e of thread) {
    const signer = e.signature.status === 'verified' ? expectedSigners.find((x) => fingerprintOf(x.key) === (e.signature as { fingerprint: string }).fingerprint) : undefined;
    if (signer && e.payload && 'files' in e.payload) for (const f of e.payload.files) session.fileSigners.set(f.id, signer.key);
  }
  // A reader is trusted if the page ships its key in that role; CLB only if the reporter's own
  // signed consent lets CLB into the conversation.
  const { consent, consentRequest } = consentIn(thread);
  const known = (r: CaseView['recipients'][number]) =>
    r.role === 'reporter' ? r.fingerprint === fingerprintOf(own) : (r.role === 'officer' ? officersHere : escalation).some((s) => fingerprintOf(s.key) === r.fingerprint);
  const recipients: CaseRecipient[] = view.recipients.map((r) => {
    if (!known(r)) return { ...r, trusted: false, problem: 'unknown-key' };
    if (r.role === 'clb' && consent !== 'conversation') return { ...r, trusted: false, problem: 'no-consent' };
    return { ...r, trusted: true };
  });
  const others = recipients.filter((r) => r.role !== 'reporter');
  // The channel from signed messages alone: the one the reporter chose, then each move they agreed
  // to and an officer signed as done, in order. Anywhere else, nothing is sent.
  const chosen = thread.find((e) => e.signature.status === 'verified' && e.signature.name === 'reporter' && e.payload?.kind === 'report')?.payload;
  const chain = channelChain(
    chosen?.kind === 'report' ? chosen.channel : '',
    thread.map((e, i) => {
      const verified = e.signature.status === 'verified';
      const byReporter = verified && (e.signature as { name?: string }).name === 'reporter';
      return { byReporter, byStaff: verified && !byReporter, payload: e.payload, mark: marks[i] ?? null };
    }),
  );
  const agreed = chain.agreed;
  const channelOk = !!chosen && rightlyPlaced(chain, view.channel);
  const movedUndone = !!chosen && moveUndone(chain, view.channel);
  const encryptionKeys = channelOk && recipients.every((r) => r.trusted) ? [own, ...others.map((r) => byFingerprint.get(r.fingerprint)!.key)] : null;
  session.encryptionKeys = encryptionKeys;
  const escalationKeys = new Set(await Promise.all(channels.escalation.map(async (e) => fingerprintOf(await readPublicKey(e.publicKey)) as string)));
  const sharedWith = view.sharedWith.map((s) => ({ ...s, trusted: escalationKeys.has(s.fingerprint) }));
  return { view, thread, recipients, sharedWith, consent, consentRequest, moveRequest: moveRequestIn(thread, marks, view.channel, agreed, channels), channelOk, movedUndone, session };
}

/** The latest verified move request from the case's officers that the reporter has not agreed to and that has not happened. */
function moveRequestIn(thread: ThreadEntry[], marks: Array<string | null>, channel: string, agreed: string[], channels: PublicChannels): OpenedCase['moveRequest'] {
  let request: { to: string; text: string; mark: string | null } | null = null;
  for (const [i, e] of thread.entries()) {
    if (e.signature.status === 'verified' && e.signature.name !== 'reporter' && e.payload?.kind === 'move-request') request = { to: e.payload.to, text: e.payload.text, mark: marks[i] ?? null };
  }
  // Only to a channel this page ships: its readers are the ones the reporter is shown.
  const target = channels.channels.find((c) => c.id === request?.to);
  if (!request || !target || request.to === channel || agreed.includes(request.to)) return null;
  return { ...request, channelName: target.name, readers: target.recipients.map((r) => r.name) };
}

/** Consent as the reporter's own signed messages say it, and what the officers asked for since. */
function consentIn(thread: ThreadEntry[]): Pick<OpenedCase, 'consent' | 'consentRequest'> {
  let consent: ClbConsent = 'none';
  let consentRequest: OpenedCase['consentRequest'] = null;
  for (const entry of thread) {
    const p = entry.payload;
    if (entry.signature.status !== 'verified' || !p) continue;
    const mine = entry.signature.name === 'reporter';
    if (mine && p.kind === 'report') consent = widerConsent(consent, p.consent.clb);
    if (mine && p.kind === 'consent') consent = widerConsent(consent, p.clb);
    if (!mine && p.kind === 'consent-request') consentRequest = { scope: p.scope, text: p.text };
    if (mine && p.kind === 'consent-answer' && consentRequest) consentRequest = p.answer === 'no' ? null : { ...consentRequest, answered: 'not-now' };
  }
  if (consentRequest && widerConsent(consent, consentRequest.scope) === consent) consentRequest = null;
  return { consent, consentRequest };
}

/** Signs, encrypts to the case's readers and sends one payload; a retry with the same id is stored once. */
async function postPayload(session: CaseSession, payload: PayloadInput, options: { signal?: AbortSignal; files?: FileRef[] } = {}): Promise<{ id: string; day: string }> {
  if (!session.encryptionKeys) {
    throw new CryptoError('bad-key', 'the server lists a reader this page does not know; nothing was sent');
  }
  // Named for its case by the reporter key's fingerprint (a copy in another case reads NOT VERIFIED),
  // and after the latest message the reporter saw (a reordering or a gap shows).
  const placed = { case: fingerprintOf(session.privateKey), ...(session.lastMark ? { after: session.lastMark } : {}) };
  const message = await sealPayload({ payload: payloadSchema.parse({ ...payload, ...placed }), signingKey: session.privateKey, encryptionKeys: session.encryptionKeys });
  // One id for this message, however often it is sent: the server stores it once.
  const messageId = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const files = (options.files ?? []).map(({ id, size }) => ({ id, size }));
  return withProof(session.api, 'open', session.accessKey, session.proof, async (pow) => {
    const posted = await call(session.api, '/api/case/messages', { accessKey: session.accessKey, pow, messageId, message, files }, postedSchema, options.signal);
    session.proof = pow;
    session.lastMark = (await messageMark(message)) ?? session.lastMark;
    return posted;
  });
}

/** Sends text and files; the message (with each file's description) first, then the files. Returns the ids of files that failed to upload. */
export async function postMessage(
  session: CaseSession,
  text: string,
  signal?: AbortSignal,
  options: { files?: OutgoingFile[]; onFileProgress?: FileProgress } = {},
): Promise<{ id: string; day: string; failedFiles: string[] }> {
  const outgoing = options.files ?? [];
  if (outgoing.length && !session.encryptionKeys) throw new CryptoError('bad-key', 'the server lists a reader this page does not know; nothing was sent');
  const refs = describeFiles(outgoing);
  const posted = await postPayload(session, { v: 1, kind: 'reporter-message', text, attachments: [], files: refs }, { signal, files: refs });
  const failedFiles = refs.length
    ? await uploadFiles({ api: session.api, accessKey: session.accessKey, proof: session.proof!, files: outgoing, refs, keys: session.encryptionKeys!, reporterKey: session.privateKey, onProgress: options.onFileProgress, signal })
    : [];
  return { ...posted, failedFiles };
}

/** Asks for a meeting and proposes times; the officer answers in the conversation. */
export const requestMeeting = (session: CaseSession, mode: 'in-person' | 'phone' | 'video', times: string, signal?: AbortSignal) =>
  postPayload(session, { v: 1, kind: 'meeting-request', mode, times }, { signal });

/** Agrees with, or corrects, a record the officer made: signed with the reporter's key, so only the reporter can. */
export const respondToRecord = (session: CaseSession, recordId: string, answer: { agreed: true } | { agreed: false; corrections: string }, signal?: AbortSignal) =>
  postPayload(session, { v: 1, kind: 'record-response', recordId, agreed: answer.agreed, corrections: answer.agreed ? '' : answer.corrections }, { signal });

/** Downloads, decrypts and checks one file of the case against its signed description. */
export async function downloadFile(session: CaseSession, ref: Pick<FileRef, 'id' | 'size' | 'sha256'>, sink: (chunk: Uint8Array) => void | Promise<void>, signal?: AbortSignal): Promise<FileCheck> {
  let where: z.infer<typeof fileUrlSchema>;
  try {
    where = await withProof(session.api, 'open', session.accessKey, session.proof, (pow) => call(session.api, '/api/case/files/get', { accessKey: session.accessKey, pow, fileId: ref.id }, fileUrlSchema, signal));
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) return { status: 'unreadable', reason: e.message };
    throw e;
  }
  const signer = session.fileSigners?.get(ref.id);
  return downloadAndDecrypt({
    ...where,
    sealedBy: signer ? { signer, caseFingerprint: fingerprintOf(session.privateKey) } : undefined,
    base: session.api.base,
    fetch: session.api.fetch,
    decryptionKey: session.privateKey,
    expected: ref,
    sink,
    signal,
  });
}

/** Agrees that the case moves to channel `to`: signed with the reporter's key, so neither the server nor an officer can make it up. */
/** Agrees to the one move request whose mark is `request`: a signed consent for that move alone. */
export const agreeToMove = (session: CaseSession, to: string, request?: string | null, signal?: AbortSignal) =>
  postPayload(session, { v: 1, kind: 'move-consent', to, ...(request ? { request } : {}) }, { signal });

/** Answers a request for wider consent with a signed "no" or "not now": nothing is widened. */
export const answerConsentRequest = (session: CaseSession, answer: 'no' | 'not-now', scope: Exclude<ClbConsent, 'none'>, signal?: AbortSignal) =>
  postPayload(session, { v: 1, kind: 'consent-answer', answer, scope }, { signal });

/** Widens what CLB may receive: a message signed with the reporter's key, so the server cannot forge it. */
export const giveConsent = (session: CaseSession, clb: Exclude<ClbConsent, 'none'>, signal?: AbortSignal) => postPayload(session, { v: 1, kind: 'consent', clb }, { signal });
