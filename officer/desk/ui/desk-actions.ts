import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { OUTCOME_RESULTS } from '../../../shared/schemas/payload.ts';
import type { CaseView } from '../cases.ts';
import { call, explain, upload, type DeskState } from './desk-api.ts';
import { DESK_TEXTS, type Lang } from './i18n.ts';

type Action = 'ack' | 'reply' | 'status' | 'close' | 'escalate' | 'ask-consent' | 'ask-move' | 'move' | 'note' | 'internal' | 'record' | 'export' | 'save-files' | 'delete';

/**
 * What the officer (or CLB) can do with a case, each a form of its own: the same commands as the
 * command line, run by the desk with the key it holds. Only what applies is offered; the desk
 * still refuses what the reporter's consent does not allow. Fires `changed` after each success.
 */
@customElement('desk-actions')
export class DeskActions extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) desk!: DeskState;
  @property({ attribute: false }) view!: CaseView;
  @state() private busy: Action | null = null;
  /**
   * What the last action answered, in the desk's own words. It stays on screen above the actions
   * (a section that no longer applies, such as acknowledging, disappears, its result does not), and
   * focus moves to it, so a screen reader announces it.
   */
  @state() private result: { action: Action; ok: boolean; text: string; english?: string } | null = null;

  protected override createRenderRoot() {
    return this;
  }

  private value(id: string): string {
    return (this.querySelector(`#${id}`) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null)?.value ?? '';
  }

  private async submit(e: Event, action: Action) {
    e.preventDefault();
    const v = (id: string) => this.value(`${action}-${id}`);
    const files = [...((this.querySelector(`#${action}-files`) as HTMLInputElement | null)?.files ?? [])];
    this.busy = action;
    this.result = null;
    try {
      const uploads = files.length ? await upload(files) : [];
      const body: Record<Action, unknown> = {
        ack: { text: v('text') || undefined },
        reply: { text: v('text'), uploads },
        note: { text: v('text'), uploads },
        internal: { text: v('text'), uploads },
        record: { title: v('title'), text: v('text'), uploads },
        status: { status: v('status'), text: v('text') || undefined },
        close: { text: v('text'), result: v('result') || undefined },
        escalate: { target: v('target'), note: v('note') || undefined, messages: v('messages').trim() ? v('messages').split(',').map((m) => m.trim().replace(/^#/, '')).filter(Boolean) : undefined },
        'ask-consent': { scope: v('scope'), text: v('text') || undefined },
        'ask-move': { to: v('to'), text: v('text') || undefined },
        move: { to: v('to') },
        export: { folder: v('folder') },
        'save-files': { folder: v('folder') },
        delete: { confirm: v('confirm').trim().toUpperCase() },
      };
      const answer = await call<{ message: string; folder?: string }>(`cases/${this.view.summary.caseId}/${action}`, { body: body[action] });
      const done = DESK_TEXTS[this.locale].actions.succeeded[action]!;
      this.result = { action, ok: true, text: answer.folder ? `${done} ${answer.folder}` : done };
      // Sent is sent: the form is empty again, so nothing goes twice.
      for (const field of this.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>(`#action-${action} textarea, #action-${action} input[type="file"], #action-${action} input[type="text"]:not([id$="-folder"])`)) field.value = '';
      // A deleted or moved case is no longer this desk's to show.
      if (action === 'delete' || action === 'move') location.hash = '#/';
      else if (action !== 'export' && action !== 'save-files') this.dispatchEvent(new CustomEvent('changed', { bubbles: true }));
    } catch (err) {
      const d = DESK_TEXTS[this.locale];
      const worded = explain(err, this.locale);
      // A refusal the desk words itself, or the tool's own sentence (English, marked so).
      this.result = worded !== (err as Error).message ? { action, ok: false, text: `${d.error} ${worded}` } : { action, ok: false, text: d.error, english: worded };
    } finally {
      this.busy = null;
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>('.action-result')?.focus();
  }

  /** One action: a disclosure with its form, its help, and its own status line. */
  private section(action: Action, summary: string, help: string, fields: TemplateResult, submit: string) {
    const t = DESK_TEXTS[this.locale].actions;
    const failed = this.result?.action === action && !this.result.ok;
    return html`<details class="action" id="action-${action}" ?open=${failed || this.busy === action}>
      <summary>${summary}</summary>
      <form novalidate autocomplete="off" @submit=${(e: Event) => this.submit(e, action)}>
        ${help ? html`<p class="help">${help}</p>` : nothing}
        ${fields}
        <p class="actions"><button type="submit" class="button primary" ?disabled=${this.busy !== null}>${submit}</button></p>
        <p role="status">${this.busy === action ? t.working : ''}</p>
      </form>
    </details>`;
  }

  private textarea(action: Action, label: string, id = 'text') {
    return html`<div class="field"><label for="${action}-${id}">${label}</label><textarea id="${action}-${id}" rows="5" spellcheck="true"></textarea></div>`;
  }

  private filesInput(action: Action) {
    return html`<div class="field"><label for="${action}-files">${DESK_TEXTS[this.locale].actions.attach}</label><input id="${action}-files" type="file" multiple /></div>`;
  }

  private folderInput(action: Action) {
    const t = DESK_TEXTS[this.locale].actions;
    return html`<div class="field"><label for="${action}-folder">${t.folder}</label>
      <p class="help" id="${action}-folder-help">${t.folderHelp(this.desk.folder ?? '~')}</p>
      <input id="${action}-folder" type="text" spellcheck="false" aria-describedby="${action}-folder-help" .value=${`${action === 'export' ? 'register' : 'bestanden'}/${this.view.summary.caseId}`} /></div>`;
  }

  override render() {
    const d = DESK_TEXTS[this.locale];
    const t = d.actions;
    const v = this.view;
    const s = v.summary;
    const open = s.status !== 'closed';
    const officer = this.desk.role === 'officer';
    const joined = v.readers.some((r) => r.role === 'clb');
    const others = (this.desk.channels ?? []).filter((c) => c.id !== s.channel);
    const scopes = (['without-contact', 'conversation'] as const).filter((c) => (c === 'conversation' || v.consent === 'none') && v.consent !== c);
    const r = this.result;
    return html`<section aria-labelledby="actions-heading" class="desk-actions"><h2 id="actions-heading">${t.heading}</h2>
      <p class="action-result ${r ? (r.ok ? 'done' : 'field-error') : ''}" role=${r && !r.ok ? 'alert' : 'status'} tabindex="-1">${r?.text ?? ''}${r?.english ? html` <span lang="en">${r.english}</span>` : nothing}</p>
      ${officer && open && !s.acknowledgedOn ? this.section('ack', t.ack.summary, t.ack.help, this.textarea('ack', t.optionalText), t.ack.submit) : nothing}
      ${open && (officer || joined) ? this.section('reply', t.reply.summary, t.reply.help, html`${this.textarea('reply', t.text)}${this.filesInput('reply')}`, t.reply.submit) : nothing}
      ${officer && open && s.acknowledgedOn
        ? this.section('status', t.status.summary, t.status.help, html`<div class="field"><label for="status-status">${t.status.label}</label>
            <select id="status-status">${(['in-progress', 'feedback-given'] as const).map((k) => html`<option value=${k}>${d.statuses[k]}</option>`)}</select></div>${this.textarea('status', t.optionalText)}`, t.status.submit)
        : nothing}
      ${officer && open && s.acknowledgedOn
        ? this.section('close', t.close.summary, t.close.help, html`<div class="field"><label for="close-result">${t.close.result}</label>
            <select id="close-result"><option value="">${t.close.noResult}</option>${OUTCOME_RESULTS.map((r) => html`<option value=${r}>${d.results[r]}</option>`)}</select></div>${this.textarea('close', t.text)}`, t.close.submit)
        : nothing}
      ${officer && v.consent !== 'none' && this.desk.targets?.length
        ? this.section('escalate', t.escalate.summary, d.view.consents[v.consent], html`<div class="field"><label for="escalate-target">${t.escalate.target}</label>
            <select id="escalate-target">${this.desk.targets.map((x) => html`<option value=${x.id}>${x.name}</option>`)}</select></div>
            ${v.consent === 'conversation' ? html`<div class="field"><label for="escalate-messages">${t.escalate.messages}</label><input id="escalate-messages" type="text" inputmode="numeric" /></div>` : nothing}
            ${this.textarea('escalate', t.escalate.note, 'note')}`, t.escalate.submit)
        : nothing}
      ${officer && open && v.report && scopes.length
        ? this.section('ask-consent', t.askConsent.summary, d.view.consents[v.consent], html`<div class="field"><label for="ask-consent-scope">${t.askConsent.scope}</label>
            <select id="ask-consent-scope">${scopes.map((c) => html`<option value=${c}>${d.view.consents[c]}</option>`)}</select></div>${this.textarea('ask-consent', t.optionalText)}`, t.askConsent.submit)
        : nothing}
      ${officer && open && v.report && others.length
        ? this.section('ask-move', t.askMove.summary, t.askMove.help, html`<div class="field"><label for="ask-move-to">${t.askMove.to}</label>
            <select id="ask-move-to">${others.map((c) => html`<option value=${c.id}>${c.name[this.locale]}</option>`)}</select></div>${this.textarea('ask-move', t.optionalText)}`, t.askMove.submit)
        : nothing}
      ${officer && open && v.moveConsents.length
        ? this.section('move', t.move.summary, t.move.help, html`<div class="field"><label for="move-to">${t.move.to}</label>
            <select id="move-to">${others.filter((c) => v.moveConsents.includes(c.id)).map((c) => html`<option value=${c.id}>${c.name[this.locale]}</option>`)}</select></div>`, t.move.submit)
        : nothing}
      ${s.escalated ? this.section('note', t.note.summary, t.note.help, html`${this.textarea('note', t.text)}${this.filesInput('note')}`, t.note.submit) : nothing}
      ${officer ? this.section('internal', t.internal.summary, t.internal.help, html`${this.textarea('internal', t.text)}${this.filesInput('internal')}`, t.internal.submit) : nothing}
      ${officer && open
        ? this.section('record', t.record.summary, t.record.help, html`<div class="field"><label for="record-title">${t.record.title}</label><input id="record-title" type="text" /></div>${this.textarea('record', t.text)}${this.filesInput('record')}`, t.record.submit)
        : nothing}
      ${v.files.length ? this.section('save-files', d.files.save, d.files.warning, this.folderInput('save-files'), d.files.save) : nothing}
      ${this.section('export', t.export.summary, t.export.help, this.folderInput('export'), t.export.submit)}
      ${officer
        ? this.section('delete', t.delete.summary, t.delete.help, html`<div class="field"><label for="delete-confirm">${t.delete.confirm}</label><input id="delete-confirm" type="text" spellcheck="false" autocomplete="off" /></div>`, t.delete.submit)
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-actions': DeskActions;
  }
}
