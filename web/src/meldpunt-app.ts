import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LANGS, LANG_NAMES, TEXTS, applyLanguage, isLang, loadLanguage, type Lang } from './i18n/index.ts';
import { preloadAfterFirstPaint } from './services/lazy.ts';
import { HASHES, currentView, forgetOnLeave, guardRefuses, replaceInAppLinks, type View } from './services/navigation.ts';
import './quick-exit.ts';
import './start-page.ts';

/** The views beyond the start page, each its own chunk: the first page carries only what it shows. */
const VIEWS: Partial<Record<View, () => Promise<unknown>>> = {
  report: () => import('./report-wizard.ts'),
  'follow-up': () => import('./follow-up.ts'),
};

/** Loads a view's code (once); resolves when its element is defined. */
const loadView = (view: View) => VIEWS[view]?.() ?? Promise.resolve();

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
    void loadView(this.view);
    // `/?lang=ar`: a link can open the page in the reader's language.
    const asked = new URLSearchParams(location.search).get('lang');
    if (isLang(asked) && asked !== 'nl') void this.setLang(asked);
    // After the first paint: the crypto chunk, and the other views, so moving on is instant.
    preloadAfterFirstPaint(() => Promise.all(Object.values(VIEWS).map((load) => load())));
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
    void loadView(next)
      .then(() => this.viewRendered())
      .then(() => this.focusHeading());
  };

  /** After a move, focus goes to the new view's heading, so a screen reader starts reading there. */
  private async viewRendered() {
    await this.updateComplete;
    await (this.querySelector('main > *') as LitElement | null)?.updateComplete;
  }

  private focusHeading() {
    (this.querySelector('main h1') as HTMLElement | null)?.focus();
  }

  private async setLang(next: Lang) {
    await loadLanguage(next);
    this.locale = next;
    applyLanguage(next);
  }

  override render() {
    const t = TEXTS[this.locale];
    return html`
      <a class="skip" href="#inhoud" @click=${(e: Event) => (e.preventDefault(), this.focusHeading())}>${t.skip}</a>
      <header class="top">
        <div class="brand"><a href="#/">${t.title}</a> <span class="tagline">${t.tagline}</span></div>
        <div class="tools">
          <nav class="langs" aria-label=${t.langSwitchLabel}>
            <ul>
              ${LANGS.map(
                (l) => html`<li><button type="button" class="link" lang=${l} aria-current=${l === this.locale ? 'true' : 'false'} @click=${() => this.setLang(l)}>${LANG_NAMES[l]}</button></li>`,
              )}
            </ul>
          </nav>
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
