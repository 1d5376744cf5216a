import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { passphraseStrength, type Strength } from '../../passphrase.ts';
import { call, explain, type Handover } from './desk-api.ts';
import type { Lang } from './i18n.ts';
import { SETUP_TEXTS } from './i18n-setup.ts';

interface Site {
  address: string;
  organisation: string;
  readers: Array<{ id: string; name: { nl: string; en: string }; target: boolean }>;
}

/**
 * The first run: the site's address, checked against the site; then the officer's channel and a new
 * or existing key. Fires `set-up` with the hand-over sheet's facts. Errors stay on screen, beside the
 * field they are about, and are announced; focus goes to each step's heading.
 */
@customElement('desk-setup')
export class DeskSetup extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private site: Site | null = null;
  @state() private mode: 'new' | 'existing' | 'gnupg' = 'new';
  @state() private strength: Strength | null = null;
  @state() private error = '';
  @state() private busy = false;

  protected override createRenderRoot() {
    return this;
  }

  override firstUpdated() {
    this.querySelector<HTMLElement>('h1')?.focus();
  }

  private async checkSite(e: Event) {
    e.preventDefault();
    this.busy = true;
    this.error = '';
    try {
      this.site = await call<Site>('setup/site', { body: { address: this.querySelector<HTMLInputElement>('#address')!.value } });
      await this.updateComplete;
      this.querySelector<HTMLElement>('#key-step')?.focus();
    } catch (err) {
      this.error = explain(err, this.locale);
      await this.updateComplete;
      this.querySelector<HTMLInputElement>('#address')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private value = (id: string) => this.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '';

  private async saveKey(e: Event) {
    e.preventDefault();
    this.error = '';
    const channel = this.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.value ?? '';
    const body: Record<string, string> = { address: this.site!.address, channel, mode: this.mode };
    if (this.mode === 'new') Object.assign(body, { name: this.value('name'), passphrase: this.value('passphrase'), repeat: this.value('repeat') });
    else if (this.mode === 'gnupg') Object.assign(body, { fingerprint: this.value('fingerprint'), passphrase: '' });
    else {
      const file = this.querySelector<HTMLInputElement>('#key-file')?.files?.[0];
      if (!file) return void (this.error = SETUP_TEXTS[this.locale].errors['file-missing']!);
      Object.assign(body, { armored: await file.text(), passphrase: this.value('key-passphrase') });
    }
    this.busy = true;
    try {
      const handover = await call<Handover>('setup/key', { body });
      for (const input of this.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = '';
      this.dispatchEvent(new CustomEvent('set-up', { detail: handover, bubbles: true }));
    } catch (err) {
      this.error = explain(err, this.locale);
      await this.updateComplete;
      this.querySelector<HTMLElement>('#setup-error')?.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = SETUP_TEXTS[this.locale];
    const error = this.error ? html`<p class="field-error" id="setup-error" role="alert" tabindex="-1">${this.error}</p>` : nothing;
    return html`<h1 tabindex="-1">${t.heading}</h1>
      <p>${t.intro}</p>
      ${this.site ? this.keyStep(error) : this.siteStep(error)}`;
  }

  private siteStep(error: unknown) {
    const t = SETUP_TEXTS[this.locale].site;
    return html`<form @submit=${this.checkSite} autocomplete="off">
      <fieldset>
        <legend>${t.legend}</legend>
        <div class="field">
          <label for="address">${t.address}</label>
          <p class="help" id="address-help">${t.addressHelp}</p>
          ${error}
          <input id="address" type="text" inputmode="url" spellcheck="false" aria-describedby="address-help" aria-invalid=${this.error ? 'true' : 'false'} />
        </div>
        <p><button type="submit" class="button primary" ?disabled=${this.busy}>${t.check}</button></p>
        <p role="status">${this.busy ? t.checking : ''}</p>
      </fieldset>
    </form>`;
  }

  private keyStep(error: unknown) {
    const t = SETUP_TEXTS[this.locale];
    const site = this.site!;
    return html`<p class="found" role="status">${t.site.found(site.organisation, site.address)}</p>
      <p><button type="button" class="button" @click=${() => ((this.site = null), (this.error = ''))}>${t.site.other}</button></p>
      <form @submit=${this.saveKey} autocomplete="off">
        <h2 id="key-step" tabindex="-1">${t.key.legend}</h2>
        <fieldset>
          <legend>${t.key.channel}</legend>
          ${site.readers.map(
            (r, i) => html`<label class="choice"><input type="radio" name="channel" value=${r.id} ?checked=${i === 0} /> ${r.name[this.locale]} ${r.target ? t.key.escalation : ''}</label>`,
          )}
        </fieldset>
        <fieldset>
          <legend>${t.key.which}</legend>
          <label class="choice"><input type="radio" name="mode" value="new" ?checked=${this.mode === 'new'} @change=${() => (this.mode = 'new')} /> ${t.key.new}</label>
          <label class="choice"><input type="radio" name="mode" value="existing" ?checked=${this.mode === 'existing'} @change=${() => (this.mode = 'existing')} /> ${t.key.existing}</label>
          <label class="choice"><input type="radio" name="mode" value="gnupg" ?checked=${this.mode === 'gnupg'} @change=${() => (this.mode = 'gnupg')} /> ${t.key.gnupg}</label>
        </fieldset>
        ${this.mode === 'new' ? this.newKey() : this.mode === 'existing' ? this.existingKey() : this.gnupgKey()} ${error}
        <p><button type="submit" class="button primary" ?disabled=${this.busy}>${t.key.save}</button></p>
        <p role="status">${this.busy ? t.key.making : ''}</p>
      </form>`;
  }

  private newKey() {
    const t = SETUP_TEXTS[this.locale].key;
    return html`<div class="field">
        <label for="name">${t.name}</label>
        <p class="help" id="name-help">${t.nameHelp}</p>
        <input id="name" type="text" aria-describedby="name-help" />
      </div>
      <div class="field">
        <label for="passphrase">${t.passphrase}</label>
        <p class="help" id="passphrase-help">${t.passphraseHelp}</p>
        <input id="passphrase" type="password" autocomplete="new-password" aria-describedby="passphrase-help passphrase-strength" @input=${(e: Event) => (this.strength = (e.target as HTMLInputElement).value ? passphraseStrength((e.target as HTMLInputElement).value) : null)} />
        <p class="strength ${this.strength ?? ''}" id="passphrase-strength" aria-live="polite">${this.strength ? t.strength[this.strength] : ''}</p>
      </div>
      <div class="field">
        <label for="repeat">${t.repeat}</label>
        <input id="repeat" type="password" autocomplete="new-password" />
      </div>`;
  }

  private gnupgKey() {
    const t = SETUP_TEXTS[this.locale].key;
    return html`<div class="field">
      <label for="fingerprint">${t.fingerprint}</label>
      <p class="help" id="fingerprint-help">${t.fingerprintHelp}</p>
      <input id="fingerprint" type="text" spellcheck="false" aria-describedby="fingerprint-help" />
    </div>`;
  }

  private existingKey() {
    const t = SETUP_TEXTS[this.locale].key;
    return html`<div class="field">
        <label for="key-file">${t.file}</label>
        <input id="key-file" type="file" accept=".asc,.txt,.key" />
      </div>
      <div class="field">
        <label for="key-passphrase">${t.filePassphrase}</label>
        <input id="key-passphrase" type="password" autocomplete="current-password" />
      </div>`;
  }
}

/** The hand-over sheet: what the operator needs, printable; and whether the site lists the key yet. */
@customElement('desk-handover')
export class DeskHandover extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) handover: Handover | null = null;
  @property({ attribute: false }) today = '';
  @state() private checking = false;

  protected override createRenderRoot() {
    return this;
  }

  override firstUpdated() {
    this.querySelector<HTMLElement>('h1')?.focus();
  }

  private async checkAgain() {
    this.checking = true;
    try {
      this.handover = await call<Handover>('handover');
    } finally {
      this.checking = false;
    }
    if (this.handover.listed) this.dispatchEvent(new CustomEvent('listed', { bubbles: true }));
  }

  override render() {
    const t = SETUP_TEXTS[this.locale].handover;
    const h = this.handover;
    if (!h) return nothing;
    return html`<article class="handover">
      <h1 tabindex="-1">${t.heading}</h1>
      <p>${t.intro}</p>
      <p>${t.notSecret}</p>
      <dl>
        <dt>${t.organisation}</dt><dd>${h.organisation}</dd>
        <dt>${t.address}</dt><dd>${h.address}</dd>
        <dt>${t.channel}</dt><dd>${h.channel.name[this.locale]} (${h.channel.id})</dd>
        <dt>${t.name}</dt><dd>${h.name}</dd>
        <dt>${t.fingerprint}</dt><dd class="fingerprint">${h.fingerprint.replace(/(.{4})/g, '$1 ').trim()}</dd>
        <dt>${t.date}</dt><dd>${this.today}</dd>
      </dl>
      <h2>${t.publicKey}</h2>
      <pre class="public-key">${h.publicKey}</pre>
      <p class="no-print">
        <button type="button" class="button" @click=${() => window.print()}>${t.print}</button>
      </p>
      <p class="no-print ${h.listed ? 'done' : 'warning'}" role="status">${h.listed ? t.listed : t.pending}</p>
      <p class="no-print">
        ${h.listed
          ? html`<button type="button" class="button primary" @click=${() => this.dispatchEvent(new CustomEvent('listed', { bubbles: true }))}>${t.toDesk}</button>`
          : html`<button type="button" class="button primary" ?disabled=${this.checking} @click=${this.checkAgain}>${t.checkAgain}</button>`}
      </p>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-setup': DeskSetup;
    'desk-handover': DeskHandover;
  }
}
