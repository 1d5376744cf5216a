import { Task } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ListedCase } from '../cases.ts';
import { call, type DeskState, explain } from './desk-api.ts';
import { deadlineText } from './deadline.ts';
import { DESK_TEXTS, formatDay, type Lang } from './i18n.ts';

interface Filter {
  q: string;
  status: string;
  channel: string;
  category: string;
}

/** The case list: soonest legal deadline first, OVERDUE, NEW and escalated marked, filters and full-text search. */
@customElement('desk-case-list')
export class DeskCaseList extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) desk!: DeskState;
  @state() private filter: Filter = { q: '', status: 'open', channel: '', category: '' };
  private total = 0;
  /** Titles still being decrypted (a key in GnuPG or on a token is slower): the list asks again until there are none. */
  @state() private pending = 0;
  private again?: number;

  private cases = new Task(this, {
    task: async ([filter]: [Filter]) => {
      const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
      if (this.pending) query.set('background', '1');
      const answer = await call<{ cases: ListedCase[]; total: number; pending: number }>(`cases?${query}`);
      this.total = answer.total;
      this.pending = answer.pending;
      clearTimeout(this.again);
      if (answer.pending) this.again = window.setTimeout(() => void this.cases.run(), 2000);
      return answer.cases;
    },
    args: () => [this.filter] as [Filter],
  });

  override disconnectedCallback() {
    clearTimeout(this.again);
    super.disconnectedCallback();
  }

  protected override createRenderRoot() {
    return this;
  }

  private search(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    this.filter = { q: value('q'), status: value('status'), channel: value('channel'), category: value('category') };
  }

  /** A new view: focus on its heading, so a screen reader starts there and the keyboard continues from it. */
  override firstUpdated() {
    this.querySelector<HTMLElement>('h1')?.focus();
  }

  override render() {
    const t = DESK_TEXTS[this.locale];
    const l = t.list;
    return html`<h1 tabindex="-1">${l.heading}</h1>
      <form class="filters" role="search" @submit=${this.search} @change=${(e: Event) => (e.target as HTMLElement).tagName === 'SELECT' && (e.target as HTMLSelectElement).form?.requestSubmit()}>
        <div class="field">
          <label for="q">${l.search}</label>
          <p class="help" id="q-help">${l.searchHelp}</p>
          <input id="q" name="q" type="search" autocomplete="off" spellcheck="false" .value=${this.filter.q} aria-describedby="q-help" />
        </div>
        <div class="field"><label for="status">${l.status}</label>
          <select id="status" name="status">
            <option value="" ?selected=${!this.filter.status}>${l.all}</option>
            <option value="open" ?selected=${this.filter.status === 'open'}>${l.open}</option>
            ${Object.entries(t.statuses).map(([k, v]) => html`<option value=${k} ?selected=${this.filter.status === k}>${v}</option>`)}
          </select>
        </div>
        <div class="field"><label for="channel">${l.channel}</label>
          <select id="channel" name="channel">
            <option value="">${l.all}</option>
            ${(this.desk.channels ?? []).map((c) => html`<option value=${c.id} ?selected=${this.filter.channel === c.id}>${c.name[this.locale]}</option>`)}
          </select>
        </div>
        <div class="field"><label for="category">${l.category}</label>
          <select id="category" name="category">
            <option value="">${l.all}</option>
            ${Object.entries(t.categories).filter(([k]) => k !== 'unknown').map(([k, v]) => html`<option value=${k} ?selected=${this.filter.category === k}>${v}</option>`)}
          </select>
        </div>
        <p class="actions"><button type="submit" class="button">${l.searchButton}</button></p>
      </form>
      ${this.cases.render({
        // Asked again for titles still coming in: the list stays on screen meanwhile.
        pending: () => (this.cases.value ? this.table(this.cases.value) : html`<p role="status">${l.loading}</p>`),
        error: (e) => html`<p class="field-error" role="alert">${t.error} ${explain(e, this.locale)}</p>`,
        complete: (cases) => this.table(cases),
      })}`;
  }

  private table(cases: ListedCase[]) {
    const t = DESK_TEXTS[this.locale];
    const l = t.list;
    const channelName = (id: string) => this.desk.channels?.find((c) => c.id === id)?.name[this.locale] ?? id;
    return html`<p role="status" class="count">${l.count(cases.length, this.total)}${this.pending ? html` ${l.titlesPending(this.pending)}` : nothing}</p>
      ${cases.length === 0
        ? html`<p>${l.none}</p>`
        : html`<table class="cases">
            <caption>${l.caption}</caption>
            <thead><tr>${Object.values(l.columns).map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
            <tbody>
              ${cases.map(({ summary: s, title, category, pending }) => {
                const flags = [s.overdue ? t.flags.overdue : '', s.awaitingYou ? t.flags.new : '', s.escalated ? t.flags.escalated : ''].filter(Boolean);
                return html`<tr class=${s.overdue ? 'overdue' : ''}>
                  <td><code>${s.caseId.slice(0, 8)}</code></td>
                  <th scope="row"><a href="#/case/${s.caseId}">${channelName(s.channel)} · ${t.categories[category ?? 'unknown']} · ${title ?? (pending ? l.decrypting : l.unreadable)}</a></th>
                  <td>${formatDay(s.receivedOn, this.locale)}</td>
                  <td>${deadlineText(s, this.desk.today ?? s.receivedOn, this.locale)}</td>
                  <td>${t.statuses[s.status]}</td>
                  <td>${flags.map((f) => html`<span class="flag ${f === t.flags.overdue ? 'late' : ''}">${f}</span> `)}${flags.length ? nothing : '–'}</td>
                </tr>`;
              })}
            </tbody>
          </table>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-case-list': DeskCaseList;
  }
}
