/**
 * Evidence files on the officer's machine: download, decrypt and verify each against the signed
 * message that describes it, streaming to disk (a file that does not verify is not kept); and send
 * files with a reply or note, encrypted to the thread's readers.
 */
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type * as openpgp from 'openpgp';
import { fileUrlSchema, uploadFinishedSchema, uploadStartedSchema, type FileUrl } from '../shared/schemas/api.ts';
import { fromBase64Url } from '../shared/protocol/bytes.ts';
import type { FileRef } from '../shared/schemas/payload.ts';
import { downloadAndDecrypt, encryptAndUpload, hashStream, newFileId, spliced, type FileCheck } from '../shared/client/files.ts';
import type { OfficerClient } from './client.ts';
import type { ReadCase } from './case-reader.ts';
import { CliError } from './errors.ts';

/** A file named by a message of the case, with the message that names it. */
export interface CaseFile {
  ref: FileRef;
  entryId: string;
  /** Whether the naming message verified: only then does its description count. */
  described: boolean;
}

export function filesOf(read: ReadCase): CaseFile[] {
  return read.entries.flatMap((e) => {
    const payload = e.payload;
    if (!payload || !('files' in payload)) return [];
    const described = e.signature.status === 'verified' && !e.otherCase;
    return payload.files.map((ref) => ({ ref, entryId: e.id, described }));
  });
}

export const safeName = (name: string) => basename(name).replace(/[^\w.-]/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'file';

const webStream = (path: string) => Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;

/**
 * Downloads, decrypts and verifies one file into `path`. Written to `path.part` first and renamed
 * only if it verifies; otherwise nothing is left behind.
 */
export async function saveFile(client: OfficerClient, key: openpgp.PrivateKey, caseId: string, file: CaseFile, path: string): Promise<FileCheck> {
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
    check = await downloadAndDecrypt({ ...where, base: client.api, decryptionKey: key, expected: file.ref, sink: async (chunk) => void (await out.write(chunk)) });
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
  const res = await fetch(`${client.api}${where.url}`);
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
  const res = await fetch(`${client.api}${where.url}`);
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

/** Describes local files for a message: size and SHA-256, read once. */
export async function describeLocalFiles(paths: string[], limit: number): Promise<FileRef[]> {
  const refs: FileRef[] = [];
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) throw new CliError(`${path} is not a file.`);
    if (statSync(path).size > limit) throw new CliError(`${path} is larger than the ${Math.floor(limit / 1024 / 1024)} MB a file may be.`);
    const { size, sha256 } = await hashStream(webStream(path));
    refs.push({ id: newFileId(), name: safeName(path), type: 'application/octet-stream', size, sha256, metadataKept: true });
  }
  return refs;
}

/** Uploads described local files, encrypted to `keys`, after the message that names them was posted. */
export async function uploadLocalFiles(client: OfficerClient, caseId: string, paths: string[], refs: FileRef[], keys: openpgp.PublicKey[]): Promise<void> {
  for (const [i, ref] of refs.entries()) {
    const base = `/api/officer/cases/${caseId}/files/${ref.id}`;
    await encryptAndUpload({
      source: webStream(paths[i]!),
      encryptionKeys: keys,
      target: {
        base: client.api,
        start: () => client.request('POST', `${base}/start`, {}, uploadStartedSchema),
        finish: (parts) => client.request('POST', `${base}/finish`, { parts }, uploadFinishedSchema),
      },
    }).catch((e: unknown) => {
      throw e instanceof CliError ? e : new CliError(`Uploading ${paths[i]} failed: ${(e as Error).message}. The message was sent; send the file again with a new message.`);
    });
  }
}

export function ensureDir(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}


/** Downloads, decrypts and verifies one file into memory (the desk shows images and audio from memory). */
export async function readFile(client: OfficerClient, key: openpgp.PrivateKey, caseId: string, file: CaseFile): Promise<{ check: FileCheck; bytes: Uint8Array | null }> {
  if (!file.described) return { check: { status: 'unreadable', reason: 'the message that names this file is not verified' }, bytes: null };
  const where = await client.request('GET', `/api/officer/cases/${caseId}/files/${file.ref.id}`, undefined, fileUrlSchema);
  const chunks: Uint8Array[] = [];
  const check = await downloadAndDecrypt({ ...where, base: client.api, decryptionKey: key, expected: file.ref, sink: (chunk) => void chunks.push(chunk) });
  return { check, bytes: check.status === 'verified' ? Buffer.concat(chunks) : null };
}
