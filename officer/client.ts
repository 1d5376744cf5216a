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

export class OfficerClient {
  constructor(
    readonly api: string,
    private readonly key: OfficerKey,
    /** Signs requests with this time; the server refuses one more than 5 minutes off its own. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Sends one signed request; a refusal becomes a CliError with the server's own sentence. */
  async request<S extends z.ZodMiniType>(method: string, path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = await signRequest(this.key, { method, path, body: text, now: this.now() });
    let response: Response;
    try {
      response = await fetch(`${this.api}${path}`, {
        method,
        headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
        body: text || undefined,
      });
    } catch {
      throw new CliError(`Cannot reach the Meldpunt API at ${this.api}. Is it running (npm start), and is MELDPUNT_API right?`);
    }
    const json: unknown = await response.json().catch(() => null);
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
    try {
      const response = await fetch(`${this.api}/channels.json`);
      return publicChannelsSchema.parse(await response.json());
    } catch {
      throw new CliError(`Cannot read ${this.api}/channels.json (the published channel keys).`);
    }
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
