import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n.ts';

const KINDS = ['misstand', 'integriteitsschending', 'onregelmatigheid', 'ongewenste-omgangsvormen'] as const;

@customElement('start-page')
export class StartPage extends LitElement {
  @property() locale: Lang = 'nl';

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const t = TEXTS[this.locale].start;
    return html`
      <h1 tabindex="-1">${t.heading}</h1>
      <p class="lead">${t.intro}</p>
      <p class="actions">
        <a class="button primary" href="#/melden">${t.startReport}</a>
        <a class="button" href="#/terugkomen">${t.followUp}</a>
      </p>
      <section aria-labelledby="kinds">
        <h2 id="kinds">${t.whatHeading}</h2>
        <dl class="kinds">
          ${KINDS.map(
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
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'start-page': StartPage;
  }
}
