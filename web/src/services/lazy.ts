/** Loads the protocol chunk on demand, and once by itself when the browser is idle after first paint. */
type Protocol = typeof import('./protocol.ts');

let loading: Promise<Protocol> | null = null;

export function protocol(): Promise<Protocol> {
  loading ??= import('./protocol.ts').catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

export function preloadAfterFirstPaint(): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200));
  requestAnimationFrame(() => idle(() => void protocol().catch(() => undefined)));
}
