import { PROOF_FILE_NAME, proofFile } from '../../shared/protocol/proof.ts';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { TEXTS, formatDay, type Lang } from './i18n/index.ts';
import { holdGuard, releaseGuard } from './services/navigation.ts';
import type { Receipt } from '../../shared/schemas/api.ts';
import { formatCode, type RetrievalCode } from '../../shared/protocol/code.ts';
import { addMonths, FEEDBACK_WITHIN_MONTHS } from '../../shared/wbk/deadlines.ts';

/**
 * The code, shown once. The reporter must confirm they saved it before they can leave: in-app
 * moves are refused until then, and closing the tab asks first. Fires `done`.
 */
@customElement('code-receipt')
export class CodeReceipt extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) code!: RetrievalCode;
  @property({ attribute: false }) receipt!: Receipt;
  @state() private saved = false;
  @state() private copied: 'yes' | 'no' | null = null;
  @state() private nagged = false;

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    holdGuard(() => this.nag());
  }

  override disconnectedCallback(): void {
    releaseGuard();
    super.disconnectedCallback();
  }

  override firstUpdated() {
    (this.querySelector('h1') as HTMLElement | null)?.focus();
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(formatCode(this.code));
      this.copied = 'yes';
    } catch {
      // No clipboard (denied, or an old browser): select the code so the person can copy it by hand.
      const range = document.createRange();
      range.selectNodeContents(this.querySelector('.code')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      this.copied = 'no';
    }
  }

  private nag() {
    this.nagged = true;
    void this.updateComplete.then(() => (this.querySelector('#saved') as HTMLElement | null)?.focus());
  }

  private done() {
    if (!this.saved) return this.nag();
    releaseGuard();
    this.dispatchEvent(new CustomEvent('done', { bubbles: true, composed: true }));
  }

  override render() {
    const t = TEXTS[this.locale].receipt;
    const printed = formatCode(this.code);
    const ack = formatDay(this.receipt.acknowledgeBy, this.locale);
    // The latest the law allows: 3 months after the last day for the acknowledgement.
    const feedback = formatDay(addMonths(this.receipt.acknowledgeBy, FEEDBACK_WITHIN_MONTHS), this.locale);
    const file = `data:text/plain;charset=utf-8,${encodeURIComponent(t.fileText(printed, ack, feedback, `${location.origin}/#/terugkomen`))}`;
    const showNag = this.nagged && !this.saved;
    const proof = `data:text/plain;charset=utf-8,${encodeURIComponent(proofFile(this.receipt.proof.statement, this.receipt.proof.signature, location.origin))}`;
    return html`
      <h1 tabindex="-1">${t.heading}</h1>
      <section class="receipt" aria-labelledby="code-label">
        <h2 id="code-label">${t.codeLabel}</h2>
        <p class="code">${printed.split('-').map((g) => html`<span aria-hidden="true">${g}</span>`)}<span class="visually-hidden">${printed}</span></p>
        <p class="visually-hidden">${t.codeSpelled} ${[...this.code].join(' ')}</p>
        <p class="warning">${t.warning}</p>
        <p>${t.storeAdvice}</p>
        <p class="actions no-print">
          <button type="button" class="button" @click=${this.copy}>${t.copy}</button>
          <a class="button" href=${file} download=${t.fileName}>${t.download}</a>
          <button type="button" class="button" @click=${() => print()}>${t.print}</button>
        </p>
        <p role="status" class="copy-status">${this.copied === 'yes' ? t.copied : this.copied === 'no' ? t.copyFailed : ''}</p>
      </section>
      <section aria-labelledby="dates">
        <h2 id="dates">${t.datesHeading}</h2>
        <dl class="timeline">
          <div><dt>${t.receivedOn}</dt><dd>${formatDay(this.receipt.receivedOn, this.locale)}</dd></div>
          <div><dt>${t.acknowledgeBy}</dt><dd>${ack}</dd></div>
          <div><dt>${t.feedbackBy}</dt><dd>${feedback}</dd></div>
        </dl>
        <p class="help">${t.feedbackNote}</p>
      </section>
      <section aria-labelledby="proof-heading" class="no-print">
        <h2 id="proof-heading">${t.proofHeading}</h2>
        <p>${t.proofText}</p>
        <p class="actions"><a class="button proof" href=${proof} download=${PROOF_FILE_NAME}>${t.proofDownload}</a></p>
      </section>
      <div class="field choice no-print">
        <input type="checkbox" id="saved" .checked=${this.saved} aria-invalid=${showNag ? 'true' : 'false'}
          aria-describedby=${showNag ? 'saved-error' : nothing} @change=${(e: Event) => (this.saved = (e.target as HTMLInputElement).checked)} />
        <label for="saved">${t.saved}</label>
        ${showNag ? html`<p class="field-error" id="saved-error" role="alert">${t.savedRequired}</p>` : nothing}
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
