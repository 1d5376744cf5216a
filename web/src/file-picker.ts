import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { TEXTS, type Lang } from './i18n/index.ts';
import { chosen, DEFAULT_FILE_LIMITS, type Attachment, type FileLimits } from './services/draft.ts';
import { canClean } from '../../shared/metadata/kinds.ts';
import { formatSize } from '../../shared/format/size.ts';

/**
 * Choosing evidence files, in the wizard and on the follow-up page: the files (handles only, never
 * read here), their sizes, a per-file choice to keep metadata, advice for kinds that cannot be
 * cleaned. Fires `files-change` with the new list in `detail`.
 */
@customElement('file-picker')
export class FilePicker extends LitElement {
  @property() locale: Lang = 'nl';
  @property({ attribute: false }) files: Attachment[] = [];
  @property({ attribute: false }) limits: FileLimits = DEFAULT_FILE_LIMITS;
  /** Id of the input, for labels and error links. */
  @property() inputId = 'attachments';
  @property() error = '';

  protected override createRenderRoot() {
    return this;
  }

  private emit(files: Attachment[]) {
    this.dispatchEvent(new CustomEvent('files-change', { detail: files, bubbles: true }));
  }

  override render() {
    const t = TEXTS[this.locale].files;
    const id = this.inputId;
    return html`<div class="field files">
      <p class="label-text" id="${id}-label">${t.label(this.limits.maxFilesPerMessage, formatSize(this.limits.maxFileBytes))}</p>
      <p class="help" id="${id}-help">${t.note}</p>
      ${this.error ? html`<p class="field-error" id="${id}-error" role="alert">${this.error}</p>` : nothing}
      <input id=${id} type="file" multiple class="file-input" aria-labelledby="${id}-label" aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? `${id}-help ${id}-error` : `${id}-help`}
        @change=${(e: Event) => {
          e.stopPropagation();
          const input = e.target as HTMLInputElement;
          this.emit([...this.files, ...chosen(Array.from(input.files ?? []))]);
          input.value = '';
        }} />
      <label for=${id} class="button file-button" aria-hidden="true">${this.files.length ? t.chooseMore : t.choose}</label>
      ${this.files.length
        ? html`<ul class="chosen-files">
            ${this.files.map(
              (f, i) => html`<li>
                <span class="name">${f.name}</span> <span class="size">(${formatSize(f.size)})</span>
                ${canClean(f.file)
                  ? html`<span class="choice">
                      <input type="checkbox" id="${id}-keep-${i}" .checked=${f.keepMetadata} aria-describedby="${id}-keep-${i}-hint"
                        @change=${(e: Event) => (e.stopPropagation(), this.emit(this.files.map((x, j) => (j === i ? { ...x, keepMetadata: (e.target as HTMLInputElement).checked } : x))))} />
                      <label for="${id}-keep-${i}">${t.keep}</label>
                      <span class="hint" id="${id}-keep-${i}-hint">${t.keepHint}</span>
                    </span>`
                  : html`<span class="warning">${t.cannotClean}</span>`}
                <button type="button" class="link" @click=${() => this.emit(this.files.filter((_, j) => j !== i))}>${t.remove}<span class="visually-hidden">: ${f.name}</span></button>
              </li>`,
            )}
          </ul>
          <p class="help">${t.walkAway}</p>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'file-picker': FilePicker;
  }
}
