/**
 * The readable summary of a case for the register, in Dutch: the words of the desk's own
 * catalogue (officer/desk/ui/i18n*.ts), so the register, the desk and its printout say the same
 * thing. Everything a reporter or officer wrote is made inert (no Markdown or terminal codes).
 */
import type { Payload } from '../shared/schemas/payload.ts';
import type { Day } from '../shared/schemas/primitives.ts';
import { base64Bytes, formatSize } from '../shared/format/size.ts';
import type { Entry, ReadCase } from './case-reader.ts';
import { DESK_TEXTS, formatDay } from './desk/ui/i18n.ts';
import { inertLine, inertLines } from './inert.ts';
import { recordsOf } from './records.ts';

const t = DESK_TEXTS.nl;

/** ECHT or NIET GEVERIFIEERD, and why: the desk's words. */
export function verdictNl(entry: Entry): string {
  const e = t.entry;
  if (entry.otherCase) return e.otherCase;
  if (entry.order === 'replayed') return e.replayed;
  const s = entry.signature;
  if (s.status === 'verified') return e.verified(entry.claimedAuthor === 'reporter' ? e.theReporter : s.name);
  return s.status === 'bad-signature' ? e.badSignature : e.notVerified;
}

const field = (label: string, value: string | undefined) => (value ? [`${label}: ${value}`] : []);

function payloadLines(p: Payload, withheld = false): string[] {
  const f = t.entry.fields;
  const files = ('files' in p ? p.files : []).map((x) => `${t.files.heading}: ${x.name} (${x.type}, ${formatSize(x.size)}${x.metadataKept ? `, ${t.files.metadataKept}` : ''})`);
  const attachments = 'attachments' in p ? p.attachments.map((a) => `${f.attachments}: ${a.name} (${a.type}, ${formatSize(base64Bytes(a.data))})`) : [];
  const body = ((): string[] => {
    switch (p.kind) {
      case 'report': {
        const a = p.answers;
        return [
          `${f.category}: ${t.categories[p.category] ?? p.category} · ${t.tracks[p.track] ?? p.track}`,
          `${f.what}: ${a.what}`,
          ...field(f.when, a.when),
          `${f.where}: ${t.entry.levels[a.where.level] ?? a.where.level}${a.where.detail ? ` (${a.where.detail})` : ''}`,
          ...field(f.who, a.who),
          ...field(f.witnesses, a.witnesses),
          ...field(f.evidence, a.evidence),
          ...field(f.reportedBefore, a.reportedBefore),
          ...field(f.hopes, a.hopes),
          `${f.conversation}: ${t.entry.conversations[p.conversation] ?? p.conversation}${p.meetingTimes ? `; ${f.meetingTimes.toLowerCase()}: ${p.meetingTimes}` : ''}`,
          `${f.contact}: ${withheld ? f.withheld : p.contact || f.anonymous}`,
          `${f.consent}: ${t.view.consents[p.consent.clb]}`,
        ];
      }
      case 'escalation':
        return [
          ...(p.note ? [`${f.note}: ${p.note}`] : []),
          `${f.contact}: ${p.contact === undefined ? f.withheld : p.contact || f.anonymous}`,
          ...p.messages.flatMap((m) => [
            `--- ${t.entry.authors[m.author] ?? m.author} · ${m.day}`,
            ...((m.payload as Payload | null)?.kind ? payloadLines(m.payload as Payload, p.contact === undefined).map((l) => `    ${l}`) : [`    ${t.entry.unreadable}`]),
          ]),
        ];
      case 'outcome':
        return [...(p.result ? [`${f.result}: ${t.results[p.result]}`] : []), p.text];
      case 'reply':
      case 'acknowledgement':
      case 'note':
      case 'reporter-message':
        return [p.text];
      case 'consent-request':
        return [t.view.consents[p.scope], p.text];
      case 'consent':
        return [t.view.consents[p.clb]];
      case 'consent-answer':
        return [t.view.consentAnswers[p.answer], t.view.consents[p.scope]];
      case 'meeting-request':
        return [`${f.mode}: ${t.entry.conversations[p.mode] ?? p.mode}`, ...field(f.meetingTimes, p.times)];
      case 'record':
        return [p.title, p.text];
      case 'record-response':
        return [p.agreed ? f.agreed : f.corrected, ...(p.corrections ? [p.corrections] : [])];
      case 'move-request':
        return [`${f.moveTo}: ${p.to}`, p.text];
      case 'move-consent':
        return [`${f.moveAgreed}: ${p.to}`];
      case 'moved':
        return [`${f.moved}: ${p.to}`];
    }
  })();
  return [...body, ...attachments, ...files].flatMap(inertLines);
}

/** The register's summary, beside the OpenPGP files of the export. */
export function registerSummary(read: ReadCase, today: Day, files: string[]): string {
  const s = read.data.summary;
  const v = t.view;
  const day = (d: string | null | undefined) => (d ? formatDay(d, 'nl') : '-');
  const skipped = read.entries.filter((e) => e.unreadable === 'not-for-this-key').length;
  const kindOf = (e: Entry) => (e.payload ? t.entry.kinds[e.payload.kind] ?? e.payload.kind : '?');
  return [
    `# ${v.caseId} ${s.caseId}`,
    '',
    '| | |',
    '| --- | --- |',
    `| ${t.list.channel} | ${s.channel} |`,
    `| ${t.list.columns.status} | ${t.statuses[s.status]} |`,
    `| ${v.received} | ${day(s.receivedOn)} |`,
    `| ${v.acknowledgedOn} | ${day(s.acknowledgedOn)} (${v.acknowledgeBy.toLowerCase()} ${day(s.acknowledgeBy)}) |`,
    `| ${v.feedbackBy} | ${day(s.feedbackBy)} |`,
    `| ${v.closedOn} | ${day(s.closedOn)} |`,
    `| ${t.flags.escalated} | ${s.escalated ? s.escalatedTo.join(', ') : 'nee'} |`,
    inertLine(`| ${v.readers} | ${read.data.recipients.map((r) => `${r.role === 'reporter' ? v.reporter : r.name} (${r.fingerprint})`).join(', ')} |`),
    `| Geëxporteerd | ${day(today)} |`,
    ...recordsOf(read).map((r) => inertLine(`| ${v.records}: ${r.title} | ${v.recordStates[r.status]} |`)),
    '',
    `Elk bericht hieronder staat ook in deze map, als het OpenPGP-bestand dat de server bewaarde (${files.length} bestanden).`,
    'Met de sleutel van de functionaris leest `gpg --decrypt BESTAND` het, zonder deze software.',
    'Importeer eerst `signer-public-keys.asc`, dan controleert GnuPG ook wie elk bericht ondertekende.',
    '',
    ...(skipped ? [`${skipped} bericht(en) van deze zaak zijn niet voor deze sleutel versleuteld en horen niet bij deze export.`, ''] : []),
    ...read.entries
      .filter((e) => e.unreadable !== 'not-for-this-key')
      .flatMap((e) => [
        `## #${e.id} · ${kindOf(e)} · ${t.entry.authors[e.claimedAuthor] ?? e.claimedAuthor} · ${day(e.day)}${t.entry.threads[e.thread] ? ` · ${t.entry.threads[e.thread]}` : ''}`,
        '',
        ...(e.order && e.order !== 'replayed' ? [e.order === 'missing' ? t.entry.orderMissing : t.entry.orderMoved, ''] : []),
        `*${verdictNl(e)}*`,
        '',
        ...(e.payload ? payloadLines(e.payload).map((l) => `    ${l}`) : [`    ${t.entry.unreadable}`]),
        '',
      ]),
  ].join('\n');
}
