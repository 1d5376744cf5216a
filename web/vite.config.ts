import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { nl } from './src/i18n/nl.ts';
import { en } from './src/i18n/en.ts';
import { noscriptPage } from './src/noscript.ts';

/**
 * Subresource Integrity on every script and style sheet index.html names: a copy of the page with
 * changed assets beside it (a tampered CDN, a wrong deploy) does not run. Lazy chunks are covered by
 * the signed manifest (docs/verify-site.md).
 */
const subresourceIntegrity: Plugin = {
  name: 'meldpunt-sri',
  // After every file is written: vite still rewrites chunks after generateBundle, so hash what is on disk.
  writeBundle(options) {
    const dir = options.dir!;
    const page = join(dir, 'index.html');
    const integrity = (path: string) => `sha384-${createHash('sha384').update(readFileSync(join(dir, path))).digest('base64')}`;
    const html = readFileSync(page, 'utf8').replace(
      /<(script|link)\b([^>]*?)\s(src|href)="(\/assets\/[^"]+)"([^>]*)>/g,
      (_m, tag: string, before: string, attr: string, path: string, after: string) => `<${tag}${before} ${attr}="${path}" integrity="${integrity(path)}"${after}>`,
    );
    writeFileSync(page, html);
  },
};

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill would be inline script, which the CSP forbids; every target browser has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1200,
  },
  plugins: [
    subresourceIntegrity,
    {
      name: 'meldpunt-noscript',
      // The start page's content, readable with JavaScript off (web/src/noscript.ts).
      transformIndexHtml: (html) => html.replace(/<noscript>[\s\S]*?<\/noscript>/, () => `<noscript>${noscriptPage(nl, en)}</noscript>`),
    },
  ],
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:8080', '/channels.json': 'http://127.0.0.1:8080' } },
});
