import './verified-badge.ts';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { TEXTS, formatDay, localized, setPageTitle, type Lang } from './i18n/index.ts';
import { protocol } from './services/lazy.ts';
import { failureOf, type Failure } from './services/failure.ts';
import { parseCode, type RetrievalCode } from '../../shared/protocol/code.ts';
import { addMonths, dayOf, FEEDBACK_WITHIN_MONTHS } from '../../shared/wbk/deadlines.ts';
import type { OpenedCase, ThreadEntry } from '../../shared/client/reporter.ts';
import type { CaseStatus } from '../../shared/schemas/api.ts';
import { DEFAULT_FILE_LIMITS, chosen, type Attachment, type FileLimits } from './services/draft.ts';
import type { FileRef } from '../../shared/schemas/payload.ts';
import type { FileCheck } from '../../shared/client/files.ts';
import { formatSize } from '../../shared/format/size.ts';
import './file-picker.ts';
import './voice-recorder.ts';
import './case-consent.ts';
import { progressed, startUploads, uploadList, type Upload } from './upload-list.ts';

const REPLY_MAX = 20_000;
const ORDER: CaseStatus[] = ['received', 'acknowledged', 'in-progress', 'feedback-given', 'closed'];
const reached = (status: CaseStatus, at: CaseStatus) => ORDER.indexOf(status) >= ORDER.indexOf(at);

type ReportEntry = Extract<NonNullable<ThreadEntry['payload']>, { kind: 'report' }>;

/**
 * Come back with the code: status and the Wbk clock, who can read the case, the conversation
 * decrypted here with each message marked verified or not, and a reply box. The opened case lives
 * in this element only; closing it or leaving the view drops it.
 */
@customElement('follow-up')
export class FollowUp extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private code = '';
  @state() private codeError: string | null = null;
  @state() private opened: OpenedCase | null = null;
  @state() private reply = '';
  @state() private replyError: string | null = null;
  @state() private sent = false;
  @state() private refreshNote: string | null = null;
  @state() private replyFiles: Attachment[] = [];
  @state() private uploads: Upload[] = [];
  @state() private failedFiles = 0;
  /** Files decrypted on request, by file id: an object URL to save, and what the check said. */
  @state() private decrypted = new Map<string, { url: string | null; status: FileCheck['status'] | 'busy' }>();

  /** Derive, prove, fetch, unlock, decrypt and verify: all in the shared client. */
  private opening = new Task(this, {
    task: async ([code]: [RetrievalCode], { signal }) => (await protocol()).openWithCode(code, signal),
    autoRun: false,
    onComplete: (opened) => {
      this.opened = opened;
      this.code = '';
      this.focusLater('h2[tabindex]');
    },
    onError: (e) => {
      const failure = failureOf(e);
      if (failure !== 'aborted') this.failCode(this.failureText(failure === 'not-found' || failure === 'offline' ? failure : 'failed'));
    },
  });

  /** Encrypt a reply to the case's readers (from this page's own keys), send it, read the case again. */
  private replying = new Task(this, {
    task: async ([opened, text, attachments]: [OpenedCase, string, Attachment[]], { signal }) => {
      const p = await protocol();
      try {
        const files = await p.prepareFiles(attachments);
        this.uploads = startUploads(files);
        const sent = await p.postMessage(opened.session, text, signal, {
          files,
          onFileProgress: (i, bytes, stored) => (this.uploads = progressed(this.uploads, i, bytes, stored)),
        });
        this.failedFiles = sent.failedFiles.length;
      } catch (e) {
        // The readers changed since the case was opened (CLB joined, say): show who they are now.
        if (failureOf(e) === 'wrong-recipients') this.opened = await p.refreshCase(opened.session, await p.loadChannels(), signal);
        throw e;
      }
      // Read the case again, so the reporter sees exactly what is stored.
      return p.refreshCase(opened.session, await p.loadChannels(), signal);
    },
    autoRun: false,
    onComplete: (opened) => {
      this.opened = opened;
      this.reply = '';
      this.replyFiles = [];
      this.uploads = [];
      this.sent = true;
    },
    onError: (e) => {
      const failure = failureOf(e);
      if (failure === 'aborted') return;
      this.replyError = this.failureText(failure);
      this.focusLater('#reply');
    },
  });

  /** Fetch the case again with the open session (new replies, a changed status), without the code. */
  private refreshing = new Task(this, {
    task: async ([opened]: [OpenedCase], { signal }) => {
      const p = await protocol();
      return p.refreshCase(opened.session, await p.loadChannels(), signal);
    },
    autoRun: false,
    onComplete: (opened) => {
      this.opened = opened;
      this.refreshNote = this.t.refreshed;
    },
    onError: (e) => {
      const failure = failureOf(e);
      if (failure !== 'aborted') this.refreshNote = this.failureText(failure);
    },
  });

  /** Sign and send a wider consent, then read the case again so the page shows what is stored. */
  /** A signed answer to a record, or a meeting request; then the case as stored. */
  private acting = new Task(this, {
    task: async ([opened, send]: [OpenedCase, (p: Awaited<ReturnType<typeof protocol>>, s: OpenedCase['session']) => Promise<unknown>], { signal }) => {
      const p = await protocol();
      await send(p, opened.session);
      return p.refreshCase(opened.session, await p.loadChannels(), signal);
    },
    autoRun: false,
    onComplete: (opened) => {
      this.opened = opened;
      this.refreshNote = this.t.sent;
    },
    onError: (e) => {
      const failure = failureOf(e);
      if (failure !== 'aborted') this.refreshNote = this.failureText(failure);
    },
  });

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    this.opening.abort();
    this.replying.abort();
    this.refreshing.abort();
    super.disconnectedCallback();
  }

  protected override updated() {
    setPageTitle(this.locale, TEXTS[this.locale].pageTitles['follow-up']);
  }

  private get t() {
    return TEXTS[this.locale].followUp;
  }

  private failureText(failure: Failure): string {
    const errors = this.t.errors;
    return failure === 'aborted' ? errors.failed : errors[failure];
  }

  private focusLater(selector: string) {
    void this.updateComplete.then(() => (this.querySelector(selector) as HTMLElement | null)?.focus());
  }

  private open(e: Event) {
    e.preventDefault();
    const errors = this.t.errors;
    // The check symbol catches a typo here, before anything is sent or any work is done.
    const parsed = parseCode(this.code);
    switch (parsed.kind) {
      case 'empty':
        return this.failCode(errors.empty);
      case 'invalid-symbol':
        return this.failCode(errors['invalid-symbol'](parsed.symbol));
      case 'wrong-length':
        return this.failCode(errors['wrong-length'](parsed.length));
      case 'mistyped':
        return this.failCode(errors.mistyped);
      case 'ok':
        this.codeError = null;
        void this.opening.run([parsed.code]);
    }
  }

  private failCode(message: string) {
    this.codeError = message;
    this.focusLater('#code');
  }

  private send(e: Event) {
    e.preventDefault();
    if (!this.opened) return;
    // A recording is never left behind: added if it is ready, else the reporter is asked first.
    const recorder = this.querySelector('voice-recorder');
    const voice = recorder?.pending() ?? 'none';
    if (voice === 'ready') this.replyFiles = [...this.replyFiles, ...chosen([recorder!.take()!])];
    if (voice === 'ask') {
      this.replyError = TEXTS[this.locale].wizard.problems['voice-pending'];
      this.focusLater('voice-recorder button');
      return;
    }
    if (!this.reply.trim() && this.replyFiles.length === 0) {
      this.replyError = this.t.replyRequired;
      this.focusLater('#reply');
      return;
    }
    this.replyError = null;
    this.sent = false;
    this.failedFiles = 0;
    void this.replying.run([this.opened, this.reply, this.replyFiles]);
  }

  /** Drops the decrypted case and the unlocked key from this page. */
  private close() {
    for (const d of this.decrypted.values()) if (d.url) URL.revokeObjectURL(d.url);
    this.decrypted = new Map();
    this.replyFiles = [];
    this.replying.abort();
    this.refreshing.abort();
    this.refreshNote = null;
    this.opened = null;
    this.reply = '';
    this.replyError = null;
    this.sent = false;
    this.focusLater('#code');
  }

  override render() {
    return html`<h1 tabindex="-1">${this.t.heading}</h1>${this.opened ? this.caseView(this.opened) : this.codeForm()}`;
  }

  private codeForm() {
    const t = this.t;
    const busy = this.opening.status === TaskStatus.PENDING;
    return html`<form novalidate autocomplete="off" @submit=${this.open}>
      <div class="field">
        <label for="code">${t.codeLabel}</label>
        <p class="help" id="code-help">${t.codeHelp}</p>
        ${this.codeError ? html`<p class="field-error" id="code-error" role="alert">${this.codeError}</p>` : nothing}
        <input id="code" class="code-input" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
          .value=${this.code} aria-invalid=${this.codeError ? 'true' : 'false'}
          aria-describedby=${this.codeError ? 'code-help code-error' : 'code-help'}
          @input=${(e: Event) => (this.code = (e.target as HTMLInputElement).value)} />
      </div>
      <p class="actions"><button type="submit" class="button primary" ?disabled=${busy}>${t.open}</button></p>
      <p role="status">${busy ? t.opening : ''}</p>
    </form>`;
  }

  private caseView(opened: OpenedCase) {
    const t = this.t;
    const { view } = opened;
    const busy = this.replying.status === TaskStatus.PENDING;
    const fresh = newSinceMine(opened.thread);
    return html`
      <h2 tabindex="-1">${t.status}: ${t.statuses[view.status]}${view.escalated ? html` · ${t.escalated}` : nothing}</h2>
      ${fresh.length
        ? html`<p class="new-since" role="status">${t.newSince(fresh.length)}
            <button type="button" class="button go-new" @click=${() => this.focusLater(`#message-${fresh[0]!.id}`)}>${t.newSinceGo}</button></p>`
        : nothing}
      ${this.clock(opened)}
      <section aria-labelledby="readers">
        <h3 id="readers">${t.readers}</h3>
        <ul class="readers">
          ${opened.recipients.map(
            (r) => html`<li class=${r.trusted ? '' : 'untrusted'}>${r.role === 'reporter' ? t.you : html`${r.name}: ${t.readsConversation}`}${r.trusted ? nothing : html` <strong>${r.problem === 'no-consent' ? t.notAllowed : t.untrusted}</strong>`}</li>`,
          )}
          ${opened.sharedWith.map(
            (r) => html`<li class=${r.trusted ? 'shared' : 'shared untrusted'}>${r.name}: ${this.receivedReport(opened)}${r.trusted ? nothing : html` <strong>${t.untrusted}</strong>`}</li>`,
          )}
        </ul>
        ${opened.channelOk ? nothing : html`<p class="warning channel-moved" role="alert">${opened.movedUndone ? t.moveUndone : t.channelNotAgreed}</p>`}
      </section>
      <section aria-labelledby="conversation">
        <h3 id="conversation">${t.conversation}</h3>
        <ol class="thread">${opened.thread.map((entry) => this.entry(entry))}</ol>
      </section>
      ${view.status === 'closed'
        ? html`<div class="note closed"><p>${t.closedNote}</p>${view.deleteAfter ? html`<p>${t.deletedAfter(formatDay(view.deleteAfter, this.locale))}</p>` : nothing}<p>${t.disagree}</p></div>`
        : html`<form novalidate autocomplete="off" @submit=${this.send}>
            <div class="field">
              <label for="reply">${t.reply}</label>
              <p class="help" id="reply-help">${t.replyHelp}</p>
              ${this.replyError ? html`<p class="field-error" id="reply-error" role="alert">${this.replyError}</p>` : nothing}
              <textarea id="reply" rows="5" maxlength=${REPLY_MAX} spellcheck="false" autocomplete="off" .value=${this.reply}
                aria-invalid=${this.replyError ? 'true' : 'false'} aria-describedby=${this.replyError ? 'reply-help reply-error' : 'reply-help'}
                @input=${(e: Event) => ((this.reply = (e.target as HTMLTextAreaElement).value), (this.sent = false))}></textarea>
            </div>
            <voice-recorder .locale=${this.locale} @voice=${(e: CustomEvent<File>) => ((this.replyFiles = [...this.replyFiles, ...chosen([e.detail])]), (this.sent = false))}></voice-recorder>
            <file-picker .locale=${this.locale} .files=${this.replyFiles} inputId="reply-files" .limits=${this.channelLimits}
              .error=${this.replyFiles.length > this.channelLimits.maxFilesPerMessage || this.replyFiles.some((f) => f.size > this.channelLimits.maxFileBytes) ? TEXTS[this.locale].wizard.problems['attachments-too-large'] : ''}
              @files-change=${(e: CustomEvent<Attachment[]>) => (e.stopPropagation(), (this.replyFiles = e.detail), (this.sent = false))}></file-picker>
            ${this.uploads.length ? html`<div class="uploads" aria-live="polite">${uploadList(this.locale, this.uploads)}</div>` : nothing}
            ${this.failedFiles ? html`<p class="warning files-failed" role="alert">${TEXTS[this.locale].files.failed(this.failedFiles)}</p>` : nothing}
            <p class="actions">
              <button type="submit" class="button primary" ?disabled=${busy || !opened.session.encryptionKeys}>${t.send}</button>
            </p>
            <p role="status">${busy ? t.sending : this.sent ? t.sent : ''}</p>
          </form>`}
      ${this.moveSection(opened)}
      <case-consent .locale=${this.locale} .opened=${opened} @case-changed=${(e: CustomEvent<OpenedCase>) => (this.opened = e.detail)}></case-consent>
      ${this.meetingSection(opened)}
      <div class="case-actions">
        <p class="actions">
          <button type="button" class="button refresh" ?disabled=${this.refreshing.status === TaskStatus.PENDING}
            @click=${() => ((this.refreshNote = null), void this.refreshing.run([opened]))}>${t.refresh}</button>
          <button type="button" class="button close" aria-describedby="close-help" @click=${this.close}>${t.close}</button>
        </p>
        <p role="status">${this.refreshing.status === TaskStatus.PENDING ? t.opening : (this.refreshNote ?? '')}</p>
        <p class="help" id="close-help">${t.closeHelp}</p>
      </div>
    `;
  }

  /** A record to check: agree, or send corrections; the answer is signed with the reporter's key. */
  private record(p: Extract<NonNullable<ThreadEntry['payload']>, { kind: 'record' }>, answerable: boolean) {
    const t = this.t.records;
    const answer = this.opened?.thread.find(
      (e) => e.payload?.kind === 'record-response' && e.payload.recordId === p.recordId && e.signature.status === 'verified' && e.signature.name === 'reporter',
    )?.payload as { agreed: boolean } | undefined;
    const busy = this.acting.status === TaskStatus.PENDING;
    const id = `corrections-${p.recordId}`;
    return html`<p class="label">${t.label}: ${p.title}</p><p class="text" dir="auto">${p.text}</p>
      ${answer
        ? html`<p class="help record-state">${answer.agreed ? t.youAgreed : t.youCorrected}</p>`
        : answerable && this.opened?.view.status !== 'closed'
          ? html`<p class="help">${t.help}</p>
              <p class="actions"><button type="button" class="button agree" ?disabled=${busy} @click=${() => this.act((p2, s) => p2.respondToRecord(s, p.recordId, { agreed: true }))}>${t.agree}</button></p>
              <div class="field">
                <label for=${id}>${t.corrections}</label>
                <textarea id=${id} rows="3" spellcheck="false" autocomplete="off" class="corrections"></textarea>
              </div>
              <p class="actions"><button type="button" class="button correct" ?disabled=${busy} @click=${() => {
                const text = (this.querySelector(`#${id}`) as HTMLTextAreaElement).value.trim();
                if (text) this.act((p2, s) => p2.respondToRecord(s, p.recordId, { agreed: false, corrections: text }));
              }}>${t.send}</button></p>`
          : nothing}`;
  }

  /** Ask for a meeting, with times that suit. */
  private meetingSection(opened: OpenedCase) {
    if (opened.view.status === 'closed') return nothing;
    const t = this.t.meeting;
    const modes = ['in-person', 'phone', 'video'] as const;
    const options = TEXTS[this.locale].wizard.conversationOptions;
    return html`<section aria-labelledby="meeting-heading" class="meeting">
      <h3 id="meeting-heading">${t.heading}</h3>
      <p class="help">${t.help}</p>
      <fieldset class="field">
        <legend>${t.how}</legend>
        ${modes.map((m) => html`<div class="choice"><input type="radio" name="meeting-mode" id="meeting-${m}" value=${m} ?checked=${m === 'phone'} /><label for="meeting-${m}">${options[m]}</label></div>`)}
      </fieldset>
      <div class="field"><label for="meeting-times">${t.times}</label><input id="meeting-times" type="text" autocomplete="off" spellcheck="false" /></div>
      <p class="actions"><button type="button" class="button request-meeting" ?disabled=${this.acting.status === TaskStatus.PENDING} @click=${() => {
        const mode = (this.querySelector('input[name=meeting-mode]:checked') as HTMLInputElement | null)?.value as (typeof modes)[number] | undefined;
        const times = (this.querySelector('#meeting-times') as HTMLInputElement).value.trim();
        if (mode) this.act((p, s) => p.requestMeeting(s, mode, times));
      }}>${t.send}</button></p>
    </section>`;
  }

  /** Sends one signed answer (to a record, a meeting request) and reads the case again. */
  private act(send: (p: Awaited<ReturnType<typeof protocol>>, session: OpenedCase['session']) => Promise<unknown>) {
    if (this.opened) void this.acting.run([this.opened, send]);
  }

  /** The officer asks whether the case may move to another channel: who would read it then, and a signed yes. */
  private moveSection(opened: OpenedCase) {
    const m = opened.moveRequest;
    if (!m || opened.view.status === 'closed') return nothing;
    const t = this.t.move;
    const name = localized(m.channelName, this.locale).text;
    const busy = this.acting.status === TaskStatus.PENDING;
    return html`<section aria-labelledby="move-heading" class="move asked">
      <h3 id="move-heading">${t.heading}</h3>
      <p>${t.asked(name)}</p>
      <p>${t.readersThen}</p>
      <ul class="move-readers">${m.readers.map((r) => html`<li>${r}</li>`)}</ul>
      <p class="help" id="move-help">${t.help}</p>
      <p class="actions"><button type="button" class="button agree-move" aria-describedby="move-help" ?disabled=${busy || !opened.session.encryptionKeys}
        @click=${() => this.act((p, s) => p.agreeToMove(s, m.to, m.mark))}>${t.agree(name)}</button></p>
    </section>`;
  }

  /** What an escalation without the conversation sent: the report and every file of it (an escalation sends all or nothing). */
  private receivedReport(opened: OpenedCase) {
    const report = opened.thread[0]?.payload;
    const files = report?.kind === 'report' ? report.files : [];
    return this.t.receivedReport(files.length, files.some((f) => f.type.startsWith('audio/')));
  }

  /** The Wbk clock as the reporter sees it: what happened when, what is due by when, what is late. */
  private clock(opened: OpenedCase) {
    const t = this.t;
    const { view } = opened;
    const day = (d: string) => formatDay(d, this.locale);
    const today = dayOf(new Date());
    const ack = view.acknowledgedOn
      ? { text: t.on(day(view.acknowledgedOn)), done: true, late: false }
      : { text: t.by(day(view.deadlines.acknowledgeBy)), done: false, late: today > view.deadlines.acknowledgeBy };
    const feedbackDone = reached(view.status, 'feedback-given');
    const feedbackBy = view.deadlines.feedbackBy;
    const feedback = feedbackDone
      ? { text: view.closedOn ? t.feedbackWithOutcome(day(view.closedOn)) : t.feedbackGiven, done: true, late: false }
      : feedbackBy
        ? { text: t.by(day(feedbackBy)), done: false, late: today > feedbackBy }
        : { text: t.feedbackLatest(day(addMonths(view.deadlines.acknowledgeBy, FEEDBACK_WITHIN_MONTHS))), done: false, late: false };
    const rows = [
      { label: t.milestones.received, text: t.on(day(view.receivedOn)), done: true, late: false },
      { label: t.milestones.acknowledged, ...ack },
      { label: t.milestones.feedback, ...feedback },
      ...(view.closedOn ? [{ label: t.milestones.closed, text: t.on(day(view.closedOn)), done: true, late: false }] : []),
    ];
    const late = view.status !== 'closed' && rows.some((r) => r.late);
    return html`<section aria-labelledby="timeline">
      <h3 id="timeline">${t.timeline}</h3>
      <ol class="milestones">
        ${rows.map(
          (r) => html`<li class=${r.done ? 'done' : r.late ? 'late' : 'due'}>
            <span class="mark" aria-hidden="true">${r.done ? '✓' : r.late ? '!' : '○'}</span>
            <span class="label">${r.label}</span> <span class="when">${r.text}</span>
          </li>`,
        )}
      </ol>
      ${late ? html`<p class="warning">${t.overdue}</p>` : nothing}
    </section>`;
  }

  private entry(entry: ThreadEntry) {
    const t = this.t;
    const sig = entry.signature;
    const verified = sig.status === 'verified';
    const mine = verified && sig.name === 'reporter';
    const who = mine ? t.you : verified ? sig.name : t.unknownAuthor;
    const p = entry.payload;
    let body;
    if (!p) body = html`<p>${entry.unreadable === 'other-case' ? html`<strong class="bad">${t.otherCase}</strong>` : entry.unreadable === 'replayed' ? html`<strong class="bad">${t.replayed}</strong>` : t.unreadable}</p>`;
    else if (p.kind === 'report') body = this.report(p);
    else if (p.kind === 'record') body = this.record(p, verified && !mine);
    else if (p.kind === 'record-response')
      body = html`<p class="label">${p.agreed ? t.records.agreedLabel : t.records.correctedLabel}</p>${p.corrections ? html`<p class="text" dir="auto">${p.corrections}</p>` : nothing}`;
    else if (p.kind === 'meeting-request')
      body = html`<p class="label">${t.meeting.label}</p><p class="text" dir="auto">${TEXTS[this.locale].wizard.conversationOptions[p.mode]}${p.times ? `: ${p.times}` : ''}</p>`;
    else if ('text' in p) {
      const label = p.kind === 'outcome' ? t.outcome : p.kind === 'acknowledgement' ? t.acknowledgement : p.kind === 'consent-request' ? t.consentRequest : p.kind === 'move-request' ? t.move.requestLabel : null;
      const files = p.kind === 'reporter-message' ? p.attachments.map((a) => a.name) : [];
      body = html`${label ? html`<p class="label">${label}</p>` : nothing}${p.kind === 'outcome' && p.result ? html`<p class="label result">${t.outcomeResults[p.result]}</p>` : nothing}${p.text ? html`<p class="text" dir="auto">${p.text}</p>` : nothing}
        ${files.length ? html`<p class="help">${t.files}: ${files.join(', ')}</p>` : nothing}`;
    } else if (p.kind === 'move-consent') body = html`<p class="label">${t.move.agreedLabel}</p>`;
    else if (p.kind === 'moved') body = html`<p class="label">${t.move.movedLabel}</p>`;
    else if (p.kind === 'consent') body = html`<p class="label">${t.consentGiven}</p><p class="text" dir="auto">${TEXTS[this.locale].wizard.consentOptions[p.clb].label}</p>`;
    else if (p.kind === 'consent-answer') body = html`<p class="label">${t.consentAnswerLabel}</p><p class="text">${t.consentAnswers[p.answer]}</p>`;
    else body = html`<p>${t.unreadable}</p>`;
    const refs = p && 'files' in p && verified ? p.files : [];
    return html`<li class="message ${verified ? 'verified' : 'not-verified'}" id="message-${entry.id}" tabindex="-1">
      ${entry.order ? html`<p class="order-warning" role="note"><strong>${entry.order === 'missing' ? t.orderMissing : t.orderMoved}</strong></p>` : nothing}
      <p class="meta"><span class="author">${who}</span> · <span>${formatDay(entry.day, this.locale)}</span></p>
      <verified-badge ?verified=${verified} label=${verified ? (mine ? t.verifiedMine : t.verified(who)) : t.notVerified}></verified-badge>
      ${body}
      ${refs.length ? html`<ul class="message-files">${refs.map((ref) => this.fileItem(ref))}</ul>` : nothing}
    </li>`;
  }

  /** One file of a verified message: decrypted here on request, checked against its signed description, saved from memory. */
  private fileItem(ref: FileRef) {
    const f = TEXTS[this.locale].files;
    const state = this.opened?.view.files.find((x) => x.id === ref.id)?.state;
    const done = this.decrypted.get(ref.id);
    return html`<li class="file">
      <span class="name">${ref.name}</span> <span class="size">(${formatSize(ref.size)})</span>
      ${state !== 'complete'
        ? html` <span class="help">${f.notUploaded}</span>`
        : !done
          ? html` <button type="button" class="button open-file" @click=${() => this.openFile(ref)}>${f.open}<span class="visually-hidden">: ${ref.name}</span></button>`
          : done.status === 'busy'
            ? html` <span role="status">${f.opening}</span>`
            : done.status === 'verified'
              ? html` <span class="ok">${f.verified}</span> <a class="button" href=${done.url!} download=${ref.name}>${f.save(ref.name)}</a>`
              : html` <strong class="bad">${done.status === 'mismatch' ? f.mismatch : f.unreadable}</strong>`}
    </li>`;
  }

  private async openFile(ref: FileRef) {
    const opened = this.opened;
    if (!opened) return;
    this.decrypted = new Map([...this.decrypted, [ref.id, { url: null, status: 'busy' }]]);
    const chunks: Uint8Array[] = [];
    let check: FileCheck;
    try {
      check = await (await protocol()).downloadFile(opened.session, ref, (c) => void chunks.push(c.slice()));
    } catch {
      check = { status: 'unreadable', reason: 'failed' };
    }
    // Only a file that verifies is offered to save; the rest is dropped here.
    const url = check.status === 'verified' ? URL.createObjectURL(new Blob(chunks as BlobPart[], { type: 'application/octet-stream' })) : null;
    this.decrypted = new Map([...this.decrypted, [ref.id, { url, status: check.status }]]);
  }

  private get channelLimits(): FileLimits {
    return DEFAULT_FILE_LIMITS;
  }

  private report(p: ReportEntry) {
    const w = TEXTS[this.locale].wizard;
    const kinds = TEXTS[this.locale].start.kinds;
    const rows: Array<[string, string]> = [
      [w.category, kinds[p.category].name],
      [w.track, w.tracks[p.track].label],
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
      [w.consent, w.consentOptions[p.consent.clb].label],
    ];
    return html`<p class="label">${this.t.yourReport}</p>
      <dl class="review">${rows.filter(([, v]) => v).map(([k, v]) => html`<div><dt>${k}</dt><dd dir="auto">${v}</dd></div>`)}</dl>`;
  }
}

/**
 * What others wrote after the reporter's own latest message: shown first, so a reply is found
 * without scrolling a long case. Worked out from the case alone; nothing is kept in the browser.
 */
export function newSinceMine(thread: ThreadEntry[]): ThreadEntry[] {
  const byMe = (e: ThreadEntry) => e.signature.status === 'verified' && e.signature.name === 'reporter';
  const mine = thread.map(byMe).lastIndexOf(true);
  return thread.slice(mine + 1).filter((e) => !byMe(e));
}

declare global {
  interface HTMLElementTagNameMap {
    'follow-up': FollowUp;
  }
}
