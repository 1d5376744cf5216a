/** The app's texts, Dutch first, and how dates are written in them. */
import { nl } from './nl.ts';

export const LANGS = ['nl', 'en', 'tr', 'ar', 'pl'] as const;
export type Lang = (typeof LANGS)[number];
export type Texts = typeof nl;

/** Each language's own name, for the language menu (not translated: a reader finds their own). */
export const LANG_NAMES: Record<Lang, string> = { nl: 'Nederlands', en: 'English', tr: 'Türkçe', ar: 'العربية', pl: 'Polski' };
/** Written right to left. */
export const RTL: ReadonlySet<Lang> = new Set(['ar']);
/** Machine-made translations that a native speaker has not yet reviewed (docs/translations.md). */
export const NEEDS_REVIEW: ReadonlySet<Lang> = new Set(['tr', 'ar', 'pl']);

export const isLang = (value: string | null | undefined): value is Lang => (LANGS as readonly string[]).includes(value ?? '');

/** Dutch ships with the first page; another language arrives when chosen (`loadLanguage`), each its own chunk. */
export const TEXTS: Record<Lang, Texts> = { nl, en: nl, tr: nl, ar: nl, pl: nl };
const LOADERS: Record<Exclude<Lang, 'nl'>, () => Promise<Texts>> = {
  en: async () => (await import('./en.ts')).en,
  tr: async () => (await import('./tr.ts')).tr,
  ar: async () => (await import('./ar.ts')).ar,
  pl: async () => (await import('./pl.ts')).pl,
};

export async function loadLanguage(lang: Lang): Promise<void> {
  if (lang !== 'nl' && TEXTS[lang] === nl) TEXTS[lang] = await LOADERS[lang]();
}

/** Sets `lang` and `dir` on the page, so screen readers, fonts and layout follow the language. */
export function applyLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? 'rtl' : 'ltr';
}

const LOCALES: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB', tr: 'tr-TR', ar: 'ar-u-nu-latn', pl: 'pl-PL' };

/** A calendar day (YYYY-MM-DD) as people write it: "30 november 2026", "30 November 2026". */
export function formatDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A name the party's config gives in Dutch and English: Dutch for Dutch, otherwise English (or the language's own, if configured). */
/** A configured text in `lang`, or in Dutch where the config left `lang` out: `lang` says which, for the element's lang attribute. */
export const localized = (value: { nl: string } & Partial<Record<Lang, string>>, lang: Lang): { text: string; lang: Lang } =>
  value[lang] !== undefined ? { text: value[lang]!, lang } : { text: value.nl, lang: 'nl' };

/** The tab's title, most specific first ("Stap 2 van 5: Wat is er gebeurd – Een melding doen – Meldpunt"): screen readers announce it. */
export function setPageTitle(lang: Lang, ...parts: string[]): void {
  document.title = [...parts, TEXTS[lang].title].join(' – ');
}
