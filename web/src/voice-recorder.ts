import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n/index.ts';

/** Fifteen minutes, then the recording stops by itself. */
const MAX_MS = 15 * 60 * 1000;

type Phase = 'idle' | 'recording' | 'paused' | 'recorded' | 'processing' | 'ready' | 'failed';

/**
 * Record a voice message in the page: record, pause, listen back, record again, and, disguised by
 * default, hear exactly what will be sent before adding it as a file. Fires `voice` with the File.
 * Nothing is kept: the recording lives in this element until it is added or dropped.
 */
@customElement('voice-recorder')
export class VoiceRecorder extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private phase: Phase = 'idle';
  @state() private disguise = true;
  @state() private originalUrl: string | null = null;
  @state() private previewUrl: string | null = null;
  @state() private seconds = 0;
  private recorder: MediaRecorder | null = null;
  private chunks: Blob[] = [];
  private recording: Blob | null = null;
  private prepared: Blob | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    this.reset();
    super.disconnectedCallback();
  }

  private get t() {
    return TEXTS[this.locale].voice;
  }

  private reset() {
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    this.recorder?.stream.getTracks().forEach((track) => track.stop());
    this.recorder = null;
    if (this.timer) clearInterval(this.timer);
    for (const url of [this.originalUrl, this.previewUrl]) if (url) URL.revokeObjectURL(url);
    this.originalUrl = this.previewUrl = null;
    this.recording = this.prepared = null;
    this.chunks = [];
    this.seconds = 0;
    this.phase = 'idle';
  }

  private async start() {
    this.reset();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      this.recorder = new MediaRecorder(stream);
    } catch {
      this.phase = 'failed';
      return;
    }
    this.recorder.ondataavailable = (e) => this.chunks.push(e.data);
    this.recorder.onstop = () => {
      this.recorder?.stream.getTracks().forEach((track) => track.stop());
      this.recording = new Blob(this.chunks, { type: this.recorder?.mimeType });
      this.originalUrl = URL.createObjectURL(this.recording);
      this.phase = 'recorded';
      void this.prepare();
    };
    this.recorder.start(1000);
    const began = Date.now();
    let paused = 0;
    let pausedAt = 0;
    this.timer = setInterval(() => {
      if (this.phase === 'paused') {
        pausedAt ||= Date.now();
        return;
      }
      if (pausedAt) (paused += Date.now() - pausedAt), (pausedAt = 0);
      const elapsed = Date.now() - began - paused;
      this.seconds = Math.floor(elapsed / 1000);
      if (elapsed >= MAX_MS) this.stop();
    }, 250);
    this.phase = 'recording';
  }

  private stop() {
    if (this.timer) clearInterval(this.timer);
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
  }

  private pause() {
    this.recorder?.pause();
    this.phase = 'paused';
  }

  private resume() {
    this.recorder?.resume();
    this.phase = 'recording';
  }

  /** Makes the file that will be sent, and a preview of exactly that. */
  private async prepare() {
    if (!this.recording) return;
    this.phase = 'processing';
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = null;
    try {
      const { voiceFile } = await import('./services/voice.ts');
      this.prepared = await voiceFile(this.recording, this.disguise);
      this.previewUrl = URL.createObjectURL(this.prepared);
      this.phase = 'ready';
    } catch {
      this.phase = 'failed';
    }
  }

  private add() {
    if (!this.prepared) return;
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const file = new File([this.prepared], `${this.t.fileName}-${stamp}.wav`, { type: 'audio/wav' });
    this.dispatchEvent(new CustomEvent('voice', { detail: file, bubbles: true }));
    this.reset();
  }

  override render() {
    const t = this.t;
    const time = `${Math.floor(this.seconds / 60)}:${String(this.seconds % 60).padStart(2, '0')}`;
    return html`<fieldset class="field voice">
      <legend>${t.legend}</legend>
      <p class="help">${t.help}</p>
      <p class="help">${t.honest}</p>
      ${this.phase === 'idle' || this.phase === 'failed'
        ? html`<p class="actions"><button type="button" class="button record" @click=${this.start}>${t.record}</button></p>
            ${this.phase === 'failed' ? html`<p class="field-error" role="alert">${t.failed}</p>` : nothing}`
        : nothing}
      ${this.phase === 'recording' || this.phase === 'paused'
        ? html`<p role="status">${this.phase === 'recording' ? t.recording : t.paused} ${time}</p>
            <p class="actions">
              ${this.phase === 'recording'
                ? html`<button type="button" class="button pause" @click=${this.pause}>${t.pause}</button>`
                : html`<button type="button" class="button resume" @click=${this.resume}>${t.resume}</button>`}
              <button type="button" class="button stop" @click=${this.stop}>${t.stop}</button>
            </p>`
        : nothing}
      ${this.originalUrl && (this.phase === 'recorded' || this.phase === 'processing' || this.phase === 'ready')
        ? html`<p>${t.original}</p><audio controls src=${this.originalUrl}></audio>
            <div class="choice">
              <input type="checkbox" id="voice-disguise" .checked=${this.disguise} aria-describedby="voice-disguise-hint"
                @change=${(e: Event) => {
                  e.stopPropagation();
                  this.disguise = (e.target as HTMLInputElement).checked;
                  void this.prepare();
                }} />
              <label for="voice-disguise">${t.disguise}</label>
              <p class="hint" id="voice-disguise-hint">${t.disguiseHint}</p>
            </div>
            ${this.phase === 'ready' && this.previewUrl
              ? html`<p>${this.disguise ? t.previewDisguised : t.previewReal}</p><audio controls class="preview" src=${this.previewUrl}></audio>
                  <p class="actions">
                    <button type="button" class="button primary add-voice" @click=${this.add}>${t.add}</button>
                    <button type="button" class="button" @click=${this.start}>${t.again}</button>
                  </p>`
              : html`<p role="status">${t.processing}</p>`}`
        : nothing}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-recorder': VoiceRecorder;
  }
}
