import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n.ts';
import { preloadAfterFirstPaint } from './services/lazy.ts';
import './quick-exit.ts';
import './start-page.ts';
import './report-wizard.ts';
import './follow-up.ts';

type View = 'home' | 'report' | 'follow-up';
const ROUTES: Record<string, View> = { '': 'home', '#/': 'home', '#/melden': 'report', '#/terugkomen': 'follow-up' };

/** The shell: header with language switch and quick exit, and the view the address's #fragment names. */
@customElement('meldpunt-app')
export class MeldpuntApp extends LitElement {
  @state() private locale: Lang = 'nl';
  @state() private view: View = 'home';

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.route();
    addEventListener('hashchange', this.route);
    preloadAfterFirstPaint();
  }

  override disconnectedCallback(): void {
    removeEventListener('hashchange', this.route);
    super.disconnectedCallback();
  }

  private route = () => {
    const next = ROUTES[location.hash] ?? 'home';
    if (next !== this.view) {
      this.view = next;
      this.updateComplete.then(() => (this.querySelector('main h1') as HTMLElement | null)?.focus());
    }
  };

  private toggleLang() {
    this.locale = this.locale === 'nl' ? 'en' : 'nl';
    document.documentElement.lang = this.locale;
  }

  override render() {
    const t = TEXTS[this.locale];
    return html`
      <a class="skip" href="#inhoud" @click=${(e: Event) => {
        e.preventDefault();
        (this.querySelector('main h1') as HTMLElement | null)?.focus();
      }}>${t.skip}</a>
      <header class="top">
        <div class="brand"><a href="#/">${t.title}</a> <span class="tagline">${t.tagline}</span></div>
        <nav aria-label="${t.title}">
          <button type="button" class="link" lang=${this.locale === 'nl' ? 'en' : 'nl'} aria-label=${t.langSwitchLabel} @click=${this.toggleLang}>
            ${t.langSwitch}
          </button>
          <quick-exit .locale=${this.locale}></quick-exit>
        </nav>
      </header>
      <main id="inhoud">
        ${this.view === 'report'
          ? html`<report-wizard .locale=${this.locale}></report-wizard>`
          : this.view === 'follow-up'
            ? html`<follow-up .locale=${this.locale}></follow-up>`
            : html`<start-page .locale=${this.locale}></start-page>`}
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'meldpunt-app': MeldpuntApp;
  }
}
