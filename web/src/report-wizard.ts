import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n.ts';
import { protocol } from './services/lazy.ts';
import type { PublicChannels } from '../../shared/config/schema.ts';
import type { Receipt } from '../../shared/schemas/api.ts';
import type { RetrievalCode } from '../../shared/protocol/code.ts';
import type { SubmitStep } from '../../shared/client/reporter.ts';
import './code-receipt.ts';

const CATEGORIES = ['misstand', 'integriteitsschending', 'onregelmatigheid', 'ongewenste-omgangsvormen'] as const;
const LEVELS = ['afdeling', 'fractie', 'gewest', 'landelijk', 'anders', 'onbekend'] as const;
const CONVERSATION = ['none', 'in-person', 'phone'] as const;
const PROGRESS: SubmitStep[] = ['keys', 'encrypt', 'pow', 'upload'];
const MAX_ATTACHMENT_BYTES = 150 * 1024;

interface Attachment {
  name: string;
  type: string;
  data: string;
  size: number;
}

/** Only in memory: nothing typed here is stored anywhere in the browser, so a reload forgets it. */
interface Draft {
  channel: string;
  category: string;
  track: string;
  what: string;
  when: string;
  whereLevel: string;
  whereDetail: string;
  who: string;
  witnesses: string;
  evidence: string;
  attachments: Attachment[];
  reportedBefore: string;
  hopes: string;
  conversation: string;
  contact: string;
  shareWithClb: boolean;
}

type TextField = Exclude<keyof Draft, 'attachments' | 'shareWithClb'>;

const emptyDraft = (): Draft => ({
  channel: '',
  category: '',
  track: '',
  what: '',
  when: '',
  whereLevel: 'onbekend',
  whereDetail: '',
  who: '',
  witnesses: '',
  evidence: '',
  attachments: [],
  reportedBefore: '',
  hopes: '',
  conversation: 'none',
  contact: '',
  shareWithClb: false,
});

/** Which fields each step must have before the next one. */
const REQUIRED: Array<TextField[]> = [['channel', 'category', 'track'], ['what'], [], [], []];

@customElement('report-wizard')
export class ReportWizard extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private step = 0;
  @state() private draft: Draft = emptyDraft();
  @state() private errors = new Map<string, string>();
  @state() private channels: PublicChannels | null = null;
  @state() private sending: { at: SubmitStep | null; done: SubmitStep[]; failed: boolean } | null = null;
  @state() private result: { code: RetrievalCode; receipt: Receipt } | null = null;

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void protocol()
      .then((p) => p.loadChannels())
      .then((channels) => {
        this.channels = channels;
        if (channels.channels.length === 1) this.draft = { ...this.draft, channel: channels.channels[0]!.id };
      })
      .catch(() => (this.errors = new Map([['channel', TEXTS[this.locale].followUp.errors.failed]])));
  }

  private get t() {
    return TEXTS[this.locale].wizard;
  }

  private set<K extends keyof Draft>(field: K, value: Draft[K]) {
    this.draft = { ...this.draft, [field]: value };
    if (this.errors.has(field)) {
      const errors = new Map(this.errors);
      errors.delete(field);
      this.errors = errors;
    }
  }

  private validate(): boolean {
    const errors = new Map<string, string>();
    for (const field of REQUIRED[this.step] ?? []) if (!String(this.draft[field]).trim()) errors.set(field, this.t.required);
    const size = this.draft.attachments.reduce((n, a) => n + a.size, 0);
    if (this.step === 2 && size > MAX_ATTACHMENT_BYTES) errors.set('attachments', this.t.attachmentsTooLarge);
    this.errors = errors;
    if (errors.size) this.updateComplete.then(() => (this.querySelector('.error-summary') as HTMLElement | null)?.focus());
    return errors.size === 0;
  }

  private go(step: number) {
    this.step = step;
    this.errors = new Map();
    this.updateComplete.then(() => (this.querySelector('h2[tabindex]') as HTMLElement | null)?.focus());
  }

  private next(e: Event) {
    e.preventDefault();
    if (this.validate()) this.go(this.step + 1);
  }

  private async readFiles(input: HTMLInputElement) {
    const files = Array.from(input.files ?? []);
    const attachments = await Promise.all(
      files.map(async (file) => {
        const bytes = new Uint8Array(await file.arrayBuffer());
        let binary = '';
        for (const b of bytes) binary += String.fromCharCode(b);
        return { name: file.name, type: file.type || 'application/octet-stream', data: btoa(binary), size: file.size };
      }),
    );
    this.set('attachments', attachments);
    if (attachments.reduce((n, a) => n + a.size, 0) > MAX_ATTACHMENT_BYTES) this.errors = new Map([['attachments', this.t.attachmentsTooLarge]]);
  }

  private async send() {
    if (!this.channels) return;
    this.sending = { at: null, done: [], failed: false };
    const d = this.draft;
    try {
      const p = await protocol();
      const result = await p.submitReport({
        api: { base: '' },
        channels: this.channels,
        report: {
          lang: this.locale,
          channel: d.channel,
          category: d.category as (typeof CATEGORIES)[number],
          track: d.track as 'wbk' | 'code',
          answers: {
            what: d.what,
            when: d.when,
            where: { level: d.whereLevel as (typeof LEVELS)[number], detail: d.whereDetail },
            who: d.who,
            witnesses: d.witnesses,
            evidence: d.evidence,
            reportedBefore: d.reportedBefore,
            hopes: d.hopes,
          },
          conversation: d.conversation as (typeof CONVERSATION)[number],
          contact: d.contact,
          consent: { shareWithClb: d.shareWithClb },
          attachments: d.attachments.map(({ name, type, data }) => ({ name, type, data })),
        },
        onStep: (at) => {
          const s = this.sending!;
          this.sending = { ...s, at, done: s.at ? [...s.done, s.at] : s.done };
        },
      });
      this.draft = emptyDraft();
      this.result = { code: result.code, receipt: result.receipt };
      // Step timings stay in the page; a benchmark listens for them (test/bench/web.bench.ts).
      this.dispatchEvent(new CustomEvent('submitted', { detail: { timings: result.timings }, bubbles: true }));
    } catch {
      this.sending = { ...this.sending!, failed: true };
      this.updateComplete.then(() => (this.querySelector('.send-failed') as HTMLElement | null)?.focus());
    }
  }

  private finish() {
    this.result = null;
    this.sending = null;
    this.step = 0;
    location.hash = '#/';
  }

  // ---- fields ----

  private describedBy(field: string, help?: string) {
    return [help ? `${field}-help` : '', this.errors.has(field) ? `${field}-error` : ''].filter(Boolean).join(' ') || nothing;
  }

  private fieldError(field: string) {
    const message = this.errors.get(field);
    return message ? html`<p class="field-error" id="${field}-error">${message}</p>` : nothing;
  }

  private text(field: TextField, label: string, options: { help?: string; required?: boolean; multiline?: boolean } = {}) {
    const common = {
      id: field,
      value: this.draft[field],
      invalid: this.errors.has(field) ? 'true' : 'false',
    };
    const onInput = (e: Event) => this.set(field, (e.target as HTMLInputElement).value);
    return html`<div class="field">
      <label for=${field}>${label}${options.required ? html` <span class="required">*</span>` : nothing}</label>
      ${options.help ? html`<p class="help" id="${field}-help">${options.help}</p>` : nothing}
      ${this.fieldError(field)}
      ${options.multiline
        ? html`<textarea id=${common.id} rows="5" .value=${common.value} aria-invalid=${common.invalid} ?required=${options.required}
            aria-describedby=${this.describedBy(field, options.help)} @input=${onInput}></textarea>`
        : html`<input id=${common.id} type="text" .value=${common.value} aria-invalid=${common.invalid} ?required=${options.required}
            aria-describedby=${this.describedBy(field, options.help)} @input=${onInput} />`}
    </div>`;
  }

  private radios(field: TextField, legend: string, options: Array<{ value: string; label: string; hint?: string }>, help?: string) {
    return html`<fieldset class="field" aria-describedby=${this.describedBy(field, help)} aria-invalid=${this.errors.has(field) ? 'true' : 'false'}>
      <legend>${legend} <span class="required">*</span></legend>
      ${help ? html`<p class="help" id="${field}-help">${help}</p>` : nothing}
      ${this.fieldError(field)}
      ${options.map(
        (o, i) => html`<div class="choice">
          <input type="radio" name=${field} id="${field}-${i}" value=${o.value} .checked=${this.draft[field] === o.value}
            @change=${() => this.set(field, o.value)} />
          <label for="${field}-${i}">${o.label}${o.hint ? html`<span class="hint">${o.hint}</span>` : nothing}</label>
        </div>`,
      )}
    </fieldset>`;
  }

  private stepContent(): TemplateResult {
    const t = this.t;
    const kinds = TEXTS[this.locale].start.kinds;
    switch (this.step) {
      case 0:
        return html`
          ${this.channels
            ? this.radios(
                'channel',
                t.channel,
                this.channels.channels.map((c) => ({ value: c.id, label: c.name[this.locale], hint: c.description[this.locale] })),
              )
            : html`<p role="status">${this.errors.get('channel') ?? t.loadingChannels}</p>`}
          ${this.radios('category', t.category, CATEGORIES.map((c) => ({ value: c, label: kinds[c].name, hint: kinds[c].text })))}
          ${this.radios('track', t.track, [{ value: 'wbk', label: t.trackWbk }, { value: 'code', label: t.trackCode }], t.trackHelp)}
        `;
      case 1:
        return html`
          ${this.text('what', t.what, { help: t.whatHelp, required: true, multiline: true })}
          ${this.text('when', t.when, { help: t.whenHelp })}
          <div class="field">
            <label for="whereLevel">${t.whereLevel}</label>
            <select id="whereLevel" @change=${(e: Event) => this.set('whereLevel', (e.target as HTMLSelectElement).value)}>
              ${LEVELS.map((l) => html`<option value=${l} ?selected=${this.draft.whereLevel === l}>${t.levels[l]}</option>`)}
            </select>
          </div>
          ${this.text('whereDetail', t.whereDetail)}
        `;
      case 2:
        return html`
          ${this.text('who', t.who, { help: t.whoHelp, multiline: true })}
          ${this.text('witnesses', t.witnesses, { multiline: true })}
          ${this.text('evidence', t.evidence, { help: t.evidenceHelp, multiline: true })}
          <div class="field">
            <label for="attachments">${t.attachments}</label>
            <p class="help" id="attachments-help">${t.attachmentsNote}</p>
            ${this.fieldError('attachments')}
            <input id="attachments" type="file" multiple aria-describedby=${this.describedBy('attachments', t.attachmentsNote)}
              @change=${(e: Event) => this.readFiles(e.target as HTMLInputElement)} />
          </div>
          ${this.text('reportedBefore', t.reportedBefore, { multiline: true })}
        `;
      case 3:
        return html`
          ${this.text('hopes', t.hopes, { multiline: true })}
          ${this.radios('conversation', t.conversation, CONVERSATION.map((c) => ({ value: c, label: t.conversationOptions[c] })))}
          ${this.text('contact', t.contact, { help: t.contactHelp, multiline: true })}
          <div class="field choice">
            <input type="checkbox" id="shareWithClb" .checked=${this.draft.shareWithClb} aria-describedby="shareWithClb-help"
              @change=${(e: Event) => this.set('shareWithClb', (e.target as HTMLInputElement).checked)} />
            <label for="shareWithClb">${t.consent}</label>
            <p class="help" id="shareWithClb-help">${t.consentHelp}</p>
          </div>
        `;
      default:
        return this.review();
    }
  }

  private review() {
    const t = this.t;
    const d = this.draft;
    const kinds = TEXTS[this.locale].start.kinds;
    const channel = this.channels?.channels.find((c) => c.id === d.channel);
    const rows: Array<[string, string, number]> = [
      [t.channel, channel?.name[this.locale] ?? '', 0],
      [t.category, d.category ? kinds[d.category as (typeof CATEGORIES)[number]].name : '', 0],
      [t.track, d.track === 'wbk' ? t.trackWbk : d.track === 'code' ? t.trackCode : '', 0],
      [t.what, d.what, 1],
      [t.when, d.when, 1],
      [t.whereLevel, `${t.levels[d.whereLevel as (typeof LEVELS)[number]]}${d.whereDetail ? `: ${d.whereDetail}` : ''}`, 1],
      [t.who, d.who, 2],
      [t.witnesses, d.witnesses, 2],
      [t.evidence, [d.evidence, ...d.attachments.map((a) => a.name)].filter(Boolean).join('\n'), 2],
      [t.reportedBefore, d.reportedBefore, 2],
      [t.hopes, d.hopes, 3],
      [t.conversation, t.conversationOptions[d.conversation as (typeof CONVERSATION)[number]], 3],
      [t.contact, d.contact, 3],
      [t.consent, d.shareWithClb ? t.yes : t.no, 3],
    ];
    return html`<p>${t.reviewHelp}</p>
      <dl class="review">
        ${rows.map(
          ([label, value, step]) => html`<div>
            <dt>${label}</dt>
            <dd>${value || t.empty}</dd>
            <dd><button type="button" class="link" @click=${() => this.go(step)}>${t.edit}<span class="visually-hidden">: ${label}</span></button></dd>
          </div>`,
        )}
      </dl>`;
  }

  private progress() {
    const t = this.t;
    const s = this.sending!;
    return html`<h1 tabindex="-1">${t.sending}</h1>
      <ol class="progress" aria-live="polite">
        ${PROGRESS.map((step) => {
          const state = s.done.includes(step) || (this.result && s.at === step) ? 'done' : s.at === step ? 'active' : 'waiting';
          return html`<li class=${state}>${t.progress[step]}${state === 'done' ? ' ✓' : state === 'active' ? ' …' : ''}</li>`;
        })}
      </ol>
      ${s.failed
        ? html`<div class="error-summary send-failed" role="alert" tabindex="-1"><p>${t.failed}</p></div>
            <p class="actions"><button type="button" class="button primary" @click=${this.send}>${t.retry}</button>
            <button type="button" class="button" @click=${() => (this.sending = null)}>${t.back}</button></p>`
        : nothing}`;
  }

  override render() {
    if (this.result) {
      return html`<code-receipt .locale=${this.locale} .code=${this.result.code} .receipt=${this.result.receipt} @done=${this.finish}></code-receipt>`;
    }
    if (this.sending) return this.progress();
    const t = this.t;
    const last = t.steps.length - 1;
    return html`
      <h1 tabindex="-1">${t.heading}</h1>
      <p class="step-of">${t.stepOf(this.step + 1, t.steps.length)}</p>
      <h2 tabindex="-1">${t.steps[this.step]}</h2>
      ${this.errors.size
        ? html`<div class="error-summary" role="alert" tabindex="-1">
            <p>${t.errorSummary}</p>
            <ul>${[...this.errors.keys()].map((f) => html`<li><a href="#${f}" @click=${(e: Event) => this.focusField(e, f)}>${this.labelOf(f)}</a></li>`)}</ul>
          </div>`
        : nothing}
      <form novalidate @submit=${this.step === last ? (e: Event) => (e.preventDefault(), this.send()) : this.next}>
        ${this.stepContent()}
        <p class="actions">
          ${this.step > 0 ? html`<button type="button" class="button" @click=${() => this.go(this.step - 1)}>${t.back}</button>` : nothing}
          <button type="submit" class="button primary" ?disabled=${this.step === last && !this.channels}>${this.step === last ? t.send : t.next}</button>
        </p>
      </form>
    `;
  }

  private labelOf(field: string): string {
    const t = this.t;
    const labels: Record<string, string> = { channel: t.channel, category: t.category, track: t.track, what: t.what, attachments: t.attachments };
    return `${labels[field] ?? field}: ${this.errors.get(field)}`;
  }

  private focusField(e: Event, field: string) {
    e.preventDefault();
    const el = (this.querySelector(`#${field}`) ?? this.querySelector(`[name="${field}"]`)) as HTMLElement | null;
    el?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'report-wizard': ReportWizard;
  }
}
