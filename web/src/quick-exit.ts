import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n.ts';

/** A neutral site to leave for. `location.replace` takes this page out of the back-button history. */
export const EXIT_URL = 'https://www.knmi.nl/nederland-nu/weer/verwachtingen';

@customElement('quick-exit')
export class QuickExit extends LitElement {
  @property() locale: Lang = 'nl';

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const t = TEXTS[this.locale];
    return html`<button type="button" class="quick-exit" aria-label=${t.quickExitLabel} @click=${() => location.replace(EXIT_URL)}>
      ${t.quickExit}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quick-exit': QuickExit;
  }
}
