/**
 * Removes what a file says about its maker before it is encrypted: EXIF, XMP and IPTC in images,
 * the document information in PDF and Office files, the place and device in phone videos. Runs in
 * the page, on the file as chosen; nothing leaves the page before this.
 */
import { cleanJpeg } from './jpeg.ts';
import { cleanMp4 } from './mp4.ts';
import { cleanOffice } from './office.ts';
import { cleanPdf } from './pdf.ts';
import { cleanPng } from './png.ts';
import { cleanWebp } from './webp.ts';
import { KIND_TESTS } from './kinds.ts';
import { cleanWav } from './wav.ts';

export type CleanStatus =
  /** Metadata this kind of file can carry was removed. */
  | 'cleaned'
  /** Cleaned where it could be reached; some may remain (a PDF with compressed object streams). */
  | 'partly'
  /** This kind of file could not be cleaned: sent as it is, with advice. */
  | 'unsupported'
  /** The reporter chose to keep the metadata. */
  | 'kept';

export interface Cleaned {
  blob: Blob;
  status: CleanStatus;
}

const CLEANERS = { jpeg: cleanJpeg, png: cleanPng, webp: cleanWebp, office: cleanOffice, mp4: cleanMp4, wav: cleanWav };
const KINDS = KIND_TESTS.map((k) => ({ test: k.test, clean: CLEANERS[k.kind as keyof typeof CLEANERS] })).filter((k) => k.clean);

export async function removeMetadata(file: Blob & { name?: string }, keep: boolean): Promise<Cleaned> {
  if (keep) return { blob: file, status: 'kept' };
  const pdfTest = KIND_TESTS.find((k) => k.kind === 'pdf')!.test;
  if (pdfTest.test(file.name ?? '') || pdfTest.test(file.type)) {
    const pdf = await cleanPdf(file).catch(() => null);
    return pdf ? { blob: pdf.blob, status: pdf.complete ? 'cleaned' : 'partly' } : { blob: file, status: 'unsupported' };
  }
  for (const kind of KINDS) {
    if (!kind.test.test(file.name ?? '') && !kind.test.test(file.type)) continue;
    const cleaned = await kind.clean(file).catch(() => null);
    return cleaned ? { blob: cleaned, status: 'cleaned' } : { blob: file, status: 'unsupported' };
  }
  return { blob: file, status: 'unsupported' };
}
