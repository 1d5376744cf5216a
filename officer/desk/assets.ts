/**
 * The desk page's files. The release file (`npm run build:officer`) carries them inside; from a
 * checkout they are bundled from `officer/desk/ui/` with esbuild when the desk starts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Assets = Map<string, { type: string; body: string }>;

declare const __DESK_ASSETS__: Record<string, { type: string; body: string }> | undefined;

const ui = () => join(dirname(fileURLToPath(import.meta.url)), 'ui');

/** Bundles the page: one script, one style sheet, one HTML file. */
export async function buildAssets(): Promise<Record<string, { type: string; body: string }>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(ui(), 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    minify: true,
    target: 'es2022',
    legalComments: 'none',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
  return {
    'index.html': { type: 'text/html; charset=utf-8', body: readFileSync(join(ui(), 'index.html'), 'utf8') },
    'desk.js': { type: 'text/javascript; charset=utf-8', body: result.outputFiles[0]!.text },
    'desk.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(ui(), 'desk.css'), 'utf8') },
    // Named in the page, so the browser does not ask for /favicon.ico (outside the secret path: a 403).
    'favicon.svg': { type: 'image/svg+xml', body: readFileSync(join(ui(), 'favicon.svg'), 'utf8') },
  };
}

export async function loadAssets(): Promise<Assets> {
  const files = typeof __DESK_ASSETS__ !== 'undefined' ? __DESK_ASSETS__ : await buildAssets();
  return new Map(Object.entries(files));
}
