/**
 * Notice mails, on the hour. A mail sent the moment a report or a reporter's message arrives would
 * tell the mail providers on its way (and anyone who sees the officer's inbox) when the reporter
 * wrote, to the second. So nothing the reporter does sends mail: the hourly job mails each channel's
 * officers once if anything from a reporter has come in since the last notice, and the mail's time
 * says only that it came in during the past hour (DESIGN: no timing detail beyond "something is
 * waiting"). Officers' own actions (escalation, a move, a CLB message) still mail at once: their
 * timing is the officer's, not the reporter's.
 */
import { NOTICES, type Mailer } from '../mail/mailer.ts';
import type { RuntimeConfig } from '../config.ts';
import type { CaseStore } from '../store/cases.ts';

export interface NoticeDeps {
  cases: CaseStore;
  mailer: Mailer;
  runtime: RuntimeConfig;
}

export interface NoticeResult {
  /** Channels whose officers were mailed. */
  mailed: string[];
  /** Channels with something waiting whose mail failed: tried again on the next run. */
  failed: string[];
}

export async function runNotices(deps: NoticeDeps): Promise<NoticeResult> {
  const result: NoticeResult = { mailed: [], failed: [] };
  for (const [id, channel] of deps.runtime.channels) {
    const waiting = await deps.cases.unnoticed(id);
    if (waiting.length === 0) continue;
    try {
      await deps.mailer.send({ to: channel.recipients.map((r) => r.email), ...NOTICES.waiting });
    } catch {
      console.error('notice mail failed');
      result.failed.push(id);
      continue;
    }
    for (const { caseId, reporterItems } of waiting) await deps.cases.markNoticed(caseId, reporterItems);
    result.mailed.push(id);
  }
  return result;
}
