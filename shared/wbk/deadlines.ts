/**
 * The clock of the Wet bescherming klokkenluiders (EU directive 2019/1937, art. 9): acknowledge
 * receipt within 7 days; give feedback within 3 months of the acknowledgement. Days are calendar
 * days in Europe/Amsterdam, where the law is kept.
 */
import type { Day } from '../schemas/primitives.ts';

export const ACKNOWLEDGE_WITHIN_DAYS = 7;
export const FEEDBACK_WITHIN_MONTHS = 3;

const HOUR_MS = 60 * 60 * 1000;

function parts(day: Day): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}
const format = (date: Date): Day => date.toISOString().slice(0, 10);

/** 01:00 UTC on the last Sunday of `month` (0-based) in `year`: when EU summer time begins (March) or ends (October). */
function lastSundayOneUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

/**
 * The calendar day in Amsterdam at an instant: UTC+1, and UTC+2 in summer time, from 01:00 UTC on
 * the last Sunday of March to 01:00 UTC on the last Sunday of October (EU directive 2000/84/EC).
 * Worked out here rather than asked of Intl, whose first use costs ~16 ms of every function's cold
 * start. A test holds it to Intl's Europe/Amsterdam for every hour from 2000 to 2060, so a change
 * of the rules (the EU has discussed ending the clock change) fails a test once Node's time zone
 * data has it.
 */
export function dayOf(instant: Date): Day {
  const t = instant.getTime();
  const year = instant.getUTCFullYear();
  const summer = t >= lastSundayOneUtc(year, 2) && t < lastSundayOneUtc(year, 9);
  return format(new Date(t + (summer ? 2 : 1) * HOUR_MS));
}

export function addDays(day: Day, days: number): Day {
  const [y, m, d] = parts(day);
  return format(new Date(Date.UTC(y, m - 1, d + days)));
}

/** Calendar months; a day that does not exist in the target month becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: Day, months: number): Day {
  const [y, m, d] = parts(day);
  const lastOfTarget = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfTarget))));
}

export const acknowledgeBy = (receivedOn: Day): Day => addDays(receivedOn, ACKNOWLEDGE_WITHIN_DAYS);
export const feedbackBy = (acknowledgedOn: Day): Day => addMonths(acknowledgedOn, FEEDBACK_WITHIN_MONTHS);

/** What the process has reached, as far as deadlines go. */
export interface CaseClock {
  receivedOn: Day;
  acknowledgedOn: Day | null;
  closedOn: Day | null;
  status: string;
}

/**
 * The next legal deadline: acknowledgement until acknowledged, then feedback until feedback was
 * given; null once feedback was given or the case is closed.
 */
export function nextDeadline(c: CaseClock): Day | null {
  if (c.closedOn !== null || c.status === 'closed' || c.status === 'feedback-given') return null;
  return c.acknowledgedOn === null ? acknowledgeBy(c.receivedOn) : feedbackBy(c.acknowledgedOn);
}

/** Past its deadline on `today` (the deadline day itself still counts as on time). */
export function isOverdue(c: CaseClock, today: Day): boolean {
  const due = nextDeadline(c);
  return due !== null && today > due;
}

/** Due within `days` days from `today`, or already overdue. */
export function isDueWithin(c: CaseClock, today: Day, days: number): boolean {
  const due = nextDeadline(c);
  return due !== null && due <= addDays(today, days);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/**
 * What the reporter is told about the clock. The receipt itself is the automatic acknowledgement,
 * on the day of the report; the officer's personal acknowledgement follows within 7 days, and from
 * it the feedback within 3 months. `waitingFor` is what they should hear next, and by when; `late`
 * says that day has passed (then the reporter may turn to an external reporting channel).
 */
export interface ReporterClock {
  receivedOn: Day;
  acknowledgeBy: Day;
  acknowledgedOn: Day | null;
  feedbackBy: Day | null;
  closedOn: Day | null;
  waitingFor: { what: 'acknowledgement' | 'feedback'; by: Day } | null;
  late: boolean;
}

export function reporterClock(c: CaseClock, today: Day): ReporterClock {
  const due = nextDeadline(c);
  return {
    receivedOn: c.receivedOn,
    acknowledgeBy: acknowledgeBy(c.receivedOn),
    acknowledgedOn: c.acknowledgedOn,
    feedbackBy: c.acknowledgedOn === null ? null : feedbackBy(c.acknowledgedOn),
    closedOn: c.closedOn,
    waitingFor: due === null ? null : { what: c.acknowledgedOn === null ? 'acknowledgement' : 'feedback', by: due },
    late: isOverdue(c, today),
  };
}
