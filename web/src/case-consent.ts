import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { TEXTS, type Lang } from './i18n/index.ts';
import { protocol } from './services/lazy.ts';
import { failureOf } from './services/failure.ts';
import { CLB_CHOICES } from './services/draft.ts';
import type { OpenedCase } from '../../shared/client/reporter.ts';
import type { ClbConsent } from '../../shared/schemas/payload.ts';

type Choice = Exclude<ClbConsent, 'none'> | 'no' | 'not-now';

/**
 * What CLB may receive now, what the officer asked for, and the reporter's answer: a signed "no" or
 * "not now", or consent to more (never less). Nothing is chosen for the reporter, not even what
 * was asked. Fires `case-changed` with the case as read again after an answer.
 */
@customElement('case-consent')
export class CaseConsent extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) opened!: OpenedCase;
  @state() private wider: Exclude<ClbConsent, 'none'> | null = null;
  @state() private note: string | null = null;

  private answering = new Task(this, {
    task: async ([opened, choice]: [OpenedCase, Choice], { signal }) => {
      const p = await protocol();
      if (choice === 'no' || choice === 'not-now') await p.answerConsentRequest(opened.session, choice, opened.consentRequest!.scope, signal);
      else await p.giveConsent(opened.session, choice, signal);
      return { opened: await p.refreshCase(opened.session, await p.loadChannels(), signal), answered: choice === 'no' || choice === 'not-now' };
    },
    autoRun: false,
    onComplete: ({ opened, answered }) => {
      this.wider = null;
      this.note = answered ? this.t.consentAnswerSent : this.t.consentSent;
      this.dispatchEvent(new CustomEvent('case-changed', { detail: opened, bubbles: true }));
    },
    onError: (e) => {
      const failure = failureOf(e);
      if (failure !== 'aborted') this.note = failure === 'failed' ? this.t.errors.failed : this.t.errors[failure];
    },
  });

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    this.answering.abort();
    super.disconnectedCallback();
  }

  private get t() {
    return TEXTS[this.locale].followUp;
  }

  private answer(choice: Choice) {
    this.note = null;
    void this.answering.run([this.opened, choice]);
  }

  override render() {
    const t = this.t;
    const opened = this.opened;
    const options = TEXTS[this.locale].wizard.consentOptions;
    const wider = CLB_CHOICES.slice(CLB_CHOICES.indexOf(opened.consent) + 1) as Array<Exclude<ClbConsent, 'none'>>;
    const busy = this.answering.status === TaskStatus.PENDING;
    const cannot = busy || !opened.session.encryptionKeys;
    const request = opened.consentRequest;
    const open = !!request && !request.answered && opened.view.status !== 'closed';
    return html`<section aria-labelledby="consent-heading" class=${open ? 'consent asked' : 'consent'}>
      <h3 id="consent-heading">${t.consentHeading}</h3>
      <p>${t.consentNow} <strong>${options[opened.consent].label}</strong></p>
      ${request
        ? html`<div class="warning consent-request"><p>${t.consentAsked}</p><p><strong>${options[request.scope].label}</strong></p>
            ${request.answered ? html`<p class="consent-answered">${t.consentAnsweredNotNow}</p>` : nothing}
            ${open
              ? html`<p class="actions">
                  <button type="button" class="button consent-no" ?disabled=${cannot} @click=${() => this.answer('no')}>${t.consentNo}</button>
                  <button type="button" class="button consent-not-now" ?disabled=${cannot} @click=${() => this.answer('not-now')}>${t.consentNotNow}</button>
                </p>`
              : nothing}
          </div>`
        : nothing}
      ${wider.length && opened.view.status !== 'closed'
        ? html`<form novalidate @submit=${(e: Event) => (e.preventDefault(), this.wider && this.answer(this.wider))}>
            <fieldset class="field" aria-describedby="consent-help">
              <legend>${t.consentWider}</legend>
              <p class="help" id="consent-help">${t.consentOnlyWider}</p>
              ${wider.map(
                (c) => html`<div class="choice">
                  <input type="radio" name="wider-consent" id="wider-${c}" .checked=${this.wider === c} @change=${() => (this.wider = c)} />
                  <label for="wider-${c}">${options[c].label}</label>
                  <p class="hint">${options[c].hint}</p>
                </div>`,
              )}
            </fieldset>
            <p class="actions"><button type="submit" class="button" ?disabled=${cannot || !this.wider}>${t.consentGive}</button></p>
          </form>`
        : nothing}
      <p role="status">${busy ? t.consentGiving : (this.note ?? '')}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'case-consent': CaseConsent;
  }
}
