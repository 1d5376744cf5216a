/**
 * Evidence files: declared in the message that refers to them, uploaded afterwards in parts to
 * presigned same-origin URLs, and checked when the upload is finished: the whole object must be
 * one OpenPGP message to exactly the thread's readers (the same rule as for messages), framed to its
 * last byte with no stretch that reads as text, and its size within what was declared. Anything else is deleted and refused.
 */
import type { FileLimits } from '../../shared/config/schema.ts';
import type { Author, FileUrl, Thread } from '../../shared/schemas/api.ts';
import { checkEncryptedData, forExactly } from '../../shared/protocol/ciphertext.ts';
import { fromBase64Url } from '../../shared/protocol/bytes.ts';
import { CiphertextScan } from '../../shared/protocol/ciphertext-scan.ts';
import { readPackets } from '../../shared/protocol/packets.ts';
import { CryptoError } from '../../shared/protocol/errors.ts';
import { addDays, dayOf } from '../../shared/wbk/deadlines.ts';
import { formatSize } from '../../shared/format/size.ts';
import { AppError, badRequest } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { RuntimeConfig } from '../config.ts';
import { FILES_PREFIX, type ObjectStore } from '../files/object-store.ts';
import type { CaseStore } from '../store/cases.ts';
import type { CaseDoc } from '../store/case-doc.ts';
import { FileIdInUse, type FileRecord, type FileStore } from '../store/files.ts';

export interface FileDeps {
  cases: CaseStore;
  files: FileStore;
  objects: ObjectStore;
  clock: Clock;
  runtime: RuntimeConfig;
}

/** Part URLs and download URLs stay valid this long. */
export const URL_SECONDS = 60 * 60;
/** Bytes of an object read to check it: the session key packets and the start of the encrypted data. */
export const HEAD_BYTES = 64 * 1024;

/** What the encrypted object of a file of `bytes` may weigh: session keys, packet framing and MDC on top. */
export const maxStoredBytes = (bytes: number) => bytes + Math.ceil(bytes / 256) + 64 * 1024;

export const objectKey = (caseId: string, fileId: string) => `${FILES_PREFIX}${caseId}/${fileId}`;

export interface Declared {
  id: string;
  size: number;
}

const limits = (deps: FileDeps): FileLimits => deps.runtime.config.files;

/**
 * Records the files a message refers to, within the limits and the case's quota, which is checked
 * and taken in one conditional write, so requests at once cannot beat it. Throws a 4xx. Returns
 * what to pass to `undeclareFiles` if the message is then refused.
 */
export async function declareFiles(deps: FileDeps, doc: CaseDoc, thread: Thread, author: Author, declared: Declared[]): Promise<Declaration> {
  const none: Declaration = { caseId: doc.caseId, created: [], bytes: 0 };
  if (declared.length === 0) return none;
  const l = limits(deps);
  if (declared.length > l.maxFilesPerMessage) throw badRequest('too-many-files', `A message can carry at most ${l.maxFilesPerMessage} files.`);
  if (new Set(declared.map((f) => f.id)).size !== declared.length) throw badRequest('duplicate-file', 'The same file id appears twice.');
  const tooLarge = declared.find((f) => f.size > l.maxFileBytes);
  if (tooLarge) throw new AppError('too-large', 'file-too-large', `A file can be at most ${formatSize(l.maxFileBytes)}.`);
  const existing = await deps.files.list(doc.caseId);
  const known = new Set(existing.map((f) => f.fileId));
  const fresh = declared.filter((f) => !known.has(f.id));
  const adding = fresh.reduce((n, f) => n + f.size, 0);
  const base = existing.reduce((n, f) => n + f.declaredBytes, 0);
  if (adding > 0 && !(await deps.files.reserve(doc.caseId, adding, base, l.maxCaseBytes))) {
    throw new AppError('too-large', 'case-quota', `All files of one report together can be at most ${formatSize(l.maxCaseBytes)}.`);
  }
  const day = dayOf(deps.clock.now());
  let created: Set<string>;
  try {
    created = await deps.files.declare(
      doc.caseId,
      declared.map((f): FileRecord => ({ fileId: f.id, thread, author, declaredBytes: f.size, state: 'declared', uploadId: null, storedBytes: null, day, header: null, skip: null, seal: null })),
    );
  } catch (e) {
    await deps.files.release(doc.caseId, adding);
    if (e instanceof FileIdInUse) throw new AppError('conflict', 'file-id-in-use', 'This file id is already used for another file. Send the file again as a new one.');
    throw e;
  }
  // A file declared meanwhile by the same message, retried at once, was counted there.
  const mine = fresh.filter((f) => created.has(f.id));
  await deps.files.release(doc.caseId, adding - mine.reduce((n, f) => n + f.size, 0));
  return { caseId: doc.caseId, created: mine.map((f) => f.id), bytes: mine.reduce((n, f) => n + f.size, 0) };
}

/** What one `declareFiles` call recorded: its files and the bytes it took from the quota. */
export interface Declaration {
  caseId: string;
  created: string[];
  bytes: number;
}

/** Takes back what `declareFiles` recorded, when the message it came with was refused. */
export async function undeclareFiles(deps: Pick<FileDeps, 'files'>, declaration: Declaration): Promise<void> {
  for (const fileId of declaration.created) await deps.files.remove(declaration.caseId, fileId);
  await deps.files.release(declaration.caseId, declaration.bytes);
}


async function record(deps: FileDeps, doc: CaseDoc, fileId: string): Promise<FileRecord> {
  const found = await deps.files.get(doc.caseId, fileId);
  if (!found) throw new AppError('not-found', 'no-such-file', 'There is no such file on this case. A file must be named in a message before it is uploaded.');
  return found;
}

/** Who may upload a file: the one who declared it. */
function mustBeAuthor(file: FileRecord, author: Author) {
  if (file.author !== author) throw new AppError('forbidden', 'forbidden', 'Only whoever sent the message with this file can upload it.');
}

/** Starts (or resumes) the upload of a declared file; returns one URL per part. */
export async function startUpload(deps: FileDeps, doc: CaseDoc, fileId: string, author: Author) {
  const file = await record(deps, doc, fileId);
  mustBeAuthor(file, author);
  if (file.state === 'complete') throw new AppError('conflict', 'file-complete', 'This file is already uploaded.');
  const key = objectKey(doc.caseId, fileId);
  const uploadId = file.uploadId ?? (await deps.objects.createUpload(key));
  if (!file.uploadId) await deps.files.put(doc.caseId, { ...file, state: 'uploading', uploadId });
  const partBytes = limits(deps).partBytes;
  const count = Math.max(1, Math.ceil(maxStoredBytes(file.declaredBytes) / partBytes));
  return { partBytes, urls: await deps.objects.partUrls(key, uploadId, count, URL_SECONDS) };
}

/** Streams a whole stored object through the ciphertext scan; returns its readers' key IDs. Throws CryptoError. */
async function scanObject(body: AsyncIterable<Uint8Array>, limit: number): Promise<string[]> {
  const scan = new CiphertextScan();
  for await (const chunk of body) {
    scan.push(chunk);
    if (scan.bytes > limit) throw new CryptoError('not-encrypted', 'the file is larger than declared');
  }
  return scan.end().keyIds;
}

/**
 * Completes the upload, then checks the whole stored object (shared/protocol/ciphertext-scan.ts).
 * A wrong shape, wrong readers, text inside or a size beyond the declared one deletes the object
 * and refuses; the file can then be uploaded again.
 */
export async function finishUpload(
  deps: FileDeps,
  doc: CaseDoc,
  fileId: string,
  author: Author,
  parts: Array<{ partNumber: number; etag: string }>,
  readers: readonly string[],
  seal?: string,
): Promise<{ bytes: number }> {
  const file = await record(deps, doc, fileId);
  mustBeAuthor(file, author);
  if (file.state === 'complete') return { bytes: file.storedBytes ?? 0 };
  if (seal !== undefined) checkSeal(seal);
  if (!file.uploadId) throw new AppError('conflict', 'not-started', 'This upload was not started.');
  const key = objectKey(doc.caseId, fileId);
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  try {
    await deps.objects.complete(key, file.uploadId, sorted);
  } catch {
    throw badRequest('upload-incomplete', 'The upload could not be completed: a part is missing or was not accepted. Upload the missing parts and try again.');
  }
  const refuse = async (code: string, message: string): Promise<never> => {
    await deps.objects.remove(key);
    await deps.files.put(doc.caseId, { ...file, state: 'declared', uploadId: null });
    throw new AppError(code === 'file-too-large' ? 'too-large' : 'bad-request', code, message);
  };
  const stored = await deps.objects.read(key);
  if (!stored) return refuse('upload-incomplete', 'The uploaded file was not found.');
  if (stored.size > maxStoredBytes(file.declaredBytes)) return refuse('file-too-large', 'The uploaded file is larger than declared; it was deleted.');
  let keyIds: string[];
  try {
    keyIds = await scanObject(stored.body, maxStoredBytes(file.declaredBytes));
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    return refuse('not-encrypted', `A file must be one OpenPGP message encrypted to the case's keys (${e.message}); it was deleted.`);
  }
  if (!forExactly(keyIds, readers)) {
    return refuse('wrong-recipients', 'The file is not encrypted to exactly the readers of this case; it was deleted.');
  }
  try {
    // Counted on the case only while its readers are the ones checked: a move meanwhile wins.
    await deps.cases.fileCompleted(doc.caseId, doc);
  } catch (e) {
    await deps.objects.remove(key);
    // A move may have removed the record meanwhile (it deletes unfinished uploads): never bring it back.
    if (await deps.files.get(doc.caseId, fileId)) await deps.files.put(doc.caseId, { ...file, state: 'declared', uploadId: null });
    throw e;
  }
  await deps.files.put(doc.caseId, { ...file, state: 'complete', storedBytes: stored.size, seal: seal ?? null });
  return { bytes: stored.size };
}

/**
 * A seal must be one encrypted data packet and nothing else (no session key packets: it is
 * encrypted with the file's), under the same rules as every stored message. Throws a 400.
 */
function checkSeal(seal: string) {
  try {
    const packets = readPackets(fromBase64Url(seal));
    if (packets.length !== 1) throw new CryptoError('not-encrypted', 'a seal is one encrypted data packet and nothing else');
    checkEncryptedData(packets[0]);
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    throw badRequest('bad-seal', `The seal is not accepted: ${e.message}.`);
  }
}

/** A URL to download a complete file of one of `threads`. */
export async function fileUrl(deps: FileDeps, doc: CaseDoc, fileId: string, threads: readonly Thread[]): Promise<FileUrl> {
  const file = await record(deps, doc, fileId);
  if (!threads.includes(file.thread)) throw new AppError('forbidden', 'forbidden', 'This file is not on a thread you can read.');
  if (file.state !== 'complete') throw new AppError('not-found', 'file-not-uploaded', 'This file was named in a message but never (fully) uploaded.');
  const url = await deps.objects.downloadUrl(objectKey(doc.caseId, fileId), URL_SECONDS);
  const moved = file.header !== null && file.skip !== null ? { header: file.header, skip: file.skip } : {};
  return { url, bytes: file.storedBytes ?? 0, ...moved, ...(file.seal ? { seal: file.seal } : {}) };
}

/**
 * Rewrites a moved file's stored object with its new readers' session key packets in place of the
 * old ones, so the old readers' keys no longer open the bytes at rest either, then clears the
 * record's header. Until then (or if this fails: the daily job tries again) downloads splice the
 * new header in front. Returns whether the object was rewritten.
 */
export async function settleMovedFile(deps: Pick<FileDeps, 'objects' | 'files'>, caseId: string, file: FileRecord): Promise<boolean> {
  if (file.header === null || file.skip === null || file.state !== 'complete') return false;
  try {
    const bytes = await deps.objects.replaceHead(objectKey(caseId, file.fileId), fromBase64Url(file.header), file.skip);
    await deps.files.put(caseId, { ...file, header: null, skip: null, storedBytes: bytes });
    return true;
  } catch {
    console.error('rewriting a moved file failed; the daily job tries again');
    return false;
  }
}

/** Later than any upload's start: every unfinished upload is stale to it. */
const END_OF_TIME = new Date(8.64e15);

/** Deletes a case's objects and aborts its unfinished uploads, parts included (its records go with the case's items). */
export async function removeCaseFiles(deps: Pick<FileDeps, 'objects'>, caseId: string): Promise<void> {
  await deps.objects.abortStale(`${FILES_PREFIX}${caseId}/`, END_OF_TIME);
  for (const object of await deps.objects.list(`${FILES_PREFIX}${caseId}/`)) await deps.objects.remove(object.key);
}

/**
 * Deletes a case whole: the case item becomes a tombstone (no write lands on it after), then every
 * item, object and unfinished upload goes. The daily job sweeps again behind it (`sweepDeleted`).
 */
export async function deleteWholeCase(deps: Pick<FileDeps, 'objects' | 'cases' | 'clock'>, caseId: string): Promise<void> {
  await deps.cases.remove(caseId, deps.clock.now());
  await removeCaseFiles(deps, caseId);
}

/** Removes what writes under way at a delete left behind it, items and files. Returns how many cases it looked at. */
export async function sweepDeleted(deps: Pick<FileDeps, 'objects' | 'cases' | 'clock'>): Promise<number> {
  const gone = await deps.cases.sweepGone(deps.clock.now());
  for (const caseId of gone) await removeCaseFiles(deps, caseId);
  return gone.length;
}

/**
 * The daily sweep: an object no complete record refers to (its upload never finished, its case is
 * gone, or it was never declared) is deleted once it is a day old, and so is the record of a file
 * declared more than a day ago and never uploaded. Returns how many objects were deleted.
 */
export async function sweepFiles(deps: FileDeps): Promise<number> {
  const now = deps.clock.now();
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const yesterday = addDays(dayOf(now), -1);
  const records = new Map<string, FileRecord[]>();
  const recordsOf = async (caseId: string) => {
    if (!records.has(caseId)) records.set(caseId, (await deps.cases.get(caseId)) ? await deps.files.list(caseId) : []);
    return records.get(caseId)!;
  };
  let deleted = 0;
  for (const object of await deps.objects.list(FILES_PREFIX)) {
    if (object.lastModified > dayAgo) continue;
    const [caseId = '', fileId = ''] = object.key.slice(FILES_PREFIX.length).split('/');
    const file = (await recordsOf(caseId)).find((f) => f.fileId === fileId);
    if (file?.state === 'complete') continue;
    await deps.objects.remove(object.key);
    deleted++;
  }
  for (const [caseId, list] of records) {
    for (const file of list) if (file.state !== 'complete' && file.day < yesterday && file.uploadId) await deps.objects.abort(objectKey(caseId, file.fileId), file.uploadId);
    for (const file of list) await settleMovedFile(deps, caseId, file);
  }
  await deps.objects.abortStale(FILES_PREFIX, dayAgo);
  return deleted;
}
