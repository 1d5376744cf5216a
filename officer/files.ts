/**
 * Evidence files on the officer's machine: download, decrypt and verify each against the signed
 * message that describes it, streaming to disk (a file that does not verify is not kept); and send
 * files with a reply or note, encrypted to the thread's readers.
 */
import { openFile } from './seipd-decrypt.ts';
import type { OfficerKey } from '../shared/protocol/external-key.ts';
import { existsSync, mkdirSync, openAsBlob, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type * as openpgp from 'openpgp';
import { fileUrlSchema, uploadFinishedSchema, uploadStartedSchema, type FileUrl } from '../shared/schemas/api.ts';
import { fromBase64Url } from '../shared/protocol/bytes.ts';
import type { FileRef } from '../shared/schemas/payload.ts';
import { downloadAndDecrypt, encryptAndUpload, newFileId, spliced, type FileCheck, type FileDecryptor, type SealCheck } from '../shared/client/files.ts';
import { removeMetadata } from '../shared/metadata/index.ts';
import { formatSize } from '../shared/format/size.ts';
import type { Fingerprint } from '../shared/protocol/keys.ts';
import type { OfficerClient } from './client.ts';
import type { ReadCase } from './case-reader.ts';
import { fingerprintOf } from '../shared/protocol/keys.ts';
import { CliError } from './errors.ts';

/** A file named by a message of the case, with the message that names it. */
export interface CaseFile {
  ref: FileRef;
  entryId: string;
  /** Whether the naming message verified: only then does its description count. */
  described: boolean;
  /** Who signed the naming message, and so must have sealed the file. */
  sealedBy?: SealCheck;
}

export function filesOf(read: ReadCase): CaseFile[] {
  return read.entries.flatMap((e) => {
    const payload = e.payload;
    if (!payload || !('files' in payload)) return [];
    const described = e.signature.status === 'verified' && !e.otherCase;
    const sealedBy = e.signerKey ? { signer: e.signerKey, caseFingerprint: fingerprintOf(read.reporterKey) } : undefined;
    return payload.files.map((ref) => ({ ref, entryId: e.id, described, sealedBy }));
  });
}

/** Files are decrypted with Node's own AES and SHA-1 (seipd-decrypt.ts): as fast as the download, faster than gpg. */
const NATIVE: FileDecryptor = { open: (stream) => openFile(stream as unknown as AsyncIterable<Uint8Array>) };

export const safeName = (name: string) => basename(name).replace(/[^\w.-]/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'file';

/**
 * Downloads, decrypts and verifies one file into `path`. Written to `path.part` first and renamed
 * only if it verifies; otherwise nothing is left behind.
 */
export async function saveFile(client: OfficerClient, key: OfficerKey, caseId: string, file: CaseFile, path: string): Promise<FileCheck> {
  if (!file.described) return { status: 'unreadable', reason: 'the message that names this file is not verified' };
  let where: FileUrl;
  try {
    where = await client.request('GET', `/api/officer/cases/${caseId}/files/${file.ref.id}`, undefined, fileUrlSchema);
  } catch (e) {
    if (e instanceof CliError) return { status: 'unreadable', reason: e.message.replace(/^The server refused \(\d+\): /, '') };
    throw e;
  }
  const partial = `${path}.part`;
  const out = await open(partial, 'w', 0o600);
  let check: FileCheck;
  try {
    check = await downloadAndDecrypt({ ...where, sealedBy: file.sealedBy, base: client.api, decryptionKey: key, decryptor: NATIVE, expected: file.ref, sink: async (chunk) => void (await out.write(chunk)) });
  } finally {
    await out.close();
  }
  if (check.status === 'verified') renameSync(partial, path);
  else rmSync(partial, { force: true });
  return check;
}

/** The encrypted file as its readers get it (for a moved case, with the new session keys), for the register (`gpg --decrypt` reads it). */
export async function saveEncrypted(client: OfficerClient, caseId: string, fileId: string, path: string): Promise<boolean> {
  const where = await client.request('GET', `/api/officer/cases/${caseId}/files/${fileId}`, undefined, fileUrlSchema).catch(() => null);
  if (!where) return false;
  const res = await fetch(`${client.api}${where.url}`, { redirect: 'manual' });
  if (!res.ok || !res.body) return false;
  const body = where.header !== undefined ? spliced(res.body, fromBase64Url(where.header), where.skip ?? 0) : res.body;
  const out = await open(path, 'w', 0o600);
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) await out.write(chunk);
  } finally {
    await out.close();
  }
  return true;
}

/** The first bytes of a file as its readers get it: its session key packets and the start of its encrypted data. */
export async function fileHead(client: OfficerClient, caseId: string, fileId: string, bytes = 64 * 1024): Promise<Uint8Array> {
  const where = await client.request('GET', `/api/officer/cases/${caseId}/files/${fileId}`, undefined, fileUrlSchema);
  const res = await fetch(`${client.api}${where.url}`, { redirect: 'manual' });
  if (!res.ok || !res.body) throw new CliError(`File ${fileId} could not be downloaded (${res.status}).`);
  const body = where.header !== undefined ? spliced(res.body, fromBase64Url(where.header), where.skip ?? 0) : res.body;
  const chunks: Uint8Array[] = [];
  let have = 0;
  const reader = body.getReader();
  while (have < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    have += value.length;
  }
  await reader.cancel();
  return Buffer.concat(chunks);
}

export function verdictOfFile(check: FileCheck): string {
  switch (check.status) {
    case 'verified':
      return 'VERIFIED: the bytes match the signed description';
    case 'mismatch':
      return 'NOT VERIFIED: the file is not the one the message describes (swapped or cut); not saved';
    case 'unreadable':
      return `NOT VERIFIED: ${check.reason}; not saved`;
  }
}

/** A local file as it will be sent: described for the message, and its bytes (metadata removed unless kept). */
export interface LocalFile {
  ref: FileRef;
  blob: Blob;
  path: string;
}

/**
 * Describes local files for a message. Their metadata (author, camera, place) is removed first,
 * with the same code as the reporter's page, unless `keepMetadata`.
 */
export async function prepareLocalFiles(paths: string[], limit: number, keepMetadata = false): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) throw new CliError(`${path} is not a file.`);
    if (statSync(path).size > limit) throw new CliError(`${path} is larger than the ${formatSize(limit)} a file may be.`);
    const name = safeName(path);
    const file = new File([await openAsBlob(path)], name);
    const { blob, status } = await removeMetadata(file, keepMetadata);
    out.push({ ref: { id: newFileId(), name, type: 'application/octet-stream', size: blob.size, metadataKept: status === 'kept' }, blob, path });
  }
  return out;
}

/** Uploads prepared files, encrypted to `keys` and sealed with the officer's key, after the message that names them was posted. */
export async function uploadLocalFiles(client: OfficerClient, caseId: string, files: LocalFile[], keys: openpgp.PublicKey[], sealer: { key: OfficerKey; caseFingerprint: Fingerprint }): Promise<void> {
  for (const { ref, blob, path } of files) {
    const base = `/api/officer/cases/${caseId}/files/${ref.id}`;
    await encryptAndUpload({
      file: blob,
      seal: { caseFingerprint: sealer.caseFingerprint, fileId: ref.id },
      signingKey: sealer.key,
      encryptionKeys: keys,
      target: {
        base: client.api,
        start: () => client.request('POST', `${base}/start`, {}, uploadStartedSchema),
        finish: (parts, seal) => client.request('POST', `${base}/finish`, { parts, seal }, uploadFinishedSchema),
      },
    }).catch((e: unknown) => {
      throw e instanceof CliError ? e : new CliError(`Uploading ${path} failed: ${(e as Error).message}. The message was sent; send the file again with a new message.`);
    });
  }
}

export function ensureDir(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}


/** Downloads, decrypts and verifies one file into memory (the desk shows images and audio from memory). */
export async function readFile(client: OfficerClient, key: OfficerKey, caseId: string, file: CaseFile): Promise<{ check: FileCheck; bytes: Uint8Array | null }> {
  if (!file.described) return { check: { status: 'unreadable', reason: 'the message that names this file is not verified' }, bytes: null };
  const where = await client.request('GET', `/api/officer/cases/${caseId}/files/${file.ref.id}`, undefined, fileUrlSchema);
  const chunks: Uint8Array[] = [];
  const check = await downloadAndDecrypt({ ...where, sealedBy: file.sealedBy, base: client.api, decryptionKey: key, decryptor: NATIVE, expected: file.ref, sink: (chunk) => void chunks.push(chunk) });
  return { check, bytes: check.status === 'verified' ? Buffer.concat(chunks) : null };
}
