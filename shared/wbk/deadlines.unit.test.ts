import { describe, expect, it } from 'vitest';
import { acknowledgeBy, addMonths, dayOf, feedbackBy, isDueWithin, isOverdue, nextDeadline } from './deadlines.ts';

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
});
