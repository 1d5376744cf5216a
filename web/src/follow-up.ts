import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { TEXTS, formatDay, type Lang } from './i18n.ts';
import { protocol } from './services/lazy.ts';
import { parseCode } from '../../shared/protocol/code.ts';
import type { OpenedCase, ThreadEntry } from '../../shared/client/reporter.ts';

/** Come back with the code: status, deadlines, who can read, the decrypted conversation, and a reply box. */
@customElement('follow-up')
export class FollowUp extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private code = '';
  @state() private error: string | null = null;
  @state() private busy = false;
  @state() private opened: OpenedCase | null = null;
  @state() private reply = '';
  @state() private replyError: string | null = null;
  @state() private sent = false;

  protected override createRenderRoot() {
    return this;
  }

  private get t() {
    return TEXTS[this.locale].followUp;
  }

  private async open(e?: Event) {
    e?.preventDefault();
    const errors = this.t.errors;
    const parsed = parseCode(this.code);
    switch (parsed.kind) {
      case 'empty':
        return this.fail(errors.empty);
      case 'invalid-symbol':
        return this.fail(errors['invalid-symbol'](parsed.symbol));
      case 'wrong-length':
        return this.fail(errors['wrong-length'](parsed.length));
      case 'mistyped':
        return this.fail(errors.mistyped);
      case 'ok':
        break;
    }
    this.error = null;
    this.busy = true;
    try {
      const p = await protocol();
      this.opened = await p.openCase({ api: { base: '' }, channels: await p.loadChannels(), code: parsed.code });
      this.code = '';
      this.updateComplete.then(() => (this.querySelector('h2[tabindex]') as HTMLElement | null)?.focus());
    } catch (err) {
      const p = await protocol();
      this.fail(err instanceof p.ApiError && err.code === 'not-found' ? errors['not-found'] : errors.failed);
    } finally {
      this.busy = false;
    }
  }

  private fail(message: string) {
    this.error = message;
    this.updateComplete.then(() => (this.querySelector('#code') as HTMLElement | null)?.focus());
  }

  private async send(e: Event) {
    e.preventDefault();
    if (!this.opened) return;
    if (!this.reply.trim()) {
      this.replyError = TEXTS[this.locale].wizard.required;
      return;
    }
    this.busy = true;
    this.replyError = null;
    try {
      const p = await protocol();
      await p.postMessage(this.opened.session, this.reply);
      this.reply = '';
      this.sent = true;
      // Read the case again, so the reporter sees exactly what is stored.
      this.opened = await p.refreshCase(this.opened.session, await p.loadChannels());
    } catch {
      this.replyError = this.t.errors.failed;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.t;
    return html`<h1 tabindex="-1">${t.heading}</h1>${this.opened ? this.caseView(this.opened) : this.codeForm()}`;
  }

  private codeForm() {
    const t = this.t;
    return html`<form novalidate @submit=${this.open}>
      <div class="field">
        <label for="code">${t.codeLabel}</label>
        <p class="help" id="code-help">${t.codeHelp}</p>
        ${this.error ? html`<p class="field-error" id="code-error" role="alert">${this.error}</p>` : nothing}
        <input id="code" class="code-input" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
          .value=${this.code} aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'code-help code-error' : 'code-help'}
          @input=${(e: Event) => (this.code = (e.target as HTMLInputElement).value)} />
      </div>
      <p class="actions"><button type="submit" class="button primary" ?disabled=${this.busy}>${t.open}</button></p>
      ${this.busy ? html`<p role="status">${t.opening}</p>` : nothing}
    </form>`;
  }

  private caseView(opened: OpenedCase) {
    const t = this.t;
    const { view } = opened;
    const day = (d: string) => formatDay(d, this.locale);
    return html`
      <h2 tabindex="-1">${t.status}: ${t.statuses[view.status]}${view.escalated ? html` · ${t.escalated}` : nothing}</h2>
      <section aria-labelledby="timeline">
        <h3 id="timeline">${t.timeline}</h3>
        <dl class="timeline">
          <div><dt>${t.receivedOn}</dt><dd>${day(view.receivedOn)}</dd></div>
          ${view.acknowledgedOn
            ? html`<div><dt>${t.acknowledgedOn}</dt><dd>${day(view.acknowledgedOn)}</dd></div>`
            : html`<div><dt>${t.acknowledgeBy}</dt><dd>${day(view.deadlines.acknowledgeBy)}</dd></div>`}
          <div><dt>${t.feedbackBy}</dt><dd>${view.deadlines.feedbackBy ? day(view.deadlines.feedbackBy) : t.feedbackAfterAck}</dd></div>
          ${view.closedOn ? html`<div><dt>${t.closedOn}</dt><dd>${day(view.closedOn)}</dd></div>` : nothing}
        </dl>
      </section>
      <section aria-labelledby="readers">
        <h3 id="readers">${t.readers}</h3>
        <ul class="readers">
          ${opened.recipients.map(
            (r) => html`<li class=${r.trusted ? '' : 'untrusted'}>${r.role === 'reporter' ? t.you : r.name}${r.trusted ? nothing : html` <strong>${t.untrusted}</strong>`}</li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="conversation">
        <h3 id="conversation">${t.conversation}</h3>
        <ol class="thread">${opened.thread.map((entry) => this.entry(entry))}</ol>
      </section>
      ${view.status === 'closed'
        ? html`<p class="note">${t.closedNote}</p>`
        : html`<form novalidate @submit=${this.send}>
            <div class="field">
              <label for="reply">${t.reply}</label>
              ${this.replyError ? html`<p class="field-error" id="reply-error" role="alert">${this.replyError}</p>` : nothing}
              <textarea id="reply" rows="5" .value=${this.reply} aria-invalid=${this.replyError ? 'true' : 'false'}
                aria-describedby=${this.replyError ? 'reply-error' : nothing}
                @input=${(e: Event) => ((this.reply = (e.target as HTMLTextAreaElement).value), (this.sent = false))}></textarea>
            </div>
            <p class="actions"><button type="submit" class="button primary" ?disabled=${this.busy || !opened.session.encryptionKeys}>${t.send}</button></p>
            <p role="status">${this.sent ? t.sent : ''}</p>
          </form>`}
    `;
  }

  private entry(entry: ThreadEntry) {
    const t = this.t;
    const sig = entry.signature;
    const mine = sig.status === 'verified' && sig.name === 'reporter';
    const verified = sig.status === 'verified';
    const who = mine ? t.you : verified ? sig.name : '?';
    const p = entry.payload;
    let body;
    if (!p) body = html`<p>${t.unreadable}</p>`;
    else if (p.kind === 'report') body = this.report(p);
    else if ('text' in p) body = html`${p.kind === 'outcome' ? html`<p class="label">${t.outcome}</p>` : p.kind === 'acknowledgement' ? html`<p class="label">${t.acknowledgement}</p>` : nothing}<p class="text">${p.text}</p>`;
    else body = html`<p>${t.unreadable}</p>`;
    return html`<li class="message ${verified ? 'verified' : 'not-verified'}">
      <p class="meta"><span class="author">${who}</span> · <span>${formatDay(entry.day, this.locale)}</span></p>
      <p class="badge ${verified ? 'ok' : 'bad'}">${verified ? html`✓ ${t.verified} ${who}` : html`⚠ ${t.notVerified}`}</p>
      ${body}
    </li>`;
  }

  private report(p: Extract<NonNullable<ThreadEntry['payload']>, { kind: 'report' }>) {
    const w = TEXTS[this.locale].wizard;
    const rows: Array<[string, string]> = [
      [w.what, p.answers.what],
      [w.when, p.answers.when],
      [w.whereLevel, `${w.levels[p.answers.where.level]}${p.answers.where.detail ? `: ${p.answers.where.detail}` : ''}`],
      [w.who, p.answers.who],
      [w.witnesses, p.answers.witnesses],
      [w.evidence, [p.answers.evidence, ...p.attachments.map((a) => a.name)].filter(Boolean).join('\n')],
      [w.reportedBefore, p.answers.reportedBefore],
      [w.hopes, p.answers.hopes],
      [w.conversation, w.conversationOptions[p.conversation]],
      [w.contact, p.contact],
      [w.consent, p.consent.shareWithClb ? w.yes : w.no],
    ];
    return html`<p class="label">${this.t.yourReport}</p>
      <dl class="review">${rows.filter(([, v]) => v).map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'follow-up': FollowUp;
  }
}
