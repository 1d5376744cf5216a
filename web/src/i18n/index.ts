/** The app's texts, Dutch first, and how dates are written in them. */
import { nl } from './nl.ts';

export type Lang = 'nl' | 'en';
export type Texts = typeof nl;

/** Dutch ships with the first page; another language arrives when chosen (`loadLanguage`). */
export const TEXTS: Record<Lang, Texts> = { nl, en: nl };

export async function loadLanguage(lang: Lang): Promise<void> {
  if (lang === 'en' && TEXTS.en === nl) TEXTS.en = (await import('./en.ts')).en;
}

/** A calendar day (YYYY-MM-DD) as people write it: "30 november 2026", "30 November 2026". */
export function formatDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The tab's title, most specific first ("Stap 2 van 5: Wat is er gebeurd – Een melding doen – Meldpunt"): screen readers announce it. */
export function setPageTitle(lang: Lang, ...parts: string[]): void {
  document.title = [...parts, TEXTS[lang].title].join(' – ');
}
