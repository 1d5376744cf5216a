/** How the command line shows cases to a person: the case table and the conversation (the register's summary: register-summary.ts). */
import type { CaseSummary } from '../shared/schemas/officer-api.ts';
import type { Payload } from '../shared/schemas/payload.ts';
import type { Day } from '../shared/schemas/primitives.ts';
import { daysBetween, reporterClock } from '../shared/wbk/deadlines.ts';
import type { Entry, ReadCase } from './case-reader.ts';
import { CONSENT_WORDS } from './consent-words.ts';
import { recordsOf } from './records.ts';
import { base64Bytes, formatSize } from '../shared/format/size.ts';
import { inertLine, inertLines } from './inert.ts';

export function verdict(entry: Entry): string {
  if (entry.otherCase) return `NOT VERIFIED: signed, but written for another case (${entry.otherCase})`;
  if (entry.order === 'replayed') return 'NOT VERIFIED: a copy of an earlier message, put here again by the server';
  const s = entry.signature;
  switch (s.status) {
    case 'verified':
      return `VERIFIED: signed by ${s.name}${entry.unbound ? ' (an older message that does not name its case)' : ''}`;
    case 'unsigned':
      return 'NOT VERIFIED: no signature from a known key';
    case 'unknown-signer':
      return `NOT VERIFIED: signed by unknown key ${s.keyId}`;
    case 'bad-signature':
      return `NOT VERIFIED: bad signature claiming to be ${s.name}`;
  }
}

/** "in 3 days", "today", "2 days late". */
export function relative(due: Day, today: Day): string {
  const days = daysBetween(today, due);
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} day${days === 1 ? '' : 's'}`;
  return `${-days} day${days === -1 ? '' : 's'} late`;
}

const kb = (base64: string) => formatSize(base64Bytes(base64));

/** How a payload reads, line by line. `withheld`: an escalated report whose contact details stayed with the officer. */
/** How the files a message refers to read: what the signed message says of each. */
function fileLines(payload: Payload): string[] {
  const files = 'files' in payload ? payload.files : [];
  return files.map((f) => `File: ${f.name} (${f.type}, ${formatSize(f.size)}${f.metadataKept ? ', metadata kept by the sender' : ''}; id ${f.id}; files CASE saves and verifies it)`);
}

/** Each line may hold the reporter's words: made inert, its own line breaks indented under it. */
export function describe(payload: Payload, options: { withheld?: boolean } = {}): string[] {
  return [...describeText(payload, options), ...fileLines(payload)].flatMap(inertLines);
}

function describeText(payload: Payload, options: { withheld?: boolean }): string[] {
  switch (payload.kind) {
    case 'report': {
      const a = payload.answers;
      const contact = options.withheld ? '(not shared with you: the reporter did not consent)' : payload.contact || '(none: anonymous)';
      return [
        `Category: ${payload.category} · track: ${payload.track === 'wbk' ? 'misstand (Wbk)' : 'code of conduct'} · language: ${payload.lang}`,
        `What: ${a.what}`,
        ...(a.when ? [`When: ${a.when}`] : []),
        `Where: ${a.where.level}${a.where.detail ? ` (${a.where.detail})` : ''}`,
        ...(a.who ? [`Who: ${a.who}`] : []),
        ...(a.witnesses ? [`Witnesses: ${a.witnesses}`] : []),
        ...(a.evidence ? [`Evidence: ${a.evidence}`] : []),
        ...payload.attachments.map((f) => `Attachment: ${f.name} (${f.type}, ${kb(f.data)}; export saves it)`),
        ...(a.reportedBefore ? [`Reported before: ${a.reportedBefore}`] : []),
        ...(a.hopes ? [`Hopes for: ${a.hopes}`] : []),
        `Conversation wanted: ${payload.conversation}${payload.meetingTimes ? `; proposed times: ${payload.meetingTimes}` : ''}`,
        `CONTACT DETAILS: ${contact}`,
        `CONSENT (CLB), in the report: ${payload.consent.clb}: ${CONSENT_WORDS[payload.consent.clb]}`,
      ];
    }
    case 'reporter-message':
      return [`reporter-message: ${payload.text}`, ...payload.attachments.map((f) => `Attachment: ${f.name} (${f.type}, ${kb(f.data)}; export saves it)`)];
    case 'escalation':
      return [
        `Escalation of case ${payload.caseId}${payload.note ? `: ${payload.note}` : ''}`,
        `Contact details: ${payload.contact === undefined ? '(not shared: no consent)' : payload.contact || '(none: anonymous)'}`,
        ...payload.messages.flatMap((m) => [`--- ${m.day} ${m.author}`, ...nested(m.payload, payload.contact === undefined)]),
      ];
    case 'outcome':
      return [`outcome${payload.result ? ` (${payload.result})` : ''}: ${payload.text}`];
    case 'reply':
    case 'acknowledgement':
    case 'note':
      return [`${payload.kind}: ${payload.text}`];
    case 'consent-request':
      return [`consent-request (${payload.scope}: ${CONSENT_WORDS[payload.scope]}): ${payload.text}`];
    case 'consent':
      return [`CONSENT given by the reporter: ${payload.clb}: ${CONSENT_WORDS[payload.clb]}`];
    case 'consent-answer':
      return [
        payload.answer === 'no'
          ? `CONSENT REFUSED by the reporter: no to ${payload.scope} (${CONSENT_WORDS[payload.scope]})`
          : `NOT NOW, the reporter answered to ${payload.scope} (${CONSENT_WORDS[payload.scope]}); they may consent later`,
      ];
    case 'meeting-request':
      return [`MEETING REQUESTED (${payload.mode})${payload.times ? `; proposed times: ${payload.times}` : ''}. Answer with: reply CASE --message TEXT`];
    case 'record':
      return [`RECORD "${payload.title}" (${payload.recordId}) for the reporter to check:`, ...payload.text.split('\n').map((l) => `  ${l}`)];
    case 'move-request':
      return [`move-request (to channel ${payload.to}): ${payload.text}`];
    case 'move-consent':
      return [`MOVE CONSENT given by the reporter: the case may move to channel ${payload.to}. Move it with: move CASE --to ${payload.to}`];
    case 'moved':
      return [`MOVED to channel ${payload.to}, with the reporter's consent.`];
    case 'record-response':
      return [payload.agreed ? `The reporter AGREES with record ${payload.recordId}.` : `The reporter CORRECTS record ${payload.recordId}: ${payload.corrections}`];
  }
}

function nested(value: unknown, withheld: boolean): string[] {
  const parsed = (value as Payload | null)?.kind ? (value as Payload) : null;
  return parsed ? describe(parsed, { withheld }).map((l) => `    ${l}`) : ['    (unreadable)'];
}

/** The `cases` table: soonest deadline first (the server's order), overdue and waiting marked. */
export function caseTable(list: CaseSummary[], today: Day, options: { target?: boolean } = {}): string[] {
  if (list.length === 0) return ['No cases.'];
  const rows = list.map((c) => [
    c.caseId,
    c.channel,
    c.status,
    c.receivedOn,
    c.nextDeadline
      ? `${c.nextDeadline} ${c.acknowledgedOn ? 'feedback' : 'acknowledge'} (${relative(c.nextDeadline, today)})`
      : c.deleteAfter
        ? `deleted after ${c.deleteAfter} (${relative(c.deleteAfter, today)}): export first`
        : '-',
    // CLB reads the escalation thread, not (without consent) the reporter's: it is shown only what it reads.
    options.target ? `${c.activity.escalationMessages}` : `${c.activity.caseMessages}${c.activity.escalationMessages ? `+${c.activity.escalationMessages}` : ''}`,
    [c.overdue ? 'OVERDUE' : '', c.awaitingYou ? 'NEW' : '', c.escalated ? `escalated:${c.escalatedTo.join(',')}` : ''].filter(Boolean).join(' '),
  ]);
  const header = ['CASE', 'CHANNEL', 'STATUS', 'RECEIVED', 'NEXT DEADLINE', 'MSGS', 'FLAGS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const overdue = list.filter((c) => c.overdue).length;
  const waiting = list.filter((c) => c.awaitingYou).length;
  lines.push('');
  if (overdue) lines.push(`${overdue} case(s) OVERDUE: the legal deadline has passed. Act on these first.`);
  if (waiting) lines.push(`${waiting} case(s) NEW: the other side wrote last (read with: show CASE).`);
  lines.push(options.target ? 'MSGS: messages on the escalation thread.' : 'MSGS: messages with the reporter (+ on the escalation thread).');
  return lines;
}

/** The header of `show`: where the case stands, and what the reporter has been told to expect. */
export function caseHeader(read: ReadCase, today: Day): string[] {
  const s = read.data.summary;
  const clock = reporterClock(s, today);
  const wbk = clock.waitingFor
    ? `${clock.waitingFor.what} due by ${clock.waitingFor.by} (${relative(clock.waitingFor.by, today)})${clock.late ? ': OVERDUE' : ''}`
    : s.status === 'closed'
      ? `stopped: closed on ${s.closedOn}; the case is deleted after ${s.deleteAfter} (export it to the register before then)`
      : 'stopped: feedback was given';
  const lines = [
    `Case ${s.caseId} · channel ${s.channel} · status ${s.status}${s.escalated ? ` · escalated to ${s.escalatedTo.join(', ')}` : ''}`,
    `Received ${s.receivedOn} · acknowledge by ${s.acknowledgeBy}${s.acknowledgedOn ? ` (acknowledged ${s.acknowledgedOn})` : ''}${s.feedbackBy ? ` · feedback by ${s.feedbackBy}` : ''}`,
    `Wbk clock: ${wbk} (the reporter sees the same dates)`,
    `Readers of the conversation: ${read.data.recipients.map((r) => (r.role === 'reporter' ? 'the reporter' : r.name)).join(', ')}`,
    ...(read.report ? [`Reporter's consent (CLB): ${read.consent}: ${CONSENT_WORDS[read.consent]}`] : []),
    ...recordsOf(read).map((r) => `Record "${r.title}" (#${r.entryId}): ${r.status.toUpperCase()}${r.status === 'corrected' ? `: ${r.corrections}` : ''}`),
  ];
  return lines.map(inertLine);
}

/** What the signed order says, above the entry it is about. */
const ORDER_WARNING = {
  missing: (id: string) => `!! Er ontbreekt een bericht / message missing: #${id} follows a message that is not here (held back or deleted by the server).`,
  'out-of-order': (id: string) => `!! Volgorde gewijzigd / out of order: #${id} was written after a message that is shown below it.`,
} as const;

const THREAD_MARK = { case: '', clb: '[escalation thread] ', internal: '[internal note: officers only] ' } as const;

/** The conversation, message by message, each with its verdict. */
export function conversation(read: ReadCase): string[] {
  const lines: string[] = [];
  if (read.report && !read.reporterKeyOk) {
    lines.push('WARNING: the reporter key the server lists is not the one the report names. Reporter messages cannot be verified.');
  }
  const before = read.entries.filter((e) => e.unreadable === 'not-for-this-key');
  if (before.length) lines.push(`(${before.length} message(s) were not encrypted to your key; what was shared with you is in the escalation.)`);
  for (const entry of read.entries) {
    if (entry.unreadable === 'not-for-this-key') continue;
    lines.push('');
    if (entry.order && entry.order !== 'replayed') lines.push(ORDER_WARNING[entry.order](entry.id));
    lines.push(inertLine(`#${entry.id} ${entry.day} ${THREAD_MARK[entry.thread]}${entry.claimedAuthor} · ${verdict(entry)}`));
    if (!entry.payload) lines.push(inertLine(`  (cannot read: ${entry.unreadable})`));
    else lines.push(...describe(entry.payload).map((l) => `  ${l}`));
  }
  return lines;
}
