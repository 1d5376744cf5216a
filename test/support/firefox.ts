/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi, with Tor Browser's preferences:
 * the browser the reporters most at risk use. Never a downloaded browser.
 *
 * With resistFingerprinting on, puppeteer's `newPage()` and `setViewport()` hang: use the first tab
 * and the window size the browser chose.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX = '/usr/bin/firefox-esr';

/** Tor Browser's "Standard" level, as far as preferences go: resist fingerprinting, first-party isolation, letterboxing. */
export const TOR_STANDARD = {
  'privacy.resistFingerprinting': true,
  'privacy.firstparty.isolate': true,
  'privacy.resistFingerprinting.letterboxing': true,
};

/** Its "Safer" level: also no JIT, no native regular expressions, no asm.js or WebAssembly, no MathML, no graphite or SVG fonts. */
export const TOR_SAFER = {
  ...TOR_STANDARD,
  'javascript.options.ion': false,
  'javascript.options.baselinejit': false,
  'javascript.options.native_regexp': false,
  'javascript.options.asmjs': false,
  'javascript.options.wasm': false,
  'mathml.disabled': true,
  'gfx.font_rendering.graphite.enabled': false,
  'gfx.font_rendering.opentype_svg.enabled': false,
};

export async function launchFirefox(prefs: Record<string, boolean>): Promise<{ browser: Browser; page: Page }> {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: install the Debian package firefox-esr (npm test installs it when run as root).`);
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: prefs });
  const [page] = await browser.pages();
  return { browser, page: page! };
}

/** The page's own clock: what the reporter sees happen, in ms since `start()`. */
export const PAGE_CLOCK = `(() => {
  const w = window;
  w.clock = { start: 0, code: 0, stored: 0 };
  w.startClock = () => {
    w.clock.start = performance.now();
    const timer = setInterval(() => {
      if (!w.clock.code && document.querySelector('code-receipt .code')) w.clock.code = performance.now();
      const rows = [...document.querySelectorAll('.upload-list li')];
      if (w.clock.code && rows.length && rows.every((li) => li.classList.contains('done'))) {
        w.clock.stored = performance.now();
        clearInterval(timer);
      }
    }, 20);
  };
})()`;
