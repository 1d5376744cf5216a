import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n/index.ts';

/** Fifteen minutes, then the recording stops by itself. */
const MAX_MS = 15 * 60 * 1000;

/** `failed`: no microphone; `unprocessed`: recorded, but the browser could not process the sound (Web Audio off). */
type Phase = 'idle' | 'recording' | 'paused' | 'recorded' | 'processing' | 'ready' | 'failed' | 'unprocessed';

/**
 * Record a voice message in the page: record, pause, listen back, record again, and, disguised by
 * default, hear exactly what will be sent before adding it as a file. Fires `voice` with the File.
 * Nothing is kept: the recording lives in this element until it is added or dropped, and it is
 * dropped only when the reporter says so (the form asks `pending()` before it moves on).
 */
@customElement('voice-recorder')
export class VoiceRecorder extends LitElement {
  @property() locale: Lang = 'nl';
  @state() private phase: Phase = 'idle';
  @state() private disguise = true;
  @state() private originalUrl: string | null = null;
  @state() private previewUrl: string | null = null;
  @state() private seconds = 0;
  /** How loud the microphone is now, 0 to 1, while recording: so the reporter sees it hears them. */
  @state() private level = 0;
  private recorder: MediaRecorder | null = null;
  private meter: { context: AudioContext; analyser: AnalyserNode; samples: Float32Array<ArrayBuffer> } | null = null;
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

  /**
   * What a form must do before it moves on: nothing, add the prepared file (`take()`), or stop and
   * ask, because a recording is still running, being processed, or waits for the reporter's choice.
   */
  pending(): 'none' | 'ready' | 'ask' {
    if (this.phase === 'idle' || this.phase === 'failed') return 'none';
    return this.phase === 'ready' && this.prepared ? 'ready' : 'ask';
  }

  /** The prepared file, added as if "Add" was pressed. */
  take(): File | null {
    if (this.pending() !== 'ready') return null;
    const file = this.fileOf(this.prepared!);
    this.reset();
    return file;
  }

  private fileOf(blob: Blob): File {
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    // The processed file is WAV; the original recording (sent only by explicit choice) keeps the browser's format.
    const ext = blob.type.includes('wav') ? 'wav' : blob.type.includes('ogg') ? 'ogg' : blob.type.includes('mp4') ? 'm4a' : 'webm';
    return new File([blob], `${this.t.fileName}-${stamp}.${ext}`, { type: blob.type || 'application/octet-stream' });
  }

  private reset() {
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    this.recorder?.stream.getTracks().forEach((track) => track.stop());
    this.recorder = null;
    void this.meter?.context.close();
    this.meter = null;
    this.level = 0;
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
    // A level meter where the browser processes sound (Web Audio); none, and nothing lost, where it does not.
    try {
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      context.createMediaStreamSource(this.recorder.stream).connect(analyser);
      this.meter = { context, analyser, samples: new Float32Array(analyser.fftSize) };
    } catch {
      this.meter = null;
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
      if (this.meter) {
        this.meter.analyser.getFloatTimeDomainData(this.meter.samples);
        let sum = 0;
        for (const x of this.meter.samples) sum += x * x;
        this.level = Math.min(1, Math.sqrt(sum / this.meter.samples.length) * 4);
      }
      const elapsed = Date.now() - began - paused;
      this.seconds = Math.floor(elapsed / 1000);
      if (elapsed >= MAX_MS) this.stop();
    }, 250);
    this.phase = 'recording';
  }

  private stop() {
    if (this.timer) clearInterval(this.timer);
    void this.meter?.context.close();
    this.meter = null;
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
      // The sound could not be processed (Web Audio turned off, say). The recording stays; the
      // real voice goes only if the reporter chooses it below.
      this.prepared = null;
      this.phase = 'unprocessed';
    }
  }

  /** The reporter's explicit choice, after processing failed: send the recording as it is, real voice. */
  private sendUnprocessed() {
    if (!this.recording) return;
    this.disguise = false;
    this.prepared = this.recording;
    this.previewUrl = this.originalUrl;
    this.originalUrl = null;
    this.phase = 'ready';
  }

  private add() {
    const file = this.take();
    if (file) this.dispatchEvent(new CustomEvent('voice', { detail: file, bubbles: true }));
  }

  private discard() {
    this.reset();
    this.focusLater('button.record');
  }

  private focusLater(selector: string) {
    void this.updateComplete.then(() => (this.querySelector(selector) as HTMLElement | null)?.focus());
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
            ${this.meter ? html`<p><label for="voice-level">${t.level}</label> <meter id="voice-level" min="0" max="1" low="0.05" value=${this.level}></meter></p>` : nothing}
            <p class="actions">
              ${this.phase === 'recording'
                ? html`<button type="button" class="button pause" @click=${this.pause}>${t.pause}</button>`
                : html`<button type="button" class="button resume" @click=${this.resume}>${t.resume}</button>`}
              <button type="button" class="button stop" @click=${this.stop}>${t.stop}</button>
            </p>`
        : nothing}
      ${this.phase === 'unprocessed' && this.originalUrl
        ? html`<p>${t.original} ${t.length(time)}</p><audio controls src=${this.originalUrl}></audio>
            <p class="field-error" role="alert">${t.notProcessed}</p>
            <p class="actions">
              <button type="button" class="button send-real" @click=${this.sendUnprocessed}>${t.sendReal}</button>
              <button type="button" class="button discard" @click=${this.discard}>${t.discard}</button>
            </p>`
        : nothing}
      ${(this.originalUrl || this.previewUrl) && (this.phase === 'recorded' || this.phase === 'processing' || this.phase === 'ready')
        ? html`${this.originalUrl ? html`<p>${t.original} ${t.length(time)}</p><audio controls src=${this.originalUrl}></audio>` : nothing}
            ${this.originalUrl
              ? html`<div class="choice">
                  <input type="checkbox" id="voice-disguise" .checked=${this.disguise} aria-describedby="voice-disguise-hint"
                    @change=${(e: Event) => {
                      e.stopPropagation();
                      this.disguise = (e.target as HTMLInputElement).checked;
                      void this.prepare();
                    }} />
                  <label for="voice-disguise">${t.disguise}</label>
                  <p class="hint" id="voice-disguise-hint">${t.disguiseHint}</p>
                </div>`
              : nothing}
            ${this.phase === 'ready' && this.previewUrl
              ? html`<p>${this.disguise ? t.previewDisguised : t.previewReal}</p><audio controls class="preview" src=${this.previewUrl}></audio>
                  <p class="actions">
                    <button type="button" class="button primary add-voice" @click=${this.add}>${t.add}</button>
                    <button type="button" class="button" @click=${this.start}>${t.again}</button>
                    <button type="button" class="button discard" @click=${this.discard}>${t.discard}</button>
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
