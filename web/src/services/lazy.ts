/**
 * Loads the protocol chunk (openpgp.js, zod, the shared client) on demand, and once by itself after
 * the first paint, so the page shows before ~150 KB of crypto arrive and is ready when needed.
 */
type Protocol = typeof import('./protocol.ts');

let loading: Promise<Protocol> | null = null;

export function protocol(): Promise<Protocol> {
  loading ??= import('./protocol.ts').catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

/** If the browser reports no paint (no Paint Timing, a background tab), load after this anyway. */
const FALLBACK_MS = 1500;

/** After the first paint: the protocol chunk, and whatever else `more` loads. */
export function preloadAfterFirstPaint(more: () => Promise<unknown> = async () => undefined): void {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const idle = globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 50));
    idle(() => {
      void protocol().catch(() => undefined);
      void more().catch(() => undefined);
    });
  };
  // requestAnimationFrame runs before its frame is painted; the paint entry comes after it is shown.
  if (PerformanceObserver.supportedEntryTypes?.includes('paint')) {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length) {
        observer.disconnect();
        start();
      }
    });
    observer.observe({ type: 'paint', buffered: true });
  }
  setTimeout(start, FALLBACK_MS);
}
