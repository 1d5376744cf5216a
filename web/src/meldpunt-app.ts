import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n/index.ts';
import { preloadAfterFirstPaint } from './services/lazy.ts';
import { HASHES, currentView, forgetOnLeave, guardRefuses, replaceInAppLinks, type View } from './services/navigation.ts';
import './quick-exit.ts';
import './start-page.ts';
import './report-wizard.ts';
import './follow-up.ts';

/**
 * The shell: header with language switch and quick exit, and the view the address's #fragment
 * names. Light DOM throughout, so one stylesheet (CSP `style-src 'self'`) styles every view.
 */
@customElement('meldpunt-app')
export class MeldpuntApp extends LitElement {
  @state() private locale: Lang = 'nl';
  @state() private view: View = currentView();

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    replaceInAppLinks(this);
    forgetOnLeave();
    addEventListener('hashchange', this.route);
    preloadAfterFirstPaint();
  }

  override disconnectedCallback(): void {
    removeEventListener('hashchange', this.route);
    super.disconnectedCallback();
  }

  private route = () => {
    const next = currentView();
    if (next === this.view) return;
    // While a code is unconfirmed or a report is on its way, the view stays; it says why.
    if (guardRefuses()) {
      location.replace(HASHES[this.view]);
      return;
    }
    this.view = next;
    void this.viewRendered().then(() => this.focusHeading());
  };

  /** After a move, focus goes to the new view's heading, so a screen reader starts reading there. */
  private async viewRendered() {
    await this.updateComplete;
    await (this.querySelector('main > *') as LitElement | null)?.updateComplete;
  }

  private focusHeading() {
    (this.querySelector('main h1') as HTMLElement | null)?.focus();
  }

  private toggleLang() {
    this.locale = this.locale === 'nl' ? 'en' : 'nl';
    document.documentElement.lang = this.locale;
  }

  override render() {
    const t = TEXTS[this.locale];
    return html`
      <a class="skip" href="#inhoud" @click=${(e: Event) => (e.preventDefault(), this.focusHeading())}>${t.skip}</a>
      <header class="top">
        <div class="brand"><a href="#/">${t.title}</a> <span class="tagline">${t.tagline}</span></div>
        <div class="tools">
          <button type="button" class="link" lang=${this.locale === 'nl' ? 'en' : 'nl'} aria-label=${t.langSwitchLabel} @click=${this.toggleLang}>
            ${t.langSwitch}
          </button>
          <quick-exit .locale=${this.locale}></quick-exit>
        </div>
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
