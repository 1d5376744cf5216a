/** The next legal deadline of a case as the desk writes it: "12 dec. 2026, ontvangst bevestigen (over 3 dagen)". */
import type { CaseSummary } from '../../../shared/schemas/officer-api.ts';
import { daysBetween } from '../../../shared/wbk/deadlines.ts';
import { DESK_TEXTS, formatDay, type Lang } from './i18n.ts';

export function relativeDay(due: string, today: string, lang: Lang): string {
  const d = DESK_TEXTS[lang].deadline;
  const days = daysBetween(today, due);
  return days === 0 ? d.today : days > 0 ? d.inDays(days) : d.late(-days);
}

export function deadlineText(s: CaseSummary, today: string, lang: Lang): string {
  const d = DESK_TEXTS[lang].deadline;
  if (s.nextDeadline) return `${formatDay(s.nextDeadline, lang)}, ${s.acknowledgedOn ? d.feedback : d.acknowledge} (${relativeDay(s.nextDeadline, today, lang)})`;
  if (s.deleteAfter) return d.deletedAfter(formatDay(s.deleteAfter, lang));
  return '–';
}
