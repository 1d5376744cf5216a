import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { TEXTS, formatDay, type Lang } from './i18n.ts';
import type { Receipt } from '../../shared/schemas/api.ts';
import { formatCode, type RetrievalCode } from '../../shared/protocol/code.ts';

/** The code, once: the reporter must confirm they saved it before they can leave. Fires `done`. */
@customElement('code-receipt')
export class CodeReceipt extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) code!: RetrievalCode;
  @property({ attribute: false }) receipt!: Receipt;
  @state() private saved = false;
  @state() private copied = false;
  @state() private nagged = false;

  protected override createRenderRoot() {
    return this;
  }

  override firstUpdated() {
    (this.querySelector('h1') as HTMLElement | null)?.focus();
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(formatCode(this.code));
      this.copied = true;
    } catch {
      // No clipboard (insecure context or denied): select the code so the person can copy it by hand.
      const range = document.createRange();
      range.selectNodeContents(this.querySelector('.code')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
  }

  private done() {
    if (!this.saved) {
      this.nagged = true;
      this.updateComplete.then(() => (this.querySelector('#saved') as HTMLElement | null)?.focus());
      return;
    }
    this.dispatchEvent(new CustomEvent('done', { bubbles: true, composed: true }));
  }

  override render() {
    const t = TEXTS[this.locale].receipt;
    const printed = formatCode(this.code);
    const ack = formatDay(this.receipt.acknowledgeBy, this.locale);
    const file = `data:text/plain;charset=utf-8,${encodeURIComponent(t.fileText(printed, ack))}`;
    return html`
      <h1 tabindex="-1">${t.heading}</h1>
      <section class="receipt" aria-labelledby="code-label">
        <h2 id="code-label">${t.codeLabel}</h2>
        <p class="code">${printed.split('-').map((g) => html`<span>${g}</span>`)}</p>
        <p class="warning" role="note">${t.warning}</p>
        <p class="actions no-print">
          <button type="button" class="button" @click=${this.copy}>${this.copied ? t.copied : t.copy}</button>
          <a class="button" href=${file} download="meldpunt-code.txt">${t.download}</a>
          <button type="button" class="button" @click=${() => print()}>${t.print}</button>
        </p>
        <p role="status" class="visually-hidden">${this.copied ? t.copied : ''}</p>
      </section>
      <dl class="timeline">
        <div><dt>${t.receivedOn}</dt><dd>${formatDay(this.receipt.receivedOn, this.locale)}</dd></div>
        <div><dt>${t.acknowledgeBy}</dt><dd>${ack}</dd></div>
      </dl>
      <p>${t.feedbackWithin}</p>
      <div class="field choice no-print">
        <input type="checkbox" id="saved" .checked=${this.saved} aria-invalid=${this.nagged && !this.saved ? 'true' : 'false'}
          aria-describedby=${this.nagged && !this.saved ? 'saved-error' : nothing}
          @change=${(e: Event) => (this.saved = (e.target as HTMLInputElement).checked)} />
        <label for="saved">${t.saved}</label>
        ${this.nagged && !this.saved ? html`<p class="field-error" id="saved-error" role="alert">${t.savedRequired}</p>` : nothing}
      </div>
      <p class="actions no-print"><button type="button" class="button primary" @click=${this.done}>${t.done}</button></p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'code-receipt': CodeReceipt;
  }
}
