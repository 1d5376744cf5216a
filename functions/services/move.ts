/**
 * Moving a case to another channel, after the reporter agreed (the officer's tool checks their
 * signed consent; the server cannot read it). Every message and file the case keeps gets new
 * session key packets in front of the same encrypted data, so the reporter's signatures stay as
 * they were, and stored files are rewritten without the old readers' packets.
 */
import type { MoveCase } from '../../shared/schemas/officer-api.ts';
import type { Thread } from '../../shared/schemas/api.ts';
import { armor, dearmor } from '../../shared/protocol/armor.ts';
import { fromBase64Url, toBase64Url } from '../../shared/protocol/bytes.ts';
import { checkPackets, forExactly } from '../../shared/protocol/ciphertext.ts';
import type { ArmoredMessage } from '../../shared/protocol/envelope.ts';
import { CryptoError } from '../../shared/protocol/errors.ts';
import { readPackets, TAG, writePackets, type Packet } from '../../shared/protocol/packets.ts';
import { AppError, badRequest } from '../errors.ts';
import { NOTICES } from '../mail/mailer.ts';
import type { CaseDoc } from '../store/case-doc.ts';
import type { FileRecord } from '../store/files.ts';
import { HEAD_BYTES, objectKey, settleMovedFile, undeclareFiles } from './files.ts';
import { clbThreadKeyIds, notify, officerKeyIds, officerOnly, reachable, summarize, today, type Caller, type OfficerDeps } from './officer.ts';
import { checkRecipients } from './reporter.ts';

/** Session key packets sent for a move, read without trusting them: the caller checks the readers. */
function headerPackets(header: string): Packet[] {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(header);
  } catch {
    throw badRequest('bad-header', 'A session key header is not valid base64url.');
  }
  try {
    const packets = readPackets(bytes);
    if (packets.length === 0 || packets.some((p) => p.tag !== TAG.pkesk)) throw new CryptoError('not-encrypted', 'only session key packets');
    return packets;
  } catch (e) {
    if (e instanceof CryptoError) throw badRequest('bad-header', 'A session key header must be session key packets (PKESK) and nothing else.');
    throw e;
  }
}

/** The stored message with its session key packets replaced: the same encrypted data, new readers, checked exactly. */
function rewrapped(stored: ArmoredMessage, header: string, readers: readonly string[]): ArmoredMessage {
  const data = checkPackets(dearmor(stored, 'MESSAGE')).packets.at(-1)!;
  return checkRecipients(armor('MESSAGE', writePackets([...headerPackets(header), data])), readers);
}

/**
 * Moves a case to another channel after the reporter agreed (the officer's tool checks their signed
 * consent; the server cannot read it). Every message and file the case keeps gets new session key
 * packets in front of the same encrypted data, so the reporter's signatures stay as they were. The
 * request must cover exactly what is stored; anything else is refused before anything changes.
 * Internal notes and unfinished uploads are deleted: they were for the old channel only.
 */
export async function moveCase(deps: OfficerDeps, caller: Caller, caseId: string, request: MoveCase) {
  officerOnly(caller);
  // Read before the messages and files are listed: the move is written only if no message was
  // appended and no file completed since, so it covers everything present at its write.
  const { doc, version, counts, activity } = await reachable(deps, caller, caseId);
  if (doc.status === 'closed') throw new AppError('conflict', 'case-closed', 'A closed case cannot be moved.');
  const to = deps.runtime.channels.get(request.to);
  if (!to) throw badRequest('unknown-channel', `There is no channel "${request.to}".`);
  if (request.to === doc.channel) throw badRequest('same-channel', 'The case is already in this channel.');

  const leaving = new Set(officerKeyIds(deps, doc));
  const moved: CaseDoc = {
    ...doc,
    channel: request.to,
    recipients: [
      ...doc.recipients.filter((r) => r.role === 'reporter'),
      ...to.recipients.map((r) => ({ role: 'officer' as const, name: r.name, fingerprint: r.fingerprint })),
      ...doc.recipients.filter((r) => r.role === 'clb'),
    ],
    recipientKeyIds: [...new Set([...doc.recipientKeyIds.filter((k) => !leaving.has(k)), ...to.recipients.map((r) => r.encryptionKeyId)])],
  };
  const readers = (thread: Thread) => (thread === 'case' ? moved.recipientKeyIds : clbThreadKeyIds(deps, moved));

  const [later, files] = await Promise.all([deps.cases.messages(caseId), deps.files.list(caseId)]);
  const kept = later.filter((m) => m.thread !== 'internal');
  const keptFiles = files.filter((f) => f.thread !== 'internal' && f.state === 'complete');
  const sameSet = (asked: Array<{ id: string }>, stored: string[]) => {
    const ids = new Set(asked.map((a) => a.id));
    return ids.size === asked.length && ids.size === stored.length && stored.every((id) => ids.has(id));
  };
  if (!sameSet(request.messages, ['0', ...kept.map((m) => m.id)]) || !sameSet(request.files, keptFiles.map((f) => f.fileId))) {
    throw new AppError('conflict', 'move-incomplete', 'A move must give new session keys for every message and file of the conversation and the CLB thread, each once. The case may have changed since it was read: read it again and retry.');
  }
  const header = new Map([...request.messages, ...request.files].map((h) => [h.id, h.header]));

  // Everything is checked before anything is written.
  const notice = request.notice ? checkRecipients(request.notice, moved.recipientKeyIds) : null;
  const first = rewrapped(doc.first, header.get('0')!, moved.recipientKeyIds);
  const messages = kept.map((m) => ({ id: m.id, message: rewrapped(m.message, header.get(m.id)!, readers(m.thread)) }));
  const fileHeaders: FileRecord[] = [];
  for (const file of keptFiles) {
    const stored = await deps.objects.head(objectKey(caseId, file.fileId), HEAD_BYTES);
    if (!stored) throw new AppError('conflict', 'file-missing', `File ${file.fileId} is missing from storage; it cannot be moved.`);
    // The object keeps the session key packets it was uploaded with; the new ones are put in their place when it is read.
    const skip = readPackets(stored.head, { truncated: true }).find((p) => p.tag === TAG.seipd)?.start ?? 0;
    const fresh = headerPackets(header.get(file.fileId)!);
    const keyIds = checkPackets(new Uint8Array([...writePackets(fresh), ...stored.head.subarray(skip)]), { truncated: stored.size > stored.head.length }).keyIds;
    if (!forExactly(keyIds, readers(file.thread))) throw badRequest('wrong-recipients', `File ${file.fileId} is not re-encrypted to exactly the new readers.`);
    fileHeaders.push({ ...file, header: toBase64Url(writePackets(fresh)), skip });
  }

  const day = today(deps);
  const next: CaseDoc = { ...moved, first };
  if (!(await deps.cases.update(caseId, version, next, undefined, counts))) {
    throw new AppError('conflict', 'busy', 'The case changed while moving (a message or file arrived, or another change). Nothing was moved: read it again and retry.');
  }
  for (const m of messages) await deps.cases.replaceMessage(caseId, m.id, m.message);
  // The signed word that the move happened, for the new readers: a server that undoes the move is seen doing it.
  if (notice) await deps.cases.appendMessage(caseId, { author: 'officer', day, message: notice, thread: 'case' }, undefined, next);
  for (const m of later.filter((l) => l.thread === 'internal')) await deps.cases.removeMessage(caseId, m.id);
  for (const f of fileHeaders) await deps.files.put(caseId, f);
  for (const f of fileHeaders) await settleMovedFile(deps, caseId, f);
  for (const f of files.filter((f) => !keptFiles.includes(f))) {
    if (f.uploadId && f.state !== 'complete') await deps.objects.abort(objectKey(caseId, f.fileId), f.uploadId);
    await deps.objects.remove(objectKey(caseId, f.fileId));
    await undeclareFiles(deps, { caseId, created: [f.fileId], bytes: f.declaredBytes });
  }
  await notify(deps, to.recipients.map((r) => r.email), NOTICES.moved);
  return summarize(next, day, activity, caller, deps.runtime.config.retentionDays);
}

