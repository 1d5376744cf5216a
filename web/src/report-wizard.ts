import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { TEXTS, localized, setPageTitle, type Lang } from './i18n/index.ts';
import { protocol } from './services/lazy.ts';
import { failureOf } from './services/failure.ts';
import { holdGuard, releaseGuard, warnBeforeLeaving } from './services/navigation.ts';
import {
  CATEGORIES,
  CLB_CHOICES,
  CONVERSATION,
  LEVELS,
  MAX_LENGTH,
  REVIEW_STEP,
  STEP_COUNT,
  TRACKS,
  emptyDraft,
  problemsOf,
  attachmentsProblem,
  chosen,
  DEFAULT_FILE_LIMITS,
  type Attachment,
  type Category,
  suggestedTrack,
  type FileLimits,
  stepOf,
  toReportInput,
  type Draft,
  type Field,
  type Problem,
  type TextField,
} from './services/draft.ts';
import type { Receipt } from '../../shared/schemas/api.ts';
import type { RetrievalCode } from '../../shared/protocol/code.ts';
import type { SubmitStep } from '../../shared/client/reporter.ts';
import './code-receipt.ts';
import { progressed, startUploads, unfinished, uploadList, type Upload } from './upload-list.ts';
import './file-picker.ts';
import './voice-recorder.ts';

/** In the order they run: removing metadata from files (when there are files), then the shared client's steps. */
type Step = 'prepare' | SubmitStep;
const PROGRESS: Step[] = ['prepare', 'keys', 'encrypt', 'pow', 'upload'];

interface Sending {
  at: Step | null;
  done: Step[];
  failed: 'failed' | 'offline' | null;
}

/**
 * The guided report: five steps, a review, then encrypt-and-send with visible progress, then the
 * receipt. Renders the draft; what the draft means lives in services/draft.ts.
 */
@customElement('report-wizard')
export class ReportWizard extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private step = 0;
  /** Set when "Change" on the review led here: the step then offers a way straight back. */
  @state() private fromReview = false;
  @state() private draft: Draft = emptyDraft();
  @state() private problems = new Map<Field, Problem>();
  @state() private sending: Sending | null = null;
  @state() private result: { code: RetrievalCode; receipt: Receipt } | null = null;
  /** Files still being sent after the report, shown above the code. */
  @state() private uploads: Upload[] = [];
  @state() private failedFiles = 0;
  /** "Klaar" was pressed while files were still being sent: the page goes to the start once they are stored. */
  @state() private leaving = false;

  /** The channels and keys the page ships with; loaded with the protocol chunk. */
  private channels = new Task(this, {
    task: async (_: [], { signal }) => {
      const p = await protocol();
      signal.throwIfAborted();
      return p.loadChannels();
    },
    args: () => [] as [],
    onComplete: (loaded) => {
      // With one channel there is nothing to choose.
      if (loaded.channels.length === 1 && !this.draft.channel) this.draft = { ...this.draft, channel: loaded.channels[0]!.id };
    },
  });

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    warnBeforeLeaving(false);
    this.channels.abort();
    super.disconnectedCallback();
  }

  protected override updated() {
    const empty = emptyDraft();
    const typed = (Object.keys(empty) as Field[]).some((k) => JSON.stringify(this.draft[k]) !== JSON.stringify(empty[k]));
    warnBeforeLeaving(typed && !this.result);
    const t = this.t;
    if (this.result) setPageTitle(this.locale, TEXTS[this.locale].receipt.heading);
    else if (this.sending) setPageTitle(this.locale, t.sending);
    else setPageTitle(this.locale, `${t.stepOf(this.step + 1, STEP_COUNT)}: ${t.steps[this.step]}`, t.heading);
  }

  private get t() {
    return TEXTS[this.locale].wizard;
  }

  /** A text from the site's config: in the page's language, or in Dutch, marked as Dutch, where the config has none. */
  private configured(value: Parameters<typeof localized>[0]): string | TemplateResult {
    const l = localized(value, this.locale);
    return l.lang === this.locale ? l.text : html`<span lang=${l.lang} dir="ltr">${l.text}</span>`;
  }

  private set<K extends keyof Draft>(field: K, value: Draft[K]) {
    this.draft = { ...this.draft, [field]: value };
    // The kind of report decides who receives it and which rules apply, until the reporter changes them.
    if (field === 'category' && value) {
      const category = value as Category;
      const channels = this.channels.value?.channels ?? [];
      const channel = channels.find((c) => c.kinds.includes(category)) ?? channels[0];
      this.draft = { ...this.draft, channel: channel?.id ?? this.draft.channel, track: suggestedTrack(category) };
    }
    if (this.problems.has(field)) {
      const problems = new Map(this.problems);
      problems.delete(field);
      this.problems = problems;
    }
  }

  private focusLater(selector: string) {
    void this.updateComplete.then(() => (this.querySelector(selector) as HTMLElement | null)?.focus());
  }

  private go(step: number, fromReview = false) {
    this.step = step;
    this.fromReview = fromReview && step !== REVIEW_STEP;
    this.problems = new Map();
    this.focusLater('h2[tabindex]');
  }

  private next(e: Event) {
    e.preventDefault();
    // Only a step already passed can be edited from the review, so checking this one is enough.
    const toReview = (e as SubmitEvent).submitter?.classList.contains('to-review') ?? false;
    // A recording made on this step is never left behind: added if it is ready, else the reporter is asked.
    const recorder = this.querySelector('voice-recorder');
    const voice = recorder?.pending() ?? 'none';
    if (voice === 'ready') this.addFiles([recorder!.take()!]);
    const problems = problemsOf(this.draft, this.step, this.limits);
    if (voice === 'ask') problems.set('attachments', 'voice-pending');
    if (problems.size === 0) {
      if (this.step === REVIEW_STEP) void this.send();
      else this.go(toReview ? REVIEW_STEP : this.step + 1, this.fromReview && !toReview);
      return;
    }
    // From the review, go back to where the problem is, and say it there.
    if (this.step === REVIEW_STEP) this.step = stepOf([...problems.keys()][0]!);
    this.problems = problems;
    this.focusLater('.error-summary');
  }

  private setFiles(files: Attachment[]) {
    this.set('attachments', files);
    const problem = attachmentsProblem(files, this.limits);
    const rest = new Map([...this.problems].filter(([k]) => k !== 'attachments'));
    this.problems = problem ? new Map([...rest, ['attachments', problem]]) : rest;
  }

  private addFiles(files: File[]) {
    this.setFiles([...this.draft.attachments, ...chosen(files)]);
  }

  private get limits(): FileLimits {
    return this.channels.value?.files ?? DEFAULT_FILE_LIMITS;
  }

  private async send() {
    const channels = this.channels.value;
    if (!channels) return;
    const attachments = this.draft.attachments;
    this.sending = { at: attachments.length ? 'prepare' : null, done: [], failed: null };
    // Leaving now would lose the code of a report that may already be stored.
    holdGuard(() => this.focusLater('.progress-heading'));
    this.focusLater('.progress-heading');
    try {
      const p = await protocol();
      const files = await p.prepareFiles(attachments);
      this.uploads = startUploads(files);
      const result = await p.submitReport({
        api: { base: '' },
        channels,
        report: toReportInput(this.draft, this.locale),
        files,
        onStep: (at) => {
          const s = this.sending!;
          this.sending = { ...s, at, done: s.at ? [...s.done, s.at] : s.done };
        },
        onFileProgress: (i, bytes, stored) => (this.uploads = progressed(this.uploads, i, bytes, stored)),
        // Show the code as soon as the report is stored; files follow while it shows.
        onSubmitted: (code, receipt) => {
          this.draft = emptyDraft();
          this.result = { code, receipt };
        },
      });
      this.failedFiles = result.failedFiles.length;
      this.uploads = this.uploads.filter((u) => u.phase === 'done');
      if (this.leaving) this.finish();
      // Step timings stay in the page; the web bench listens for them (test/bench/web.bench.ts).
      this.dispatchEvent(new CustomEvent('submitted', { detail: { timings: result.timings }, bubbles: true }));
    } catch (e) {
      releaseGuard();
      this.sending = { ...this.sending!, failed: failureOf(e) === 'offline' ? 'offline' : 'failed' };
      this.focusLater('.send-failed');
    }
  }

  private finish() {
    // Files still on their way: stay, say so, and go once they are stored.
    if (this.uploads.some((u) => u.phase !== 'done') && !this.failedFiles) {
      this.leaving = true;
      this.focusLater('.wait-for-files');
      return;
    }
    this.leaving = false;
    this.uploads = [];
    this.result = null;
    this.sending = null;
    this.step = 0;
    location.replace('#/');
  }

  // ---- fields ----

  private describedBy(field: Field, help: boolean) {
    return [help ? `${field}-help` : '', this.problems.has(field) ? `${field}-error` : ''].filter(Boolean).join(' ') || nothing;
  }

  private fieldError(field: Field) {
    const problem = this.problems.get(field);
    return problem ? html`<p class="field-error" id="${field}-error">${this.t.problems[problem]}</p>` : nothing;
  }

  /**
   * A free-text field. No autocomplete (the browser would keep what was typed) and no spellcheck
   * (some browsers' "enhanced" spellcheck sends the text to a cloud service).
   */
  private text(field: TextField, label: string, options: { help?: string; required?: boolean; multiline?: boolean } = {}) {
    const invalid = this.problems.has(field) ? 'true' : 'false';
    const describedBy = this.describedBy(field, Boolean(options.help));
    const onInput = (e: Event) => this.set(field, (e.target as HTMLInputElement).value);
    return html`<div class="field">
      <label for=${field}>${label}${options.required ? html` <span class="required" aria-hidden="true">*</span>` : nothing}</label>
      ${options.help ? html`<p class="help" id="${field}-help">${options.help}</p>` : nothing}
      ${this.fieldError(field)}
      ${options.multiline
        ? html`<textarea id=${field} rows="5" .value=${this.draft[field]} maxlength=${MAX_LENGTH[field]} autocomplete="off" spellcheck="false"
            aria-invalid=${invalid} ?required=${options.required} aria-describedby=${describedBy} @input=${onInput}></textarea>`
        : html`<input id=${field} type="text" .value=${this.draft[field]} maxlength=${MAX_LENGTH[field]} autocomplete="off" spellcheck="false"
            aria-invalid=${invalid} ?required=${options.required} aria-describedby=${describedBy} @input=${onInput} />`}
    </div>`;
  }

  private radios<F extends 'channel' | 'category' | 'track' | 'conversation' | 'clb'>(
    field: F,
    legend: string,
    options: Array<{ value: Draft[F]; label: string | TemplateResult; hint?: string | TemplateResult }>,
    extra: { help?: string; required?: boolean; note?: TemplateResult | typeof nothing } = {},
  ) {
    return html`<fieldset class="field" aria-describedby=${this.describedBy(field, Boolean(extra.help))}>
      <legend>${legend}${extra.required ? html` <span class="required" aria-hidden="true">*</span>` : nothing}</legend>
      ${extra.help ? html`<p class="help" id="${field}-help">${extra.help}</p>` : nothing}
      ${this.fieldError(field)}
      ${options.map(
        (o, i) => html`<div class="choice">
          <input type="radio" name=${field} id="${field}-${i}" value=${o.value} .checked=${this.draft[field] === o.value}
            ?required=${extra.required} aria-invalid=${this.problems.has(field) ? 'true' : 'false'}
            aria-describedby=${o.hint ? `${field}-${i}-hint` : nothing} @change=${() => this.set(field, o.value)} />
          <label for="${field}-${i}" dir="auto">${o.label}</label>
          ${o.hint ? html`<p class="hint" id="${field}-${i}-hint" dir="auto">${o.hint}</p>` : nothing}
        </div>`,
      )}
      ${extra.note ?? nothing}
    </fieldset>`;
  }

  private stepContent(): TemplateResult {
    const t = this.t;
    const kinds = TEXTS[this.locale].start.kinds;
    switch (this.step) {
      case 0:
        // One choice in the reporter's own words; who receives it and which rules apply follow from it, still changeable.
        return html`
          ${this.radios('category', t.category, CATEGORIES.map((c) => ({ value: c, label: t.choices[c], hint: `${t.called} ${kinds[c].name}` })), { required: true })}
          ${this.draft.category
            ? html`<p class="suggestion" role="status">${t.derived}</p>
                ${this.channels.render({
                  initial: () => html`<p role="status">${t.loadingChannels}</p>`,
                  pending: () => html`<p role="status">${t.loadingChannels}</p>`,
                  error: () => html`<p class="field-error" role="alert">${t.channelsFailed}</p>`,
                  complete: (loaded) =>
                    loaded.channels.length > 1
                      ? this.radios(
                          'channel',
                          t.channel,
                          loaded.channels.map((c) => ({ value: c.id, label: this.configured(c.name), hint: this.configured(c.description) })),
                          { required: true },
                        )
                      : nothing,
                })}
                ${this.radios('track', t.track, TRACKS.map((k) => ({ value: k, label: t.tracks[k].label, hint: t.tracks[k].hint })), {
                  help: t.trackHelp,
                  required: true,
                  note: html`<p class="suggestion">${t.trackSuggestion[this.draft.category]}</p>`,
                })}`
            : nothing}
        `;
      case 1:
        return html`
          ${this.text('what', t.what, { help: t.whatHelp, required: true, multiline: true })}
          ${this.text('when', t.when, { help: t.whenHelp })}
          <div class="field">
            <label for="whereLevel">${t.whereLevel}</label>
            <select id="whereLevel" @change=${(e: Event) => this.set('whereLevel', (e.target as HTMLSelectElement).value as Draft['whereLevel'])}>
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
          <voice-recorder .locale=${this.locale} @voice=${(e: CustomEvent<File>) => this.addFiles([e.detail])}></voice-recorder>
          <file-picker .locale=${this.locale} .files=${this.draft.attachments} .limits=${this.limits}
            .error=${this.problems.has('attachments') ? t.problems[this.problems.get('attachments')!] : ''}
            @files-change=${(e: CustomEvent<Attachment[]>) => (e.stopPropagation(), this.setFiles(e.detail))}></file-picker>
          ${this.text('reportedBefore', t.reportedBefore, { help: t.reportedBeforeHelp, multiline: true })}
        `;
      case 3:
        return html`
          ${this.text('hopes', t.hopes, { multiline: true })}
          ${this.radios('conversation', t.conversation, CONVERSATION.map((c) => ({ value: c, label: t.conversationOptions[c] })), { help: t.conversationHelp })}
          ${this.draft.conversation !== 'none' ? this.text('meetingTimes', t.meetingTimes, { help: t.meetingTimesHelp }) : nothing}
          ${this.text('contact', t.contact, { help: t.contactHelp, multiline: true })}
          ${this.radios('clb', t.consent, CLB_CHOICES.map((c) => ({ value: c, label: t.consentOptions[c].label, hint: t.consentOptions[c].hint })), { help: t.consentHelp })}
        `;
      default:
        return this.review();
    }
  }

  private review() {
    const t = this.t;
    const d = this.draft;
    const kinds = TEXTS[this.locale].start.kinds;
    const channel = this.channels.value?.channels.find((c) => c.id === d.channel);
    const rows: Array<[string, string | TemplateResult, number]> = [
      [t.channel, channel ? this.configured(channel.name) : '', 0],
      [t.category, d.category ? kinds[d.category].name : '', 0],
      [t.track, d.track ? t.tracks[d.track].label : '', 0],
      [t.what, d.what, 1],
      [t.when, d.when, 1],
      [t.whereLevel, `${t.levels[d.whereLevel]}${d.whereDetail ? `: ${d.whereDetail}` : ''}`, 1],
      [t.who, d.who, 2],
      [t.witnesses, d.witnesses, 2],
      [t.evidence, [d.evidence, ...d.attachments.map((a) => a.name)].filter(Boolean).join('\n'), 2],
      [t.reportedBefore, d.reportedBefore, 2],
      [t.hopes, d.hopes, 3],
      [t.conversation, `${t.conversationOptions[d.conversation]}${d.conversation !== 'none' && d.meetingTimes ? `: ${d.meetingTimes}` : ''}`, 3],
      [t.contact, d.contact, 3],
      [t.consent, t.consentOptions[d.clb].label, 3],
    ];
    return html`<p>${t.reviewHelp}</p>
      ${this.fieldError('attachments')}
      <dl class="review">
        ${rows.map(
          ([label, value, step]) => html`<div>
            <dt>${label}</dt>
            <dd dir="auto">${value || t.empty}</dd>
            <dd class="edit"><button type="button" class="link" @click=${() => this.go(step, true)}>${t.edit}<span class="visually-hidden">: ${label}</span></button></dd>
          </div>`,
        )}
      </dl>`;
  }

  private progress(s: Sending) {
    const t = this.t;
    return html`<h1 tabindex="-1" class="progress-heading">${t.sending}</h1>
      <p>${t.sendingNote}</p>
      <ol class="progress">
        ${PROGRESS.filter((step) => step !== 'prepare' || this.draft.attachments.length || this.uploads.length).map((step) => {
          const state = s.done.includes(step) || (this.result && s.at === step) ? 'done' : s.at === step && !s.failed ? 'active' : 'waiting';
          return html`<li class=${state}>
            <span class="mark" aria-hidden="true">${state === 'done' ? '✓' : state === 'active' ? '…' : '○'}</span>
            <span>${t.progress[step]}<span class="visually-hidden">: ${t.progressState[state]}</span></span>
          </li>`;
        })}
      </ol>
      <p role="status" class="visually-hidden">${s.at && !s.failed ? t.progress[s.at] : ''}</p>
      ${s.failed
        ? html`<div class="error-summary send-failed" role="alert" tabindex="-1"><p>${t[s.failed]}</p></div>
            <p class="actions">
              <button type="button" class="button" @click=${() => ((this.sending = null), this.focusLater('h2[tabindex]'))}>${t.back}</button>
              <button type="button" class="button primary" @click=${this.send}>${t.retry}</button>
            </p>`
        : nothing}`;
  }

  private steps() {
    const t = this.t;
    return html`<ol class="steps" aria-label=${t.stepsLabel}>
      ${t.steps.map(
        (name, i) => html`<li class=${i === this.step ? 'current' : i < this.step ? 'past' : ''} aria-current=${i === this.step ? 'step' : nothing}>
          <span class="number" aria-hidden="true">${i + 1}</span> <span class="name">${name}</span>
        </li>`,
      )}
    </ol>`;
  }

  override render() {
    if (this.result) {
      const f = TEXTS[this.locale].files;
      const sending = unfinished(this.uploads);
      return html`${this.uploads.length
          ? html`<section class="uploads" aria-live="polite">${sending ? html`<p>${f.walkAway}</p>` : nothing}${uploadList(this.locale, this.uploads)}</section>`
          : nothing}
        ${this.leaving && sending ? html`<p class="warning wait-for-files" role="alert" tabindex="-1">${f.waitForFiles}</p>` : nothing}
        ${this.failedFiles ? html`<p class="warning files-failed" role="alert">${f.failed(this.failedFiles)}</p>` : nothing}
        <code-receipt .locale=${this.locale} .code=${this.result.code} .receipt=${this.result.receipt} @done=${this.finish}></code-receipt>`;
    }
    if (this.sending) return this.progress(this.sending);
    const t = this.t;
    return html`
      <h1 tabindex="-1">${t.heading}</h1>
      ${this.steps()}
      <p class="step-of">${t.stepOf(this.step + 1, STEP_COUNT)}</p>
      <h2 tabindex="-1">${t.steps[this.step]}</h2>
      ${this.problems.size
        ? html`<div class="error-summary" role="alert" tabindex="-1">
            <p>${t.errorSummary}</p>
            <ul>
              ${[...this.problems].map(
                ([field, problem]) => html`<li><a href="#${field}" @click=${(e: Event) => this.focusField(e, field)}>${withColon(this.labelOf(field))} ${t.problems[problem]}</a></li>`,
              )}
            </ul>
          </div>`
        : nothing}
      <form novalidate autocomplete="off" @submit=${this.next}>
        ${this.stepContent()}
        <p class="actions">
          ${this.step > 0 ? html`<button type="button" class="button" @click=${() => this.go(this.step - 1, this.fromReview)}>${t.back}</button>` : nothing}
          <button type="submit" class="button ${this.fromReview ? '' : 'primary'}" ?disabled=${this.step === REVIEW_STEP && !this.channels.value}>
            ${this.step === REVIEW_STEP ? t.send : t.next}
          </button>
          ${this.fromReview ? html`<button type="submit" class="button primary to-review">${t.toReview}</button>` : nothing}
        </p>
      </form>
    `;
  }

  private labelOf(field: Field): string {
    const t = this.t;
    const labels: Partial<Record<Field, string>> = { channel: t.channel, category: t.category, track: t.track, what: t.what, attachments: t.attachments };
    return labels[field] ?? field;
  }

  /** The summary's links move focus to the field itself; the fragment would change the route. */
  private focusField(e: Event, field: Field) {
    e.preventDefault();
    const el = (this.querySelector(`#${field}`) ?? this.querySelector(`[name="${field}"]`)) as HTMLElement | null;
    el?.focus();
  }
}

/** "Label: problem", but a label that is a question keeps its question mark alone ("Where?", not "Where?:"). */
const withColon = (label: string) => (/[?:؟]$/.test(label) ? label : `${label}:`);

declare global {
  interface HTMLElementTagNameMap {
    'report-wizard': ReportWizard;
  }
}
