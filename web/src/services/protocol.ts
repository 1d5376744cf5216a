/**
 * Everything that needs openpgp.js and zod, in one lazily loaded chunk: the page paints without it.
 * The protocol itself is the shared reporter client's; this adds what the page needs around it.
 */
import { publicChannelsSchema, type PublicChannels } from '../../../shared/config/schema.ts';
import { ApiError } from '../../../shared/client/api.ts';
import { openCase, type OpenedCase } from '../../../shared/client/reporter.ts';
import type { RetrievalCode } from '../../../shared/protocol/code.ts';
import type { OutgoingFile } from '../../../shared/client/reporter.ts';
import type { Attachment } from './draft.ts';
import { removeMetadata } from '../../../shared/metadata/index.ts';

export { agreeToMove, answerConsentRequest, downloadFile, giveConsent, postMessage, refreshCase, requestMeeting, respondToRecord, submitReport } from '../../../shared/client/reporter.ts';
export type { OpenedCase, ReportInput, SubmitStep, ThreadEntry } from '../../../shared/client/reporter.ts';

let channels: Promise<PublicChannels> | null = null;

/** The channels and keys this page ships with: a static file beside the app, never the API. */
export function loadChannels(): Promise<PublicChannels> {
  channels ??= fetch('/channels.json', { credentials: 'omit', cache: 'no-cache' })
    .then((r) => {
      if (!r.ok) throw new Error(`channels.json: ${r.status}`);
      return r.json();
    })
    .then((json) => publicChannelsSchema.parse(json))
    .catch((e: unknown) => {
      channels = null;
      throw e;
    });
  return channels;
}

/**
 * Opens a case with its code. A proof of work solved on a slow device can expire before it is
 * used; then one fresh challenge is tried (refreshCase and postMessage already do this themselves).
 */
export async function openWithCode(code: RetrievalCode, signal: AbortSignal): Promise<OpenedCase> {
  const options = { api: { base: '' }, channels: await loadChannels(), code, signal };
  try {
    return await openCase(options);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'pow-expired') return openCase(options);
    throw e;
  }
}

/**
 * The chosen files as they will be sent: metadata removed unless the reporter chose to keep it.
 * A file whose kind cannot be cleaned is sent as it is; the picker said so when it was chosen.
 */
export async function prepareFiles(attachments: Attachment[]): Promise<OutgoingFile[]> {
  const out: OutgoingFile[] = [];
  for (const a of attachments) {
    const { blob, status } = await removeMetadata(a.file, a.keepMetadata);
    out.push({ blob, name: a.name, type: a.file.type, metadataKept: status === 'kept' });
  }
  return out;
}
