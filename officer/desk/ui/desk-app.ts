import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { call, explain, LOCKED_EVENT, type DeskState, type Handover } from './desk-api.ts';
import { DESK_TEXTS, type Lang } from './i18n.ts';
import { SETUP_TEXTS } from './i18n-setup.ts';
import './desk-setup.ts';
import './desk-unlock.ts';
import './desk-case-list.ts';
import './desk-case-view.ts';
import './desk-report.ts';

type Route = { view: 'list' } | { view: 'case'; caseId: string } | { view: 'report' };

function routeOf(hash: string): Route {
  const m = /^#\/case\/([0-9A-Z]{16})$/.exec(hash);
  if (m) return { view: 'case', caseId: m[1]! };
  return hash === '#/report' ? { view: 'report' } : { view: 'list' };
}

/**
 * The desk: the case list, one case, or the yearly report, chosen by the address's hash. When the
 * desk locks (idle, or the Lock button), everything decrypted is dropped from the page too.
 */
@customElement('desk-app')
export class DeskApp extends LitElement {
  @state() private locale: Lang = (localStorage.getItem('desk-lang') as Lang | null) === 'en' ? 'en' : 'nl';
  @state() private desk: DeskState | null = null;
  @state() private route: Route = routeOf(location.hash);
  /** The hand-over sheet, once set up (until the officer goes on) or while the site does not list the key. */
  @state() private handover: Handover | null = null;
  @state() private addressError = '';
  /** "Bureau afsluiten" was chosen: the desk has stopped; nothing more to ask it. */
  @state() private stopped = false;
  private lastActivity = 0;
  private poll?: number;

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener(LOCKED_EVENT, this.onLocked);
    for (const type of ['keydown', 'pointerdown', 'scroll']) window.addEventListener(type, this.onActivity, { passive: true });
    // The desk may lock itself while the page is open: check now and then, without counting as use.
    this.poll = window.setInterval(() => void this.load(), 20_000);
    void this.load();
  }

  override disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener(LOCKED_EVENT, this.onLocked);
    for (const type of ['keydown', 'pointerdown', 'scroll']) window.removeEventListener(type, this.onActivity);
    clearInterval(this.poll);
    super.disconnectedCallback();
  }

  private onHash = () => {
    this.route = routeOf(location.hash);
  };

  private onLocked = () => {
    this.desk = { locked: true };
  };

  /** Reading a long case is use too: tell the desk, at most once a minute. */
  private onActivity = () => {
    if (this.desk?.locked !== false || Date.now() - this.lastActivity < 60_000) return;
    this.lastActivity = Date.now();
    void call('activity', { body: {} }).catch(() => undefined);
  };

  private async load() {
    const next = await call<DeskState>('state').catch(() => null);
    const changed = (['locked', 'setup', 'pending', 'unreachable'] as const).some((k) => next?.[k] !== this.desk?.[k]);
    if (next && (changed || !this.desk)) this.desk = next;
    if (next?.pending && !this.handover) this.handover = await call<Handover>('handover').catch(() => null);
  }

  private async changeAddress(e: Event) {
    e.preventDefault();
    this.addressError = '';
    try {
      await call('setup/address', { body: { address: this.querySelector<HTMLInputElement>('#new-address')!.value } });
      this.desk = null;
      await this.load();
    } catch (err) {
      this.addressError = explain(err, this.locale);
    }
  }

  private setLang(lang: Lang) {
    this.locale = lang;
    localStorage.setItem('desk-lang', lang);
  }

  override updated() {
    document.documentElement.lang = this.locale;
    document.title = this.viewTitle();
  }

  /** The page's title names the view: "Zaak 7K3M… – Meldpunt – bureau". */
  private viewTitle(): string {
    const setup = SETUP_TEXTS[this.locale];
    const t = DESK_TEXTS[this.locale];
    const desk = this.desk;
    if (desk?.setup) return setup.title;
    if (this.handover && !desk?.locked) return setup.handoverTitle;
    const view = this.stopped
      ? t.stopped.heading
      : !desk
      ? null
      : desk.locked
        ? t.titles.locked
        : desk.unreachable
          ? t.titles.unreachable
          : this.route.view === 'case'
            ? t.titles.case(this.route.caseId.slice(0, 8))
            : t.titles[this.route.view];
    return view ? `${view} – ${t.title}` : t.title;
  }

  private async quit() {
    await call('quit', { body: {} }).catch(() => undefined);
    clearInterval(this.poll);
    this.stopped = true;
    await this.updateComplete;
    this.querySelector<HTMLElement>('main h1')?.focus();
  }

  private async lock() {
    await call('lock', { body: {} }).catch(() => undefined);
    this.desk = { locked: true };
  }

  override render() {
    const t = DESK_TEXTS[this.locale];
    const desk = this.desk;
    const other: Lang = this.locale === 'nl' ? 'en' : 'nl';
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => (e.preventDefault(), this.querySelector<HTMLElement>('#main')?.focus())}>${t.skip}</a>
      <header class="bar">
        <p class="brand">Meldpunt${desk?.organisation ? html` · ${desk.organisation}` : nothing}</p>
        <nav aria-label=${t.nav.cases}>
          ${desk && !desk.locked
            ? html`<a href="#/" aria-current=${this.route.view !== 'report' ? 'page' : 'false'}>${t.nav.cases}</a>
                <a href="#/report" aria-current=${this.route.view === 'report' ? 'page' : 'false'}>${t.nav.report}</a>
                <button type="button" class="lock" @click=${this.lock}>${t.nav.lock}</button>`
            : nothing}
          <button type="button" class="quit" @click=${this.quit}>${t.nav.quit}</button>
          <button type="button" class="lang" lang=${other} aria-label=${t.nav.languageLabel} @click=${() => this.setLang(other)}>${t.nav.language}</button>
        </nav>
      </header>
      <main id="main" tabindex="-1">${this.view(desk)}</main>
    `;
  }

  private view(desk: DeskState | null) {
    if (this.stopped) {
      const t = DESK_TEXTS[this.locale].stopped;
      return html`<h1 tabindex="-1">${t.heading}</h1><p>${t.text}</p>`;
    }
    if (!desk) return nothing;
    if (desk.setup) return html`<desk-setup .locale=${this.locale} @set-up=${(e: CustomEvent<Handover>) => ((this.handover = e.detail), (this.desk = null), void this.load())}></desk-setup>`;
    if (this.handover && !desk.locked) {
      const today = new Date().toLocaleDateString(this.locale === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
      return html`<desk-handover .locale=${this.locale} .handover=${this.handover} .today=${today} @listed=${() => ((this.handover = null), (this.desk = null), void this.load())}></desk-handover>`;
    }
    if (desk.pending && !desk.locked) return nothing; // the sheet is on its way
    if (desk.locked) return html`<desk-unlock .locale=${this.locale} .gnupg=${Boolean(desk.gnupg)} @unlocked=${() => ((this.desk = null), void this.load())}></desk-unlock>`;
    if (desk.unreachable) {
      const t = DESK_TEXTS[this.locale].unreachable;
      return html`<section class="unreachable" role="alert"><h1>${t.heading}</h1><p>${t.text(desk.unreachable)}</p><p>${t.advice}</p>
        <p><button type="button" class="button primary retry" @click=${() => ((this.desk = null), void this.load())}>${t.retry}</button></p>
        ${desk.canChange
          ? html`<form @submit=${this.changeAddress} autocomplete="off"><div class="field"><label for="new-address">${SETUP_TEXTS[this.locale].site.address}</label>
              ${this.addressError ? html`<p class="field-error" role="alert">${this.addressError}</p>` : nothing}
              <input id="new-address" type="text" inputmode="url" spellcheck="false" .value=${desk.unreachable} /></div>
              <p><button type="submit" class="button">${SETUP_TEXTS[this.locale].site.check}</button></p></form>`
          : nothing}</section>`;
    }
    switch (this.route.view) {
      case 'case':
        return html`<desk-case-view .locale=${this.locale} .desk=${desk} .caseId=${this.route.caseId}></desk-case-view>`;
      case 'report':
        return html`<desk-report .locale=${this.locale} .desk=${desk}></desk-report>`;
      case 'list':
        return html`<desk-case-list .locale=${this.locale} .desk=${desk}></desk-case-list>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-app': DeskApp;
  }
}
