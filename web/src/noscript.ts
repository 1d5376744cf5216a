/**
 * The start page as plain HTML, put into index.html's <noscript> at build time: with JavaScript off
 * (Tor Browser's "Safest" level) a reporter still reads what can be reported, the two tracks, what
 * happens next, the other routes and the safety advice, why sending needs JavaScript, how to allow
 * it on this site only, and how to report on paper instead. Dutch, as the page starts.
 */
import type { Texts } from './i18n/index.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const list = (tag: 'ul' | 'ol', items: readonly string[]) => `<${tag}>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</${tag}>`;

export function noscriptHtml(t: Texts): string {
  const s = t.start;
  const n = t.noscript;
  const kinds = Object.values(s.kinds)
    .map((k) => `<div><dt>${esc(k.name)}</dt><dd>${esc(k.text)} <span class="example">${esc(k.example)}</span></dd></div>`)
    .join('');
  return [
    `<main class="noscript" id="inhoud">`,
    `<h1>${esc(s.heading)}</h1>`,
    `<section class="warning"><h2>${esc(n.heading)}</h2><p>${esc(n.why)}</p>${list('ol', n.tor)}<p>${esc(n.paper)}</p></section>`,
    `<p class="lead">${esc(s.intro)}</p><p>${esc(s.forWhom)}</p>`,
    `<h2>${esc(s.whatHeading)}</h2><dl class="kinds">${kinds}</dl>`,
    `<h2>${esc(s.tracksHeading)}</h2><p>${esc(s.tracks.wbk)}</p><p>${esc(s.tracks.code)}</p><p>${esc(s.tracks.doubt)}</p>`,
    `<h2>${esc(s.nextHeading)}</h2>${list('ol', s.next)}`,
    `<h2>${esc(s.complaintHeading)}</h2><p>${esc(s.complaint)}</p>`,
    `<h2>${esc(s.routesHeading)}</h2>${list('ul', s.routes)}`,
    `<h2>${esc(s.safetyHeading)}</h2>${list('ul', s.safety)}`,
    `</main>`,
  ].join('\n');
}
