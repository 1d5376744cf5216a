import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Payload } from '../../../shared/schemas/payload.ts';
import { formatSize } from '../../../shared/format/size.ts';
import '../../../web/src/verified-badge.ts';
import type { CaseView, EntryView } from '../cases.ts';
import { SHOWN_TYPES } from '../shown.ts';
import { call, explain } from './desk-api.ts';
import { DESK_TEXTS, formatDay, type Lang } from './i18n.ts';

type DeskFile = CaseView['files'][number];


/** One message of a case: who, when, VERIFIED or NOT VERIFIED, what it says, and its files. */
@customElement('desk-message')
export class DeskMessage extends LitElement {
  @property() locale: Lang = 'nl';
  @property() caseId = '';
  @property({ attribute: false }) entry!: EntryView;
  @property({ attribute: false }) files: DeskFile[] = [];
  @state() private shown = new Map<string, { url?: string; error?: string }>();
  @state() private saving = new Map<string, { busy?: boolean; error?: string }>();

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback() {
    for (const s of this.shown.values()) if (s.url) URL.revokeObjectURL(s.url);
    super.disconnectedCallback();
  }

  /**
   * Save: the desk checks the file first; only then does the browser download it. A file that does
   * not verify is said in words here, instead of a download that just fails.
   */
  private async save(e: Event, file: DeskFile) {
    e.preventDefault();
    this.saving = new Map(this.saving).set(file.id, { busy: true });
    try {
      const { token } = await call<{ token: string }>(`cases/${this.caseId}/prepare/${file.id}`, { body: {} });
      const link = document.createElement('a');
      link.href = `api/cases/${this.caseId}/save/${file.id}?token=${encodeURIComponent(token)}`;
      link.download = file.name;
      link.click();
      this.saving = new Map(this.saving).set(file.id, {});
    } catch (err) {
      this.saving = new Map(this.saving).set(file.id, { error: explain(err, this.locale) });
    }
  }

  private async show(file: DeskFile) {
    this.shown = new Map(this.shown).set(file.id, {});
    try {
      const blob = await call<Blob>(`cases/${this.caseId}/file/${file.id}`);
      this.shown = new Map(this.shown).set(file.id, { url: URL.createObjectURL(blob) });
    } catch (e) {
      this.shown = new Map(this.shown).set(file.id, { error: explain(e, this.locale) });
    }
  }

  override render() {
    const t = DESK_TEXTS[this.locale].entry;
    const e = this.entry;
    const author = e.verified && e.signer ? e.signer : t.authors[e.author] ?? e.author;
    const label = e.verified
      ? t.verified(e.author === 'reporter' ? t.theReporter : (e.signer ?? author))
      : e.problem === 'other-case'
        ? t.otherCase
        : e.problem === 'replayed'
          ? t.replayed
          : e.problem === 'bad-signature'
            ? t.badSignature
            : t.notVerified;
    return html`<article class="message ${e.verified ? 'verified' : 'not-verified'} thread-${e.thread}" aria-labelledby="m-${e.id}">
      <h3 id="m-${e.id}" class="meta">#${e.id} · ${e.payload ? t.kinds[e.payload.kind] : '?'} · ${t.authors[e.author] ?? e.author} · ${formatDay(e.day, this.locale)}</h3>
      ${t.threads[e.thread] ? html`<p class="thread-label">${t.threads[e.thread]}</p>` : nothing}
      ${e.order ? html`<p class="warning" role="note">${e.order === 'missing' ? t.orderMissing : t.orderMoved}</p>` : nothing}
      <verified-badge ?verified=${e.verified} label=${label}></verified-badge>
      ${e.payload ? this.body(e.payload) : html`<p>${t.unreadable}</p>`}
      ${this.files.length ? html`<ul class="files">${this.files.map((f) => this.file(f))}</ul>` : nothing}
    </article>`;
  }

  private field(label: string, value: unknown) {
    return value ? html`<dt>${label}</dt><dd>${value}</dd>` : nothing;
  }

  private body(p: Payload): TemplateResult {
    const d = DESK_TEXTS[this.locale];
    const f = d.entry.fields;
    switch (p.kind) {
      case 'report':
        return html`<dl class="report">
          ${this.field(f.category, `${d.categories[p.category]} · ${d.tracks[p.track]}`)}
          ${this.field(f.what, p.answers.what)} ${this.field(f.when, p.answers.when)}
          ${this.field(f.where, `${d.entry.levels[p.answers.where.level] ?? p.answers.where.level}${p.answers.where.detail ? `: ${p.answers.where.detail}` : ''}`)}
          ${this.field(f.who, p.answers.who)} ${this.field(f.witnesses, p.answers.witnesses)} ${this.field(f.evidence, p.answers.evidence)}
          ${this.field(f.reportedBefore, p.answers.reportedBefore)} ${this.field(f.hopes, p.answers.hopes)}
          ${this.field(f.conversation, d.entry.conversations[p.conversation] ?? p.conversation)} ${this.field(f.meetingTimes, p.meetingTimes)}
          ${this.field(f.contact, p.contact || f.anonymous)}
          ${this.field(f.consent, d.view.consents[p.consent.clb])}
          ${this.field(f.attachments, p.attachments.map((a) => a.name).join(', '))}
        </dl>`;
      case 'escalation':
        return html`${p.note ? html`<p class="text">${p.note}</p>` : nothing}
          <dl>${this.field(f.contact, p.contact === undefined ? f.withheld : p.contact || f.anonymous)}</dl>
          <ol class="bundle">${p.messages.map((m) => html`<li><p class="meta">${d.entry.authors[m.author] ?? m.author} · ${formatDay(m.day, this.locale)}</p>${this.nested(m.payload)}</li>`)}</ol>`;
      case 'reporter-message':
        return html`${p.text ? html`<p class="text">${p.text}</p>` : nothing}${p.attachments.length ? html`<dl>${this.field(f.attachments, p.attachments.map((a) => a.name).join(', '))}</dl>` : nothing}`;
      case 'outcome':
        return html`${p.result ? html`<p class="label">${f.result}: ${d.results[p.result]}</p>` : nothing}<p class="text">${p.text}</p>`;
      case 'reply':
      case 'acknowledgement':
      case 'note':
        return html`<p class="text">${p.text}</p>`;
      case 'consent-request':
        return html`<p class="label">${d.view.consents[p.scope]}</p><p class="text">${p.text}</p>`;
      case 'consent':
        return html`<p class="label">${d.view.consents[p.clb]}</p>`;
      case 'consent-answer':
        return html`<p class="label">${d.view.consentAnswers[p.answer]}</p><p>${d.view.consents[p.scope]}</p>`;
      case 'meeting-request':
        return html`<dl>${this.field(f.mode, d.entry.conversations[p.mode] ?? p.mode)} ${this.field(f.meetingTimes, p.times)}</dl>`;
      case 'record':
        return html`<p class="label">${p.title}</p><p class="text">${p.text}</p>`;
      case 'move-request':
        return html`<p class="label">${f.moveTo}: ${p.to}</p><p class="text">${p.text}</p>`;
      case 'move-consent':
        return html`<p class="label">${f.moveAgreed}: ${p.to}</p>`;
      case 'moved':
        return html`<p class="label">${f.moved}: ${p.to}</p>`;
      case 'record-response':
        return html`<p class="label">${p.agreed ? f.agreed : f.corrected}</p>${p.corrections ? html`<p class="text">${p.corrections}</p>` : nothing}`;
    }
  }

  /** A message inside an escalation bundle: shown as the officer passed it on. */
  private nested(value: unknown): TemplateResult {
    const p = value as Payload | null;
    if (!p || typeof p !== 'object' || typeof p.kind !== 'string') return html`<p>${DESK_TEXTS[this.locale].entry.unreadable}</p>`;
    return this.body(p);
  }

  private file(file: DeskFile) {
    const t = DESK_TEXTS[this.locale].files;
    const shown = this.shown.get(file.id);
    const meta = html`<span class="name">${file.name}</span> <span class="size">(${file.type}, ${formatSize(file.size)}${file.metadataKept ? `, ${t.metadataKept}` : ''})</span>`;
    if (!file.described) return html`<li>${meta} <strong class="bad">${t.notVerified}</strong></li>`;
    if (file.state !== 'complete') return html`<li>${meta} <span class="help">${t.notUploaded}</span></li>`;
    // Saved only once it verifies (the desk checks it before the browser gets a byte).
    const saving = this.saving.get(file.id);
    const save = html`<a class="button save-file" href="api/cases/${this.caseId}/save/${file.id}" download=${file.name} @click=${(e: Event) => this.save(e, file)}>${t.saveOne}<span class="visually-hidden">: ${file.name}</span></a>
      ${saving?.busy ? html`<span role="status">${t.checking}</span>` : saving?.error ? html`<strong class="bad" role="alert">${saving.error}</strong>` : nothing}`;
    if (!SHOWN_TYPES.test(file.type)) return html`<li>${meta} ${save} <span class="help">${t.notShown}</span></li>`;
    return html`<li>${meta} ${save}
      ${!shown
        ? html`<button type="button" class="button show-file" @click=${() => this.show(file)}>${t.show}<span class="visually-hidden">: ${file.name}</span></button>`
        : shown.error
          ? html`<strong class="bad" role="alert">${shown.error}</strong>`
          : !shown.url
            ? html`<span role="status">${t.showing}</span>`
            : file.type.startsWith('image/')
              ? html`<img class="preview" src=${shown.url} alt=${file.name} />`
              : html`<audio class="preview" controls src=${shown.url} aria-label=${file.name}></audio>`}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-message': DeskMessage;
  }
}
