/**
 * The daily job: remind officers of deadlines due within 2 days or passed, delete closed cases
 * whose retention has ended, and forget request nonces past their window (DynamoDB TTL is only a
 * backstop; dynalite has none).
 */
import { deleteWholeCase, sweepDeleted, sweepFiles } from './files.ts';
import { addDays, dayOf, daysBetween, isDueWithin } from '../../shared/wbk/deadlines.ts';

/** The last day a closed case is kept; the daily job deletes it the day after. */
export const deleteAfter = (closedOn: string, retentionDays: number) => addDays(closedOn, retentionDays);
import { NOTICES } from '../mail/mailer.ts';
import type { OfficerDeps } from './officer.ts';

export const REMIND_DAYS_AHEAD = 2;
/** Days before a closed case is deleted on which its officers are warned to export it. */
export const RETENTION_WARNINGS = [14, 1];

export interface DailyResult {
  /** Channels whose officers were warned that closed cases will soon be deleted. */
  retentionWarned: string[];
  /** Channels whose officers were mailed. */
  reminded: string[];
  deleted: number;
  /** Remembered officer request nonces that expired and were removed. */
  noncesSwept: number;
  /** Stored files that no complete upload on a live case refers to, deleted after a day. */
  filesSwept: number;
  /** Deleted cases swept again for writes that were under way at their delete. */
  deletedSwept: number;
}

export async function runDaily(deps: OfficerDeps): Promise<DailyResult> {
  const today = dayOf(deps.clock.now());
  const retention = deps.runtime.config.retentionDays;
  const result: DailyResult = { reminded: [], retentionWarned: [], deleted: 0, noncesSwept: 0, filesSwept: 0, deletedSwept: 0 };
  for (const [id, channel] of deps.runtime.channels) {
    const cases = await deps.cases.listByChannel(id);
    for (const doc of cases) {
      if (doc.closedOn && deleteAfter(doc.closedOn, retention) < today) {
        await deleteWholeCase(deps, doc.caseId);
        result.deleted++;
      }
    }
    const soonDeleted = cases.some((doc) => doc.closedOn && RETENTION_WARNINGS.includes(daysBetween(today, deleteAfter(doc.closedOn, retention))));
    if (soonDeleted) {
      try {
        await deps.mailer.send({ to: channel.recipients.map((r) => r.email), ...NOTICES.retention });
        result.retentionWarned.push(id);
      } catch {
        console.error('retention mail failed');
      }
    }
    if (cases.some((doc) => isDueWithin(doc, today, REMIND_DAYS_AHEAD))) {
      try {
        await deps.mailer.send({ to: channel.recipients.map((r) => r.email), ...NOTICES.deadlines });
        result.reminded.push(id);
      } catch {
        console.error('reminder mail failed');
      }
    }
  }
  result.noncesSwept = await deps.cases.sweepNonces(Math.floor(deps.clock.now().getTime() / 1000));
  result.filesSwept = await sweepFiles(deps);
  result.deletedSwept = await sweepDeleted(deps);
  return result;
}
