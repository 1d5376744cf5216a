import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n/index.ts';
import { quickExit } from './services/navigation.ts';

/** The "Snel weg" button: leaves for a neutral site at once and takes this page out of the history. */
@customElement('quick-exit')
export class QuickExit extends LitElement {
  @property() locale: Lang = 'nl';

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const t = TEXTS[this.locale];
    return html`<button type="button" class="quick-exit" aria-label=${t.quickExitLabel} @click=${quickExit}>${t.quickExit}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quick-exit': QuickExit;
  }
}
