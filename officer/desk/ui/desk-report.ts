import { Task } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { YearlyReport } from '../yearly-report.ts';
import { call, type DeskState, explain } from './desk-api.ts';
import { DESK_TEXTS, type Lang } from './i18n.ts';

/** The yearly report (table and CSV), and the register: every closed case exported at once. */
@customElement('desk-report')
export class DeskReport extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) desk!: DeskState;
  @state() private year = Number((this.desk?.today ?? new Date().toISOString()).slice(0, 4));
  @state() private registered: { ok: boolean; text: string } | null = null;
  @state() private registering = false;

  private report = new Task(this, {
    task: ([year]: [number]) => call<YearlyReport>(`report?year=${year}`),
    args: () => [this.year] as [number],
  });

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.desk?.today) this.year = Number(this.desk.today.slice(0, 4));
  }

  private async register(e: Event) {
    e.preventDefault();
    this.registering = true;
    try {
      const folder = (this.querySelector('#register-folder') as HTMLInputElement).value;
      const done = await call<{ count: number; folder: string }>('register', { body: { folder } });
      this.registered = { ok: true, text: DESK_TEXTS[this.locale].report.registered(done.count, done.folder) };
    } catch (err) {
      this.registered = { ok: false, text: `${DESK_TEXTS[this.locale].error} ${explain(err, this.locale)}` };
    } finally {
      this.registering = false;
    }
  }

  /** A new view: focus on its heading, so a screen reader starts there and the keyboard continues from it. */
  override firstUpdated() {
    this.querySelector<HTMLElement>('h1')?.focus();
  }

  override render() {
    const t = DESK_TEXTS[this.locale];
    const r = t.report;
    return html`<h1 tabindex="-1">${r.heading}</h1>
      <p class="help">${r.help}</p>
      <form class="filters" @submit=${(e: Event) => (e.preventDefault(), (this.year = Number((this.querySelector('#year') as HTMLInputElement).value)))}>
        <div class="field"><label for="year">${r.year}</label><input id="year" type="number" min="2000" max="2200" .value=${String(this.year)} /></div>
        <p class="actions"><button type="submit" class="button">${r.show}</button>
          <a class="button" href="api/report.csv?year=${this.year}&lang=${this.locale}" download="meldpunt-jaarrapport-${this.year}.csv">${r.csv}</a></p>
      </form>
      ${this.report.render({
        pending: () => html`<p role="status">${t.list.loading}</p>`,
        error: (e) => html`<p class="field-error" role="alert">${t.error} ${explain(e, this.locale)}</p>`,
        complete: (report) => this.table(report),
      })}
      <section aria-labelledby="register-heading"><h2 id="register-heading">${r.register}</h2>
        <form @submit=${this.register} autocomplete="off">
          <p class="help" id="register-help">${r.registerHelp} ${t.actions.folderHelp(this.desk.folder ?? '~')}</p>
          <div class="field"><label for="register-folder">${t.actions.folder}</label>
            <input id="register-folder" type="text" spellcheck="false" aria-describedby="register-help" .value=${`register-${this.year}`} /></div>
          <p class="actions"><button type="submit" class="button primary" ?disabled=${this.registering}>${r.registerSubmit}</button></p>
          <p role="status" class=${this.registered && !this.registered.ok ? 'field-error' : 'done'}>${this.registering ? t.actions.working : (this.registered?.text ?? '')}</p>
        </form>
      </section>`;
  }

  private table(report: YearlyReport) {
    const t = DESK_TEXTS[this.locale];
    const r = t.report;
    const labels = { byChannel: (k: string) => this.desk.channels?.find((c) => c.id === k)?.name[this.locale] ?? k, byCategory: (k: string) => t.categories[k] ?? k, byTrack: (k: string) => t.tracks[k] ?? k, byOutcome: (k: string) => t.results[k] ?? k };
    return html`<table class="report">
        <caption>${r.heading} ${report.year}</caption>
        <tbody>
          <tr><th scope="row">${r.cases}</th><td>${report.cases}</td></tr>
          <tr><th scope="row">${r.ackInTime}</th><td>${r.share(report.acknowledgedInTime.count, report.acknowledgedInTime.of)}</td></tr>
          <tr><th scope="row">${r.answeredInTime}</th><td>${r.share(report.answeredInTime.count, report.answeredInTime.of)}</td></tr>
          <tr><th scope="row">${r.medianAck}</th><td>${report.medianDaysToAcknowledge ?? r.none}</td></tr>
          <tr><th scope="row">${r.medianFeedback}</th><td>${report.medianDaysToFeedback ?? r.none}</td></tr>
        </tbody>
      </table>
      ${(['byChannel', 'byCategory', 'byTrack', 'byOutcome'] as const).map((section) =>
        Object.keys(report[section]).length
          ? html`<table class="report" id="report-${section}">
              <caption>${r[section]}</caption>
              <thead><tr><th scope="col">${r[section]}</th><th scope="col">${r.count}</th></tr></thead>
              <tbody>${Object.entries(report[section]).map(([k, n]) => html`<tr><th scope="row">${labels[section](k)}</th><td>${n}</td></tr>`)}</tbody>
            </table>`
          : nothing,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desk-report': DeskReport;
  }
}
