import { describe, expect, it } from 'vitest';
import { orderProblems } from './order.ts';

const m = (id: string, mark: string, after?: string) => ({ id, mark, after });

describe('the signed order of a thread', () => {
  it('accepts a chain, and two messages written at once after the same one', () => {
    expect(orderProblems([m('0', 'a'), m('1', 'b', 'a'), m('2', 'c', 'b'), m('3', 'd', 'b')]).size).toBe(0);
  });
  it('names a message missing from the middle, a reordering and a replay', () => {
    expect([...orderProblems([m('0', 'a'), m('2', 'c', 'b')])]).toEqual([['2', 'missing']]);
    expect([...orderProblems([m('0', 'a'), m('1', 'c', 'b'), m('2', 'b', 'a')])]).toEqual([['1', 'out-of-order']]);
    expect([...orderProblems([m('0', 'a'), m('1', 'b', 'a'), m('2', 'b', 'a')])]).toEqual([['2', 'replayed']]);
  });
  it('checks nothing of a message that names no predecessor (the report, older messages)', () => {
    expect(orderProblems([m('0', 'a'), m('1', 'x')]).size).toBe(0);
  });
});
