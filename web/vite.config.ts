import { defineConfig } from 'vite';
import { nl } from './src/i18n/nl.ts';
import { noscriptHtml } from './src/noscript.ts';

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
    {
      name: 'meldpunt-noscript',
      // The start page's content, readable with JavaScript off (web/src/noscript.ts).
      transformIndexHtml: (html) => html.replace(/<noscript>[\s\S]*?<\/noscript>/, () => `<noscript>${noscriptHtml(nl)}</noscript>`),
    },
  ],
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:8080', '/channels.json': 'http://127.0.0.1:8080' } },
});
