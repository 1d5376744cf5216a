/** Evidence files as real tools make them, carrying what can give a reporter away; and exiftool to look. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** Every tag exiftool finds, grouped (`EXIF:GPSLatitude`, `PDF:Author`, ...). */
export const exiftool = (file: string) => (JSON.parse(run('exiftool', ['-j', '-a', '-G1', file]).toString()) as Array<Record<string, unknown>>)[0]!;

/** What the files below carry: a name, an employer, a camera, a serial number, a place and a day. */
export const IDENTIFYING = /Jan Jansen|Partijbureau|Canon|EOS|123456|52\.3|4\.9|GPS|2024:01:02/;

/** Tags that give the maker away (exiftool's own and file-system tags excluded). */
export function identifyingTags(tags: Record<string, unknown>): string[] {
  return Object.entries(tags)
    .filter(([key]) => !key.startsWith('System:') && !key.startsWith('ExifTool:') && key !== 'SourceFile')
    .filter(([key, value]) => IDENTIFYING.test(`${key} ${String(value)}`))
    .map(([key, value]) => `${key}=${String(value)}`);
}

/** A phone photo: GPS, camera make, model and serial, the day it was taken, the author in XMP and IPTC. */
export function photoWithGps(dir: string, name = 'photo.jpg'): string {
  const file = join(dir, name);
  run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x48', '-frames:v', '1', '-y', file]);
  run('exiftool', ['-overwrite_original', '-GPSLatitude=52.3702', '-GPSLatitudeRef=N', '-GPSLongitude=4.8952', '-GPSLongitudeRef=E', '-Make=Canon', '-Model=EOS 5D', '-SerialNumber=123456', '-DateTimeOriginal=2024:01:02 10:00:00', '-XMP:Creator=Jan Jansen', '-IPTC:By-line=Jan Jansen', file]);
  return file;
}

/** A one-page PDF with an author and producer, then an author, creator and XMP added by exiftool as an incremental update. */
export function pdfWithAuthor(dir: string, name = 'brief.pdf'): string {
  const file = join(dir, name);
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>', '<< /Author (Jan Jansen) /Producer (Partijbureau) >>'];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  writeFileSync(file, pdf);
  run('exiftool', ['-overwrite_original', '-Author=Jan Jansen', '-Creator=Jan Jansen', '-XMP:Creator=Jan Jansen', file]);
  return file;
}
