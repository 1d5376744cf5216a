/** A report that declares files, and the raw upload calls, for tests that attack the file route. */
import { randomBytes } from 'node:crypto';
import { createMessage, encrypt, type PublicKey } from 'openpgp';
import { readPublicKey } from '../../shared/protocol/keys.ts';
import { buildSubmission, fileReport, post, proof } from './reports.ts';
import type { TestStack } from './stack.ts';
import { caseIdFor } from '../../functions/services/reporter.ts';

export interface Declared {
  caseId: string;
  accessKey: string;
  fileIds: string[];
  /** The case's readers: the channel's officers and the reporter. */
  readers: PublicKey[];
  /** `POST /api/case/messages`: a follow-up (random bytes encrypted to the readers) declaring files of `sizes`. */
  follow(messageId: string, sizes: number[], text?: string): Promise<{ status: number; json: any; fileIds: string[] }>;
  /** `POST /api/case/files/<what>` for one of the files, with a fresh proof. */
  call(what: 'start' | 'finish' | 'get', fileId: string, extra?: object): Promise<{ status: number; json: any }>;
}

export const newId = () => randomBytes(16).toString('base64url').slice(0, 22);

/** Submits a report that declares files of `sizes` bytes; uploads nothing. */
export async function reportDeclaring(stack: TestStack, sizes: number[]): Promise<Declared> {
  const built = await buildSubmission(stack.url, stack.config);
  const fileIds = sizes.map(() => newId());
  const sent = await post(stack.url, '/api/reports', { ...built.body, files: sizes.map((size, i) => ({ id: fileIds[i], size })) });
  if (sent.status !== 201) throw new Error(`submit answered ${sent.status}: ${JSON.stringify(sent.json)}`);
  const caseId = await caseIdFor(stack.local.deps.keys, built.accessKey);
  const readers = [...(await Promise.all(stack.config.channels[0]!.recipients.map((r) => readPublicKey(r.publicKey)))), built.reporterKey.toPublic()];
  return {
    caseId,
    accessKey: built.accessKey,
    fileIds,
    readers,
    async follow(messageId, sizes, text = 'Nog iets.') {
      const message = await encrypt({ message: await createMessage({ text }), encryptionKeys: readers });
      const ids = sizes.map(() => newId());
      const files = sizes.map((size, i) => ({ id: ids[i], size }));
      const answer = await post(stack.url, '/api/case/messages', { accessKey: built.accessKey, pow: await proof(stack.url, 'open', built.accessKey), messageId, message, files });
      return { ...answer, fileIds: ids };
    },
    call: async (what, fileId, extra = {}) =>
      post(stack.url, `/api/case/files/${what}`, { accessKey: built.accessKey, pow: await proof(stack.url, 'open', built.accessKey), fileId, ...extra }),
  };
}

/** PUTs `body` to a same-origin URL the server handed out (or a forged one). */
export async function put(stack: TestStack, url: string, body: Uint8Array): Promise<{ status: number; etag: string | null; text: string }> {
  const res = await fetch(`${stack.url}${url}`, { method: 'PUT', body: body as BodyInit });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
}

/**
 * A report with real encrypted files sent by the shared client (as the page sends them), and every
 * part URL and finish request it used, as an attacker watching their own traffic would keep them.
 */
export async function reportWithFiles(stack: TestStack, files: Uint8Array[]) {
  const seen: { urls: string[]; finishes: Array<{ path: string; body: string }> } = { urls: [], finishes: [] };
  const spy: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const path = String(input);
    if (path.endsWith('/api/case/files/start') && res.ok) seen.urls.push(...((await res.clone().json()) as { urls: string[] }).urls);
    if (path.endsWith('/api/case/files/finish')) seen.finishes.push({ path, body: String(init?.body) });
    return res;
  };
  const { code, caseId } = await fileReport(stack, 'Met bewijs.', {}, files.map((data, i) => ({ blob: new Blob([data as BlobPart]), name: `bewijs-${i}.bin`, type: 'application/octet-stream' })), spy);
  return { code, caseId, ...seen };
}

/** Starts the upload of `fileId`, PUTs `object` as one part, and finishes it. */
export async function uploadWhole(stack: TestStack, file: Declared, fileId: string, object: Uint8Array) {
  const started = await file.call('start', fileId);
  if (started.status !== 200) throw new Error(`start answered ${started.status}`);
  const part = await put(stack, started.json.urls[0], object);
  if (part.status !== 200) throw new Error(`part answered ${part.status}`);
  return file.call('finish', fileId, { parts: [{ partNumber: 1, etag: part.etag }] });
}
