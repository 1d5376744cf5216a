/**
 * Everything that needs openpgp.js and zod, in one lazily loaded chunk: the page paints without it.
 */
import { publicChannelsSchema, type PublicChannels } from '../../../shared/config/schema.ts';

export { openCase, postMessage, refreshCase, submitReport } from '../../../shared/client/reporter.ts';
export type { OpenedCase, ReportInput, SubmitStep, ThreadEntry } from '../../../shared/client/reporter.ts';
export { ApiError } from '../../../shared/client/api.ts';

let channels: Promise<PublicChannels> | null = null;

/** The channels and keys this page ships with: a static file beside the app, never the API. */
export function loadChannels(): Promise<PublicChannels> {
  channels ??= fetch('/channels.json', { credentials: 'omit', cache: 'no-cache' })
    .then((r) => r.json())
    .then((json) => publicChannelsSchema.parse(json))
    .catch((e: unknown) => {
      channels = null;
      throw e;
    });
  return channels;
}
