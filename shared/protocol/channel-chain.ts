/**
 * Which channel a case rightly sits in, worked out from signed messages alone, never from the
 * server's word: the channel the report names, then each move the reporter agreed to, in order.
 * A consent counts for the one move request it names (by mark); a move counts once the officer who
 * made it says so (a `moved` payload naming that consent). Until then the agreed channel is also
 * right (the move may not have happened yet). A case listed anywhere else after a move was undone
 * by the server.
 */
import type { Payload } from '../schemas/payload.ts';

export interface ChainEntry {
  /** Verified, signed by the case's reporter key. */
  byReporter: boolean;
  /** Verified, signed by an officer or target key the reader trusts. */
  byStaff: boolean;
  payload: Payload | null;
  mark: string | null;
}

export interface ChannelChain {
  /** Where the last signed move put the case (or the report's channel). */
  current: string;
  /** Channels the reporter agreed to since, not yet confirmed moved. */
  agreed: string[];
  /** Whether a signed move happened at all. */
  moved: boolean;
}

export function channelChain(reportChannel: string, entries: ChainEntry[]): ChannelChain {
  const requests = new Map<string, string>();
  const consents = new Map<string, string>();
  const chain: ChannelChain = { current: reportChannel, agreed: [], moved: false };
  for (const { byReporter, byStaff, payload: p, mark } of entries) {
    if (!p) continue;
    if (byStaff && p.kind === 'move-request' && mark) requests.set(mark, p.to);
    // A consent from before consents named their request counts as it always did.
    if (byReporter && p.kind === 'move-consent' && (!p.request || requests.get(p.request) === p.to)) {
      if (mark) consents.set(mark, p.to);
      chain.agreed.push(p.to);
    }
    if (byStaff && p.kind === 'moved' && consents.get(p.consent) === p.to) {
      chain.current = p.to;
      chain.moved = true;
      chain.agreed = [];
    }
  }
  return chain;
}

/** The case may be in `channel`: where signed moves put it, or where the reporter just agreed to move it. */
export const rightlyPlaced = (chain: ChannelChain, channel: string) => channel === chain.current || chain.agreed.includes(channel);

/** A signed move happened, and the server lists the case somewhere it did not go. */
export const moveUndone = (chain: ChannelChain, channel: string) => chain.moved && !rightlyPlaced(chain, channel);
