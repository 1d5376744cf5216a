import { html } from 'lit';
import { TEXTS, type Lang } from './i18n/index.ts';
import { formatSize } from '../../shared/format/size.ts';

/** One file being sent after its message: how far it got, in bytes of the original. */
export interface Upload {
  name: string;
  size: number;
  bytes: number;
  /** Encrypting and sending; then waiting for the server to check and store it; then stored. */
  phase: 'upload' | 'finish' | 'done';
}

export const startUploads = (files: Array<{ name: string; blob: Blob }>): Upload[] => files.map((f) => ({ name: f.name, size: f.blob.size, bytes: 0, phase: 'upload' }));

/** The list after a progress report for file `i`: a new array only when what is shown changes. */
export function progressed(uploads: Upload[], i: number, bytes: number, stored = false): Upload[] {
  const u = uploads[i];
  if (!u) return uploads;
  const phase = stored ? 'done' : bytes >= u.size ? 'finish' : 'upload';
  // Whole MB are what the text shows: no need to draw more often.
  if (u.phase === phase && Math.floor(u.bytes / 1e6) === Math.floor(bytes / 1e6)) return uploads;
  return uploads.map((x, j) => (j === i ? { ...x, bytes, phase } : x));
}

/** Files not yet stored. */
export const unfinished = (uploads: Upload[]) => uploads.filter((u) => u.phase !== 'done').length;

export function uploadList(locale: Lang, uploads: Upload[]) {
  const f = TEXTS[locale].files;
  return html`<ul class="upload-list">
    ${uploads.map(
      (u) => html`<li class=${u.phase}>
        <progress max=${Math.max(1, u.size)} value=${u.phase === 'upload' ? u.bytes : u.size}></progress>
        <span dir="auto">${f.progress(u.name, u.phase, formatSize(u.bytes), formatSize(u.size))}</span>
      </li>`,
    )}
  </ul>`;
}
