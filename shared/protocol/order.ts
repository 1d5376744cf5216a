/**
 * The order of a thread, signed into its messages. Each payload names the message its author saw
 * last on that thread (`after`), by a mark: SHA-256 of the message's encrypted data packet, which
 * a move leaves as it is (it only replaces the session key packets). A reader walks the thread in
 * the order the server gives and finds:
 *
 * - `missing`: a message names one that is not there: the server held one back or deleted it;
 * - `out-of-order`: a message names one that comes after it: the server reordered them;
 * - `replayed`: a message that was already there once: the server copied it again.
 *
 * What cannot be seen: the very last message of a thread held back, until the next message names
 * it; a message that no one wrote after (see docs/decisions/0005-signed-order.md).
 */
import { dearmor } from './armor.ts';
import { toHex } from './bytes.ts';
import { readPackets, TAG } from './packets.ts';

export type OrderProblem = 'missing' | 'out-of-order' | 'replayed';

/** The mark of a stored message: 32 hex digits of SHA-256 over its encrypted data packet; null if it has none. */
export async function messageMark(armored: string): Promise<string | null> {
  try {
    const data = readPackets(dearmor(armored, 'MESSAGE')).find((p) => p.tag === TAG.seipd);
    if (!data) return null;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data.body as Uint8Array<ArrayBuffer>));
    return toHex(digest.subarray(0, 16));
  } catch {
    return null;
  }
}

/** Problems of a thread's messages, in the server's order: `after` is what the payload names, if it does. */
export function orderProblems(thread: Array<{ id: string; mark: string | null; after?: string }>): Map<string, OrderProblem> {
  const problems = new Map<string, OrderProblem>();
  const seen = new Set<string>();
  const later = new Set(thread.flatMap((m) => (m.mark ? [m.mark] : [])));
  for (const m of thread) {
    if (m.mark && seen.has(m.mark)) problems.set(m.id, 'replayed');
    else if (m.after && !seen.has(m.after)) problems.set(m.id, later.has(m.after) ? 'out-of-order' : 'missing');
    if (m.mark) seen.add(m.mark);
  }
  return problems;
}
