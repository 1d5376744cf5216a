/** The officer's API client: every request signed with the officer's key (shared/protocol/request-signing.ts). */
import type { OfficerKey } from '../shared/protocol/external-key.ts';
import * as z from 'zod/mini';
import { publicChannelsSchema, type PublicChannels } from '../shared/config/schema.ts';
import { errorBodySchema } from '../shared/schemas/api.ts';
import { caseHeadsSchema, caseListSchema, casesReadSchema, officerCaseSchema, type CaseHead, type CaseSummary, type OfficerCase } from '../shared/schemas/officer-api.ts';
import { signRequest } from '../shared/protocol/request-signing.ts';
import { CliError } from './errors.ts';

/** What a person can do about a refusal, where the server's sentence alone does not say. */
const HINTS: Record<string, string> = {
  'unknown-key': 'Is --key / MELDPUNT_KEY your officer key, and has the operator put its public key in the config?',
  'stale-request': 'This computer\'s clock must be within 5 minutes of the right time.',
  forbidden: 'Your key reaches only the cases of its own channels (CLB: the cases escalated to it).',
};

/** How long one API request may take, answer included. The largest answer is one read of about 4 MB. */
export const REQUEST_MS = 60_000;
/** The largest answer read: the API keeps its answers under 6 MB (AWS Lambda's limit). */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** An answer longer than the caller reads: no Meldpunt sends one. */
export class AnswerTooLarge extends CliError {}

/**
 * Fetches `url` as this tool talks to a site: no redirect followed (a signed request goes to the
 * address given, or nowhere), within `ms`, and the answer read up to `maxBytes`. A server that does
 * otherwise gets a sentence, never a hang or a tool that runs out of memory.
 */
export async function fetchAnswer(
  url: string,
  init: RequestInit,
  { ms, maxBytes = MAX_ANSWER_BYTES }: { ms: number; maxBytes?: number },
): Promise<{ status: number; ok: boolean; text: string }> {
  const signal = AbortSignal.timeout(ms);
  const late = () => new CliError(`${new URL(url).origin} did not answer within ${ms / 1000} seconds. Try again later; if it keeps happening, ask whoever runs the site.`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal });
  } catch {
    if (signal.aborted) throw late();
    throw new CliError(`Cannot reach the Meldpunt API at ${new URL(url).origin}. Is it running (npm start), and is MELDPUNT_API right?`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new CliError(`${new URL(url).origin} sent this tool elsewhere (${response.status}); it follows no redirect. Use the site's own address (with https:// if it has it).`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  try {
    for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader!.cancel();
        throw new AnswerTooLarge(`${new URL(url).origin} sent an answer larger than ${Math.round(maxBytes / 1024 / 1024)} MB, which no Meldpunt sends; this tool stopped reading it.`);
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (signal.aborted) throw late();
    throw new CliError(`The connection to ${new URL(url).origin} broke off. Try again.`);
  }
  return { status: response.status, ok: response.ok, text: Buffer.concat(chunks).toString('utf8') };
}

/** The text as JSON; null for anything that is not. */
export const jsonOrNull = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export class OfficerClient {
  constructor(
    readonly api: string,
    private readonly key: OfficerKey,
    /** Signs requests with this time; the server refuses one more than 5 minutes off its own. */
    private readonly now: () => Date = () => new Date(),
    /** How long a request may take (tests shorten it). */
    private readonly requestMs = REQUEST_MS,
  ) {}

  /** Sends one signed request; a refusal becomes a CliError with the server's own sentence. */
  async request<S extends z.ZodMiniType>(method: string, path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = await signRequest(this.key, { method, path, body: text, now: this.now() });
    const response = await fetchAnswer(
      `${this.api}${path}`,
      { method, headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) }, body: text || undefined },
      { ms: this.requestMs },
    );
    const json = jsonOrNull(response.text);
    if (!response.ok) {
      const error = errorBodySchema.safeParse(json);
      if (!error.success) throw new CliError(`The server answered ${response.status}${response.status === 404 ? ': is MELDPUNT_API the address of a Meldpunt?' : '.'}`);
      const hint = HINTS[error.data.error.code];
      throw new CliError(`The server refused (${response.status}): ${error.data.error.message}${hint ? `\n${hint}` : ''}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CliError('The server sent an answer this tool does not understand.');
    return parsed.data;
  }

  async list(): Promise<CaseSummary[]> {
    return (await this.request('GET', '/api/officer/cases', undefined, caseListSchema)).cases;
  }

  get(caseId: string): Promise<OfficerCase> {
    return this.request('GET', `/api/officer/cases/${caseId}`, undefined, officerCaseSchema);
  }

  /**
   * Many cases, 50 ids a request, three requests at a time; ids this key cannot read are left out.
   * `onBatch` sees each response as it arrives (the desk decrypts one while the next loads).
   */
  async getMany(caseIds: string[], onBatch?: (cases: OfficerCase[]) => void): Promise<OfficerCase[]> {
    const batches: string[][] = [];
    for (let i = 0; i < caseIds.length; i += 50) batches.push(caseIds.slice(i, i + 50));
    const got: OfficerCase[] = [];
    const worker = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        const answer = await this.request('POST', '/api/officer/cases/read', { caseIds: batch }, casesReadSchema);
        got.push(...answer.cases);
        onBatch?.(answer.cases);
        if (answer.more.length) batches.push(answer.more);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    return got;
  }

  /** The heads of many cases (summary, readers, report), 100 a request, three requests in flight; `onBatch` sees each answer as it arrives. */
  async getHeads(caseIds: string[], onBatch: (heads: CaseHead[]) => void): Promise<void> {
    const batches: string[][] = [];
    for (let i = 0; i < caseIds.length; i += 100) batches.push(caseIds.slice(i, i + 100));
    const worker = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        const answer = await this.request('POST', '/api/officer/cases/heads', { caseIds: batch }, caseHeadsSchema);
        onBatch(answer.heads);
        if (answer.more.length) batches.push(answer.more);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }

  post(caseId: string, action: string, body: unknown): Promise<unknown> {
    return this.request('POST', `/api/officer/cases/${caseId}/${action}`, body, z.record(z.string(), z.unknown()));
  }

  /** The channels and keys the web app ships with, from the same site: the tool trusts no key the API lists. */
  async channels(): Promise<PublicChannels> {
    const response = await fetchAnswer(`${this.api}/channels.json`, {}, { ms: this.requestMs });
    const parsed = publicChannelsSchema.safeParse(jsonOrNull(response.text));
    if (!response.ok || !parsed.success) throw new CliError(`Cannot read ${this.api}/channels.json (the published channel keys).`);
    return parsed.data;
  }

  /** Accepts a unique prefix of a case id, as people type them. */
  async resolve(prefix: string): Promise<string> {
    const wanted = prefix.trim().toUpperCase();
    if (!/^[0-9A-Z]+$/.test(wanted)) throw new CliError(`"${prefix}" is not a case id: case ids are letters and digits (see: cases).`);
    if (/^[0-9A-Z]{16}$/.test(wanted)) return wanted;
    const matches = (await this.list()).filter((c) => c.caseId.startsWith(wanted));
    if (matches.length === 1) return matches[0]!.caseId;
    throw new CliError(matches.length === 0 ? `No case starts with "${prefix}".` : `"${prefix}" fits ${matches.length} cases; type more of the id.`);
  }
}
