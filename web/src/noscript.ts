/**
 * The start page as plain HTML, put into index.html's <noscript> at build time: with JavaScript off
 * (Tor Browser's "Safest" level) a reporter still reads what can be reported, the two tracks, what
 * happens next, the other routes and the safety advice, why sending needs JavaScript, how to allow
 * it on this site only, that coming back with a code needs it too, and how to report on paper
 * instead. In Dutch, then in English, each with a plain "Snel weg" link (the button needs JavaScript).
 */
import type { Texts } from './i18n/index.ts';
import { EXIT_URL } from './services/navigation.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const list = (tag: 'ul' | 'ol', items: readonly string[]) => `<${tag}>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</${tag}>`;

/** The page without JavaScript: Dutch first, then English, each its own block with its language. */
export const noscriptPage = (nl: Texts, en: Texts) => `${noscriptHtml(nl, 'nl', 'inhoud', 'english')}\n${noscriptHtml(en, 'en', 'english', 'inhoud')}`;

function noscriptHtml(t: Texts, lang: 'nl' | 'en', id: string, other: string): string {
  const s = t.start;
  const n = t.noscript;
  const kinds = Object.values(s.kinds)
    .map((k) => `<div><dt>${esc(k.name)}</dt><dd>${esc(k.text)} <span class="example">${esc(k.example)}</span></dd></div>`)
    .join('');
  return [
    `<${lang === 'nl' ? 'main' : 'section'} class="noscript" id="${id}" lang="${lang}">`,
    `<p class="noscript-links"><a class="quick-exit" href="${EXIT_URL}" rel="noreferrer">${esc(t.quickExit)}</a> <a href="#${other}">${esc(n.otherLanguage)}</a></p>`,
    `<h1>${esc(s.heading)}</h1>`,
    `<section class="warning"><h2>${esc(n.heading)}</h2><p>${esc(n.why)}</p>${list('ol', n.tor)}<p>${esc(n.followUp)}</p><p>${esc(n.paper)} <a href="/per-post.txt">${esc(n.paperLink)}</a>.</p></section>`,
    `<p class="lead">${esc(s.intro)}</p><p>${esc(s.forWhom)}</p>`,
    `<h2>${esc(s.whatHeading)}</h2><dl class="kinds">${kinds}</dl>`,
    `<h2>${esc(s.tracksHeading)}</h2><p>${esc(s.tracks.wbk)}</p><p>${esc(s.tracks.code)}</p><p>${esc(s.tracks.doubt)}</p>`,
    `<h2>${esc(s.nextHeading)}</h2>${list('ol', s.next)}`,
    `<h2>${esc(s.complaintHeading)}</h2><p>${esc(s.complaint)}</p>`,
    `<h2>${esc(s.routesHeading)}</h2>${list('ul', s.routes)}`,
    `<h2>${esc(s.safetyHeading)}</h2>${list('ul', s.safety)}`,
    `</${lang === 'nl' ? 'main' : 'section'}>`,
  ].join('\n');
}
