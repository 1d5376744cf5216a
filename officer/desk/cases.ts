/**
 * The desk's cases, decrypted in this process's memory only: fetched in batches, decrypted
 * concurrently, kept until the case changes on the server or the desk locks. Titles, filters and
 * full-text search work on this memory; nothing decrypted is written anywhere.
 */
import type { CaseHead, CaseSummary, OfficerCase } from '../../shared/schemas/officer-api.ts';
import type { Category, Payload, ReportPayload } from '../../shared/schemas/payload.ts';
import { dayOf, reporterClock } from '../../shared/wbk/deadlines.ts';
import { readCase, readHeadReport, type Entry, type ReadCase } from '../case-reader.ts';
import { channelsOf, type Context } from '../commands.ts';
import { filesOf, type CaseFile } from '../files.ts';
import { recordsOf } from '../records.ts';

/** A line of the case list. */
export interface ListedCase {
  summary: CaseSummary;
  /** The first words of what happened; null when this key cannot read the report. */
  title: string | null;
  category: Category | null;
  /** Its title is still being decrypted (a slow key: gpg-agent, a token). */
  pending: boolean;
}

interface Held {
  /** What the summary's activity was when this was decrypted: a new message changes it. */
  version: string;
  read: ReadCase;
  text: string;
}

const versionOf = (s: CaseSummary) => JSON.stringify([s.status, s.acknowledgedOn, s.escalatedTo, s.activity]);

/** At most this many cases are decrypted at once: enough to keep the crypto busy while responses arrive. */
const CONCURRENCY = 16;

async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Fetches `ids` in batches and works on each item as its batch arrives, at most CONCURRENCY at a time. */
async function inBatches<T>(fetch: (ids: string[], onBatch: (batch: T[]) => void) => Promise<unknown>, ids: string[], work: (item: T) => Promise<void>): Promise<void> {
  if (ids.length === 0) return;
  const working: Array<Promise<unknown>> = [];
  await fetch(ids, (batch) => void working.push(pool(batch, CONCURRENCY, work)));
  await Promise.all(working);
}

export const titleOf = (report: ReportPayload | null): string | null => {
  if (!report) return null;
  const words = report.answers.what.trim().split(/\s+/);
  return words.slice(0, 10).join(' ') + (words.length > 10 ? ' …' : '');
};

/** Every text of a payload, lower-cased, for search. */
function textOf(payload: Payload | null): string {
  if (!payload) return '';
  const strings: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'data' && k !== 'sha256') walk(v);
  };
  walk(payload);
  return strings.join('\n');
}

export class DeskCases {
  private held = new Map<string, Held>();
  /** Titles from the case heads, until the whole case is held. */
  private heads = new Map<string, { version: string; report: ReportPayload | null }>();
  private summaries: CaseSummary[] = [];
  /** The loading of whole cases behind the list, one after another. */
  private loading: Promise<void> = Promise.resolve();
  /** Counts locks: a load that began before one keeps nothing it decrypted. */
  private generation = 0;

  constructor(private readonly ctx: () => Context) {}

  /** Forgets everything decrypted (on lock). */
  clear() {
    this.generation++;
    this.held.clear();
    this.heads.clear();
    this.summaries = [];
  }

  /** Forgets one case, so the next read fetches it again (after an action on it). */
  forget(caseId: string) {
    this.held.delete(caseId);
    this.heads.delete(caseId);
  }

  /** The titling under way (one at a time): the list answers without waiting for all of it. */
  private titling: Promise<void> | null = null;

  /**
   * The list from the server, then the titles of every case that changed since: the case heads in
   * batch reads, each report decrypted and checked. The whole cases (every message, for the case
   * view and search) load behind it; `whole` waits for them too. With `within`, it waits at most
   * that long for the titles: with a slow key (gpg-agent, a token) the list shows first, and the
   * titles come in behind it (`list` marks those still `pending`).
   */
  async refresh(options: { whole?: boolean; within?: number } = {}): Promise<void> {
    const ctx = this.ctx();
    const generation = this.generation;
    const summaries = await ctx.client.list();
    if (generation !== this.generation) return;
    this.summaries = summaries;
    const stale = () => this.summaries.filter((s) => this.held.get(s.caseId)?.version !== versionOf(s));
    if (!this.titling) {
      const untitled = stale().filter((s) => this.heads.get(s.caseId)?.version !== versionOf(s));
      this.titling = inBatches<CaseHead>(
        (ids, onBatch) => ctx.client.getHeads(ids, onBatch),
        untitled.map((s) => s.caseId),
        async (head) => {
          if (generation !== this.generation) return;
          const report = await readHeadReport(head, ctx.key);
          if (generation === this.generation) this.heads.set(head.summary.caseId, { version: versionOf(head.summary), report });
        },
      )
        .then(() => {
          const listed = new Set(this.summaries.map((s) => s.caseId));
          for (const map of [this.held, this.heads]) for (const id of map.keys()) if (!listed.has(id)) map.delete(id);
          this.loading = this.loading.then(() => (generation === this.generation ? this.loadWhole(ctx, stale(), generation) : undefined)).catch(() => undefined);
        })
        .finally(() => (this.titling = null));
    }
    const titling = this.titling;
    if (options.within === undefined || options.whole) await titling;
    else await Promise.race([titling, new Promise((ok) => setTimeout(ok, options.within).unref())]);
    if (options.whole) await this.loading;
  }

  private async loadWhole(ctx: Context, stale: CaseSummary[], generation: number): Promise<void> {
    if (stale.length === 0) return;
    const channels = await channelsOf(ctx);
    await inBatches<OfficerCase>(
      (ids, onBatch) => ctx.client.getMany(ids, onBatch),
      stale.map((s) => s.caseId),
      async (data) => {
        if (generation !== this.generation) return;
        const read = await readCase(data, ctx.key, channels);
        const text = [data.summary.caseId, ...read.entries.map((e) => textOf(e.payload))].join('\n').toLowerCase();
        if (generation === this.generation) this.held.set(data.summary.caseId, { version: versionOf(data.summary), read, text });
      },
    );
  }

  list(filter: { q?: string; status?: string; channel?: string; category?: string } = {}): ListedCase[] {
    const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return this.summaries.flatMap((summary) => {
      const held = this.held.get(summary.caseId);
      const report = held ? held.read.report : (this.heads.get(summary.caseId)?.report ?? null);
      if (filter.status && (filter.status === 'open' ? summary.status === 'closed' : summary.status !== filter.status)) return [];
      if (filter.channel && summary.channel !== filter.channel) return [];
      if (filter.category && report?.category !== filter.category) return [];
      if (words.length && !words.every((w) => held?.text.includes(w))) return [];
      const pending = !held && this.heads.get(summary.caseId)?.version !== versionOf(summary);
      return [{ summary, title: titleOf(report), category: report?.category ?? null, pending }];
    });
  }

  /** Every case held, for the yearly report and the register. */
  all(): ReadCase[] {
    return this.summaries.flatMap((s) => this.held.get(s.caseId)?.read ?? []);
  }

  /**
   * The case as the server has it now, read again whatever is held: what a case view opened (or
   * reloaded) shows, so a note or reply that came in since is there. Null if it is not listed.
   */
  async fresh(caseId: string): Promise<ReadCase | null> {
    if (!this.summaries.some((s) => s.caseId === caseId)) await this.refresh();
    const summary = this.summaries.find((s) => s.caseId === caseId);
    if (!summary) return null;
    const ctx = this.ctx();
    const data = await ctx.client.get(caseId);
    const read = await readCase(data, ctx.key, await channelsOf(ctx));
    const text = [data.summary.caseId, ...read.entries.map((e) => textOf(e.payload))].join('\n').toLowerCase();
    this.held.set(caseId, { version: versionOf(data.summary), read, text });
    this.summaries = this.summaries.map((s) => (s.caseId === caseId ? data.summary : s));
    return read;
  }

  async get(caseId: string): Promise<ReadCase | null> {
    if (!this.held.has(caseId)) {
      await this.refresh();
      // This one case now, without waiting for all the others loading behind the list.
      const summary = this.summaries.find((s) => s.caseId === caseId);
      if (summary && !this.held.has(caseId)) await this.loadWhole(this.ctx(), [summary], this.generation);
    }
    return this.held.get(caseId)?.read ?? null;
  }
}

/**
 * The case's files, each once: an escalation carries copies of the files it passes on (the same
 * bytes under a new id, for CLB); where this key also reads the original, verified, the copy is
 * not listed again.
 */
function shownFiles(read: ReadCase) {
  const files = filesOf(read);
  const entries = new Map(read.entries.map((e) => [e.id, e]));
  const same = (a: CaseFile, b: CaseFile) => a.ref.name === b.ref.name && a.ref.size === b.ref.size && a.ref.type === b.ref.type;
  return files.filter((f) => entries.get(f.entryId)?.payload?.kind !== 'escalation' || !files.some((o) => o !== f && o.described && entries.get(o.entryId)?.thread === 'case' && same(o, f)));
}

/** What the desk's case view shows: everything decrypted, with a verdict per message. */
export function caseView(read: ReadCase, ctx: Context) {
  const s = read.data.summary;
  const today = dayOf(ctx.now());
  const states = new Map(read.data.files.map((f) => [f.id, f.state]));
  return {
    summary: s,
    title: titleOf(read.report),
    report: read.report,
    reportSource: read.reportSource,
    reporterKeyOk: read.reporterKeyOk,
    consent: read.consent,
    /** Channels the reporter agreed (signed) that the case may move to, other than where it is. */
    moveConsents: read.moveConsents.filter((c) => c !== s.channel),
    clock: reporterClock(s, today),
    readers: read.data.recipients.map((r) => ({ role: r.role, name: r.name })),
    records: recordsOf(read),
    entries: read.entries.filter((e) => e.unreadable !== 'not-for-this-key').map(entryView),
    hiddenEntries: read.entries.filter((e) => e.unreadable === 'not-for-this-key').length,
    files: shownFiles(read).map((f) => ({ ...f.ref, entryId: f.entryId, described: f.described, state: states.get(f.ref.id) ?? 'missing' })),
  };
}
export type CaseView = ReturnType<typeof caseView>;

function entryView(e: Entry) {
  const s = e.signature;
  const verified = s.status === 'verified' && !e.otherCase && e.order !== 'replayed';
  return {
    id: e.id,
    day: e.day,
    thread: e.thread,
    author: e.claimedAuthor,
    verified,
    signer: s.status === 'verified' || s.status === 'bad-signature' ? s.name : null,
    problem: e.otherCase ? 'other-case' : e.order === 'replayed' ? 'replayed' : verified ? null : s.status,
    /** A message missing before this one, or this one moved up (the signed order). */
    order: e.order === 'replayed' ? null : (e.order ?? null),
    unreadable: e.unreadable,
    // The report's attachments are shown by name only; their bytes stay in the export.
    payload: (e.payload && 'attachments' in e.payload ? { ...e.payload, attachments: e.payload.attachments.map(({ name, type }) => ({ name, type, data: '' })) } : e.payload) as Payload | null,
  };
}
export type EntryView = ReturnType<typeof entryView>;
