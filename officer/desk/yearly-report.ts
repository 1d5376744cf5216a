/**
 * The yearly report (the anonymised annual figures the integrity officer owes the board), computed
 * on the officer's machine from the decrypted cases: the server never learns categories or outcomes.
 */
import { DESK_TEXTS, type Lang } from './ui/i18n.ts';
import type { OutcomeResult } from '../../shared/schemas/payload.ts';
import { addMonths, daysBetween, ACKNOWLEDGE_WITHIN_DAYS, FEEDBACK_WITHIN_MONTHS } from '../../shared/wbk/deadlines.ts';
import type { ReadCase } from '../case-reader.ts';

export interface YearlyReport {
  year: number;
  cases: number;
  byChannel: Record<string, number>;
  byCategory: Record<string, number>;
  byTrack: Record<string, number>;
  /** A conclusion from the closing message, `open` while the case runs, `unspecified` when closed without one. */
  byOutcome: Record<string, number>;
  /** Of all cases received in the year. */
  acknowledgedInTime: { count: number; of: number };
  /** Of the acknowledged cases: feedback within 3 months of the acknowledgement. */
  answeredInTime: { count: number; of: number };
  /** Received → acknowledged, in days; null without any. */
  medianDaysToAcknowledge: number | null;
  /** Acknowledged → first feedback, in days. */
  medianDaysToFeedback: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The conclusion of a closed case: from the outcome message its own officer signed. */
function outcomeOf(read: ReadCase): OutcomeResult | 'open' | 'unspecified' {
  if (read.data.summary.status !== 'closed') return 'open';
  const outcome = read.entries.find((e) => e.thread === 'case' && e.payload?.kind === 'outcome' && e.signature.status === 'verified');
  return (outcome?.payload?.kind === 'outcome' && outcome.payload.result) || 'unspecified';
}

const count = (into: Record<string, number>, key: string) => void (into[key] = (into[key] ?? 0) + 1);

export function yearlyReport(cases: ReadCase[], year: number): YearlyReport {
  const report: YearlyReport = {
    year,
    cases: 0,
    byChannel: {},
    byCategory: {},
    byTrack: {},
    byOutcome: {},
    acknowledgedInTime: { count: 0, of: 0 },
    answeredInTime: { count: 0, of: 0 },
    medianDaysToAcknowledge: null,
    medianDaysToFeedback: null,
  };
  const toAck: number[] = [];
  const toFeedback: number[] = [];
  for (const read of cases) {
    const s = read.data.summary;
    if (!s.receivedOn.startsWith(`${year}-`)) continue;
    report.cases++;
    count(report.byChannel, s.channel);
    count(report.byCategory, read.report?.category ?? 'unknown');
    count(report.byTrack, read.report?.track ?? 'unknown');
    count(report.byOutcome, outcomeOf(read));
    report.acknowledgedInTime.of++;
    if (!s.acknowledgedOn) continue;
    const ackDays = daysBetween(s.receivedOn, s.acknowledgedOn);
    toAck.push(ackDays);
    if (ackDays <= ACKNOWLEDGE_WITHIN_DAYS) report.acknowledgedInTime.count++;
    report.answeredInTime.of++;
    if (!s.feedbackOn) continue;
    toFeedback.push(daysBetween(s.acknowledgedOn, s.feedbackOn));
    if (s.feedbackOn <= addMonths(s.acknowledgedOn, FEEDBACK_WITHIN_MONTHS)) report.answeredInTime.count++;
  }
  report.medianDaysToAcknowledge = median(toAck);
  report.medianDaysToFeedback = median(toFeedback);
  return report;
}

const cell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The same figures as CSV: `section,key,value`, one row a figure, for a spreadsheet. */
/** The CSV for a spreadsheet, in the officer's language: the same words as the page, no raw codes. */
export function reportCsv(r: YearlyReport, lang: Lang = 'nl'): string {
  const t = DESK_TEXTS[lang];
  const c = t.report;
  const names: Record<'byChannel' | 'byCategory' | 'byTrack' | 'byOutcome', [string, (key: string) => string]> = {
    byChannel: [c.byChannel, (k) => k],
    byCategory: [c.byCategory, (k) => t.categories[k] ?? k],
    byTrack: [c.byTrack, (k) => t.tracks[k] ?? k],
    byOutcome: [c.byOutcome, (k) => t.results[k] ?? k],
  };
  const [count, of] = lang === 'nl' ? ['aantal', 'van'] : ['count', 'of'];
  const rows: Array<[string, string, string | number | null]> = [
    [c.year, '', r.year],
    [c.cases, '', r.cases],
    ...(Object.keys(names) as Array<keyof typeof names>).flatMap((section) =>
      Object.entries(r[section]).sort(([a], [b]) => a.localeCompare(b)).map(([key, n]): [string, string, number] => [names[section][0], names[section][1](key), n]),
    ),
    [c.ackInTime, count, r.acknowledgedInTime.count],
    [c.ackInTime, of, r.acknowledgedInTime.of],
    [c.answeredInTime, count, r.answeredInTime.count],
    [c.answeredInTime, of, r.answeredInTime.of],
    [c.medianAck, '', r.medianDaysToAcknowledge],
    [c.medianFeedback, '', r.medianDaysToFeedback],
  ];
  const head = lang === 'nl' ? 'onderdeel,waarde,aantal' : 'section,value,count';
  return [head, ...rows.map((row) => row.map(cell).join(','))].join('\n') + '\n';
}
