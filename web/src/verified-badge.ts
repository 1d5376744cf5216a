import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/**
 * Whether a message (or file) is what it says: a check mark and the signer, or a warning. The
 * reporter's follow-up page and the officer's desk both show it, so the two read alike.
 */
@customElement('verified-badge')
export class VerifiedBadge extends LitElement {
  @property({ type: Boolean }) verified = false;
  @property() label = '';

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    return html`<p class="badge ${this.verified ? 'ok' : 'bad'}"><span aria-hidden="true">${this.verified ? '✓' : '⚠'}</span> ${this.label}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'verified-badge': VerifiedBadge;
  }
}
