import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { TEXTS, setPageTitle, type Lang } from './i18n/index.ts';
import { CATEGORIES } from './services/draft.ts';

/** What can be reported, the two tracks, what happens next, the other routes and how to stay safe. */
@customElement('start-page')
export class StartPage extends LitElement {
  @property() locale: Lang = 'nl';

  protected override createRenderRoot() {
    return this;
  }

  protected override updated() {
    setPageTitle(this.locale, TEXTS[this.locale].pageTitles.home);
  }

  override render() {
    const t = TEXTS[this.locale].start;
    return html`
      <h1 tabindex="-1">${t.heading}</h1>
      <p class="lead">${t.intro}</p>
      <p>${t.forWhom}</p>
      <p class="actions">
        <a class="button primary" href="#/melden">${t.startReport}</a>
        <a class="button" href="#/terugkomen">${t.followUp}</a>
      </p>
      <section aria-labelledby="kinds">
        <h2 id="kinds">${t.whatHeading}</h2>
        <dl class="kinds">
          ${CATEGORIES.map(
            (k) => html`<div>
              <dt>${t.kinds[k].name}</dt>
              <dd>${t.kinds[k].text} <span class="example">${t.kinds[k].example}</span></dd>
            </div>`,
          )}
        </dl>
      </section>
      <section aria-labelledby="tracks">
        <h2 id="tracks">${t.tracksHeading}</h2>
        <p>${t.tracks.wbk}</p>
        <p>${t.tracks.code}</p>
        <p>${t.tracks.doubt}</p>
      </section>
      <section aria-labelledby="next">
        <h2 id="next">${t.nextHeading}</h2>
        <ol>${t.next.map((line) => html`<li>${line}</li>`)}</ol>
      </section>
      <section aria-labelledby="complaint">
        <h2 id="complaint">${t.complaintHeading}</h2>
        <p>${t.complaint}</p>
      </section>
      <section aria-labelledby="routes">
        <h2 id="routes">${t.routesHeading}</h2>
        <ul>${t.routes.map((line) => html`<li>${line}</li>`)}</ul>
      </section>
      <section aria-labelledby="safety" class="safety">
        <h2 id="safety">${t.safetyHeading}</h2>
        <ul>${t.safety.map((line) => html`<li>${line}</li>`)}</ul>
      </section>
      <p class="actions">
        <a class="button primary" href="#/melden">${t.startReport}</a>
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'start-page': StartPage;
  }
}
