import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CaseView } from '../cases.ts';
import { call, type DeskState, explain } from './desk-api.ts';
import { relativeDay } from './deadline.ts';
import { DESK_TEXTS, formatDay, type Lang } from './i18n.ts';
import './desk-message.ts';
import './desk-actions.ts';

const REFRESH_MS = 20_000;

/** One case: where it stands, who reads it, the conversation with a verdict on every message, and what can be done. */
@customElement('desk-case-view')
export class DeskCaseView extends LitElement {
  @property() locale: Lang = 'nl';
  @property() caseId = '';
  @property({ attribute: false }) desk!: DeskState;

  private loading = new Task(this, {
    task: ([caseId]: [string]) => call<CaseView & { loadedAt: string }>(`cases/${caseId}${this.background ? '?background=1' : ''}`),
    args: () => [this.caseId] as [string],
  });
  /** The next load is the timer's, not the officer's: it does not count as use (the desk still locks when idle). */
  private background = false;
  /** While a case is open, it is read again now and then: a reply or a note that comes in appears by itself. */
  private timer: ReturnType<typeof setInterval> | null = null;

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => {
      if (document.visibilityState !== 'visible' || this.loading.status === TaskStatus.PENDING) return;
      this.background = true;
      void this.loading.run().finally(() => (this.background = false));
    }, REFRESH_MS);
  }

  /** Focus goes to the case's heading once it first shows: opening a case is a new view. */
  private focusHeading = true;

  override updated(): void {
    const heading = this.querySelector<HTMLElement>('h1');
    if (this.focusHeading && heading) {
      this.focusHeading = false;
      heading.focus();
    }
  }

  override disconnectedCallback(): void {
    if (this.timer) clearInterval(this.timer);
    super.disconnectedCallback();
  }

  override render() {
    const t = DESK_TEXTS[this.locale];
    return html`<p><a class="back" href="#/">${t.view.back}</a></p>
      ${this.loading.render({
        // While it reloads after an action, the case stays on screen (and the action's result with it).
        pending: () => (this.loading.value ? this.view(this.loading.value) : html`<p role="status">${t.view.loading}</p>`),
        error: (e) => html`<p class="field-error" role="alert">${t.error} ${explain(e, this.locale)}</p>`,
        complete: (view) => this.view(view),
      })}`;
  }

  private view(v: CaseView & { loadedAt?: string }) {
    const t = DESK_TEXTS[this.locale];
    const s = v.summary;
    const day = (d: string) => formatDay(d, this.locale);
    const today = this.desk.today ?? s.receivedOn;
    const channel = this.desk.channels?.find((c) => c.id === s.channel)?.name[this.locale] ?? s.channel;
    const flags = [s.overdue ? t.flags.overdue : '', s.awaitingYou ? t.flags.new : '', s.escalated ? t.flags.escalated : ''].filter(Boolean);
    return html`
      <h1 tabindex="-1">${channel} · ${t.categories[v.report?.category ?? 'unknown']} · ${v.title ?? t.list.unreadable}</h1>
      <dl class="case-meta">
        <dt>${t.view.caseId}</dt><dd><code>${s.caseId}</code></dd>
        <dt>${t.list.columns.status}</dt><dd>${t.statuses[s.status]}</dd>
        ${flags.length ? html`<dt>${t.flags.label}</dt><dd>${flags.map((f, i) => html`${i ? ', ' : ''}<span class="flag ${f === t.flags.overdue ? 'late' : ''}">${f}</span>`)}</dd>` : nothing}
      </dl>
      <p class="loaded">${v.loadedAt ? t.view.loadedAt(new Date(v.loadedAt).toLocaleTimeString(this.locale === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })) : nothing}
        <button type="button" class="refresh" @click=${() => void this.loading.run()}>${t.view.refresh}</button>
        <button type="button" class="print" @click=${() => window.print()}>${t.view.print}</button></p>
      ${!v.reporterKeyOk && v.report ? html`<p class="warning" role="alert">${t.view.keyProblem}</p>` : nothing}
      <section aria-labelledby="clock"><h2 id="clock">${t.view.clock}</h2>
        <dl class="clock">
          <dt>${t.view.received}</dt><dd>${day(s.receivedOn)}</dd>
          ${s.acknowledgedOn
            ? html`<dt>${t.view.acknowledgedOn}</dt><dd>${day(s.acknowledgedOn)}</dd>`
            : html`<dt>${t.view.acknowledgeBy}</dt><dd>${day(s.acknowledgeBy)} (${relativeDay(s.acknowledgeBy, today, this.locale)})</dd>`}
          ${s.feedbackBy && s.status !== 'closed' ? html`<dt>${t.view.feedbackBy}</dt><dd>${day(s.feedbackBy)} (${relativeDay(s.feedbackBy, today, this.locale)})</dd>` : nothing}
          ${s.closedOn ? html`<dt>${t.view.closedOn}</dt><dd>${day(s.closedOn)}${s.deleteAfter ? html` · ${t.deadline.deletedAfter(day(s.deleteAfter))}` : nothing}</dd>` : nothing}
        </dl>
        ${s.overdue ? html`<p class="warning">${t.view.overdue}</p>` : nothing}
      </section>
      <section aria-labelledby="readers"><h2 id="readers">${t.view.readers}</h2>
        <ul>${v.readers.map((r) => html`<li>${r.role === 'reporter' ? t.view.reporter : r.name}</li>`)}</ul>
        ${v.report ? html`<p><strong>${t.view.consent}:</strong> ${t.view.consents[v.consent]}</p>` : nothing}
      </section>
      ${v.records.length
        ? html`<section aria-labelledby="records"><h2 id="records">${t.view.records}</h2>
            <ul>${v.records.map((r) => html`<li>#${r.entryId} ${r.title}: <strong>${t.view.recordStates[r.status]}</strong>${r.corrections ? html`: ${r.corrections}` : nothing}</li>`)}</ul></section>`
        : nothing}
      <section aria-labelledby="conversation"><h2 id="conversation">${t.view.conversation}</h2>
        ${v.hiddenEntries ? html`<p class="help">${t.view.hidden(v.hiddenEntries)}</p>` : nothing}
        ${v.files.length ? html`<p class="warning">${t.files.warning}</p>` : nothing}
        ${v.entries.map((e) => html`<desk-message .locale=${this.locale} .caseId=${s.caseId} .entry=${e} .files=${v.files.filter((f) => f.entryId === e.id)}></desk-message>`)}
      </section>
      <desk-actions .locale=${this.locale} .desk=${this.desk} .view=${v} @changed=${() => void this.loading.run()}></desk-actions>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-case-view': DeskCaseView;
  }
}
