import { describe, expect, it } from 'vitest';
import { acknowledgeBy, addMonths, dayOf, daysBetween, feedbackBy, isDueWithin, isOverdue, nextDeadline, reporterClock } from './deadlines.ts';

describe('Wbk clock', () => {
  it('acknowledgement is due 7 calendar days after receipt, across month and year ends', () => {
    expect(acknowledgeBy('2026-11-23')).toBe('2026-11-30');
    expect(acknowledgeBy('2026-12-28')).toBe('2027-01-04');
  });

  it('feedback is due 3 calendar months after the acknowledgement, clamped to the month end', () => {
    expect(feedbackBy('2026-11-23')).toBe('2027-02-23');
    expect(feedbackBy('2026-11-30')).toBe('2027-02-28');
    expect(feedbackBy('2027-11-30')).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('takes the day in Amsterdam, not in UTC', () => {
    expect(dayOf(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24'); // CET, UTC+1
    expect(dayOf(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02'); // CEST, UTC+2
    expect(dayOf(new Date('2026-07-01T21:30:00Z'))).toBe('2026-07-01');
  });

  it("agrees with Intl's Europe/Amsterdam on the day, every hour (and the millisecond before) from 2000 to 2060", () => {
    const amsterdam = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
    const hour = 60 * 60 * 1000;
    const disagree: string[] = [];
    for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2061, 0, 1); t += hour) {
      for (const instant of [new Date(t), new Date(t - 1)]) {
        if (dayOf(instant) !== amsterdam.format(instant)) disagree.push(instant.toISOString());
      }
    }
    expect(disagree).toEqual([]);
  });

  it('knows the next deadline and what is overdue', () => {
    const received = { receivedOn: '2026-11-02', acknowledgedOn: null, closedOn: null, status: 'received' };
    expect(nextDeadline(received)).toBe('2026-11-09');
    expect(isOverdue(received, '2026-11-09')).toBe(false);
    expect(isOverdue(received, '2026-11-10')).toBe(true);
    expect(isDueWithin(received, '2026-11-07', 2)).toBe(true);
    expect(isDueWithin(received, '2026-11-06', 2)).toBe(false);
    const acknowledged = { ...received, acknowledgedOn: '2026-11-05', status: 'acknowledged' };
    expect(nextDeadline(acknowledged)).toBe('2027-02-05');
    expect(nextDeadline({ ...acknowledged, status: 'feedback-given' })).toBeNull();
    expect(isOverdue({ ...acknowledged, status: 'closed', closedOn: '2026-12-01' }, '2030-01-01')).toBe(false);
  });

  it('keeps whole days across the daylight-saving changes', () => {
    // Summer time starts 2026-03-29 and ends 2026-10-25 in Amsterdam.
    expect(acknowledgeBy('2026-03-26')).toBe('2026-04-02');
    expect(acknowledgeBy('2026-10-22')).toBe('2026-10-29');
    expect(dayOf(new Date('2026-03-29T22:30:00Z'))).toBe('2026-03-30'); // 00:30 CEST
    expect(dayOf(new Date('2026-10-25T22:30:00Z'))).toBe('2026-10-25'); // 23:30 CET
    expect(dayOf(new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25'); // 00:30 CEST
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-26', '2026-10-24')).toBe(-2);
  });

  it('counts months by the calendar, not by 30 or 90 days', () => {
    expect(feedbackBy('2026-05-31')).toBe('2026-08-31');
    expect(feedbackBy('2027-03-31')).toBe('2027-06-30');
    expect(feedbackBy('2027-11-29')).toBe('2028-02-29');
    expect(feedbackBy('2026-10-15')).toBe('2027-01-15');
  });

  it('tells the reporter what to expect next, and when it is late', () => {
    const received = { receivedOn: '2026-11-02', acknowledgedOn: null, closedOn: null, status: 'received' };
    expect(reporterClock(received, '2026-11-02')).toEqual({
      receivedOn: '2026-11-02',
      acknowledgeBy: '2026-11-09',
      acknowledgedOn: null,
      feedbackBy: null,
      closedOn: null,
      waitingFor: { what: 'acknowledgement', by: '2026-11-09' },
      late: false,
    });
    expect(reporterClock(received, '2026-11-10').late).toBe(true);
    const acknowledged = { ...received, acknowledgedOn: '2026-11-04', status: 'in-progress' };
    expect(reporterClock(acknowledged, '2027-02-04')).toMatchObject({ feedbackBy: '2027-02-04', waitingFor: { what: 'feedback', by: '2027-02-04' }, late: false });
    expect(reporterClock(acknowledged, '2027-02-05').late).toBe(true);
    const closed = { ...acknowledged, status: 'closed', closedOn: '2026-12-01' };
    expect(reporterClock(closed, '2030-01-01')).toMatchObject({ closedOn: '2026-12-01', waitingFor: null, late: false });
  });
});
