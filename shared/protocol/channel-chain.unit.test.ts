import { describe, expect, it } from 'vitest';
import type { Payload } from '../schemas/payload.ts';
import { channelChain, moveUndone, rightlyPlaced } from './channel-chain.ts';

const staff = (mark: string, payload: object) => ({ byReporter: false, byStaff: true, mark, payload: payload as Payload });
const reporter = (mark: string, payload: object) => ({ byReporter: true, byStaff: false, mark, payload: payload as Payload });
const request = staff('r1', { v: 1, kind: 'move-request', to: 'b', text: 'mag het?' });
const consent = reporter('c1', { v: 1, kind: 'move-consent', to: 'b', request: 'r1' });
const moved = staff('m1', { v: 1, kind: 'moved', to: 'b', consent: 'c1' });

describe('the channel a case rightly sits in', () => {
  it('is the report\'s, then an agreed move (before and after it happens), then only the moved-to channel', () => {
    expect(rightlyPlaced(channelChain('a', [request]), 'b')).toBe(false);
    const agreed = channelChain('a', [request, consent]);
    expect([rightlyPlaced(agreed, 'a'), rightlyPlaced(agreed, 'b')]).toEqual([true, true]);
    const done = channelChain('a', [request, consent, moved]);
    expect([rightlyPlaced(done, 'a'), rightlyPlaced(done, 'b'), moveUndone(done, 'a')]).toEqual([false, true, true]);
  });
  it('counts a consent only for the request it names, and a move only for a consent it names', () => {
    const stray = reporter('c2', { v: 1, kind: 'move-consent', to: 'b', request: 'not-a-request' });
    expect(rightlyPlaced(channelChain('a', [request, stray]), 'b')).toBe(false);
    const unasked = staff('m2', { v: 1, kind: 'moved', to: 'b', consent: 'c-unknown' });
    expect(channelChain('a', [request, consent, unasked]).moved).toBe(false);
    // A "moved" the reporter wrote, or a consent an officer wrote, counts for nothing.
    expect(channelChain('a', [request, { ...consent, byReporter: false, byStaff: true }]).agreed).toEqual([]);
  });
});
