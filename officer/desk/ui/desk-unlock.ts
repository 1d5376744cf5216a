import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { call, explain } from './desk-api.ts';
import { DESK_TEXTS, type Lang } from './i18n.ts';

/** The passphrase form of a locked desk. Fires `unlocked`. */
@customElement('desk-unlock')
export class DeskUnlock extends LitElement {
  @property() locale: Lang = 'nl';
  /** The key is GnuPG's: no passphrase here; GnuPG's own pinentry asks for it, or for the token's PIN. */
  @property({ type: Boolean }) gnupg = false;
  @state() private error = '';
  @state() private busy = false;

  protected override createRenderRoot() {
    return this;
  }

  override firstUpdated() {
    this.querySelector<HTMLInputElement>('#passphrase')?.focus();
  }

  private async submit(e: Event) {
    e.preventDefault();
    const input = this.querySelector<HTMLInputElement>('#passphrase') ?? document.createElement('input');
    this.busy = true;
    try {
      await call('unlock', { body: { passphrase: input.value } });
      input.value = '';
      this.dispatchEvent(new CustomEvent('unlocked', { bubbles: true }));
    } catch (err) {
      this.error = explain(err, this.locale);
      if (this.gnupg) return;
      input.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = DESK_TEXTS[this.locale].locked;
    if (this.gnupg) {
      return html`<h1>${t.heading}</h1>
        <p>${t.gnupgHelp}</p>
        <form @submit=${this.submit} autocomplete="off">
          ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
          <p><button type="submit" class="button primary" ?disabled=${this.busy}>${t.unlock}</button></p>
          <p role="status">${this.busy ? t.gnupgWaiting : ''}</p>
        </form>`;
    }
    return html`<h1>${t.heading}</h1>
      <p>${t.help}</p>
      <form @submit=${this.submit} autocomplete="off">
        <div class="field">
          <label for="passphrase">${t.passphrase}</label>
          ${this.error ? html`<p class="field-error" id="passphrase-error" role="alert">${this.error}</p>` : nothing}
          <input id="passphrase" type="password" autocomplete="off" aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'passphrase-error' : nothing} />
        </div>
        <p><button type="submit" class="button primary" ?disabled=${this.busy}>${t.unlock}</button></p>
        <p role="status">${this.busy ? t.unlocking : ''}</p>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-unlock': DeskUnlock;
  }
}
