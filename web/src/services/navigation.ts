/**
 * Where the app is, and how it moves. Every move replaces the current history entry instead of
 * pushing one, so Meldpunt only ever holds a single entry in the tab's history: after a quick exit
 * (which replaces that one entry too), the Back button leads past Meldpunt to the page before it.
 * The app's own Back buttons do the in-app "back".
 */
export type View = 'home' | 'report' | 'follow-up';

export const HASHES: Record<View, string> = { home: '#/', report: '#/melden', 'follow-up': '#/terugkomen' };

const BY_HASH = new Map<string, View>(Object.entries(HASHES).map(([view, hash]) => [hash, view as View]));

export function currentView(): View {
  return BY_HASH.get(location.hash) ?? 'home';
}

/** Moves to `view` without a new history entry; fires `hashchange` like any fragment move. */
export function go(view: View): void {
  if (location.hash !== HASHES[view]) location.replace(HASHES[view]);
}

/**
 * Keeps plain `<a href="#/...">` links (which stay links for the keyboard and assistive tech) from
 * pushing history entries: their clicks become `go`. Install once on the app's root element.
 */
export function replaceInAppLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href^="#/"]');
    const view = link ? BY_HASH.get(link.getAttribute('href')!) : undefined;
    if (!view) return;
    event.preventDefault();
    go(view);
  });
}

/** A neutral site to leave for: the Dutch weather service's forecast. */
export const EXIT_URL = 'https://www.knmi.nl/nederland-nu/weer/verwachtingen';

/**
 * Leaves at once: the guard is dropped (no "leave this site?" question in the way), the page is
 * blanked so nothing stays on screen while the other site loads over a slow connection, and the
 * history entry is replaced, so Back does not return here.
 */
export function quickExit(): void {
  releaseGuard();
  warnBeforeLeaving(false);
  document.title = '';
  document.body.replaceChildren();
  location.replace(EXIT_URL);
}

/**
 * Browsers keep a page they leave in a back/forward cache and show it again, as it was, on Back:
 * with everything typed (Firefox, and so Tor Browser, does this by default). Blank the page when it
 * is left, and load it fresh if it is shown from that cache anyway.
 */
export function forgetOnLeave(): void {
  addEventListener('pagehide', () => document.body.replaceChildren());
  addEventListener('pageshow', (event) => {
    if (event.persisted) location.reload();
  });
}

// ---- the leave guard ----

let onBlocked: (() => void) | null = null;

function warnBeforeUnload(event: BeforeUnloadEvent) {
  event.preventDefault();
  // Older browsers show the dialog only when returnValue is set.
  event.returnValue = '';
}

/**
 * Holds the reporter on this view while something would be lost by leaving: the code not yet
 * confirmed as saved, or a report on its way. In-app moves are refused (and `blocked` is called so
 * the view can say why); closing or reloading the tab asks first. Only the quick exit goes through.
 */
export function holdGuard(blocked: () => void): void {
  if (!onBlocked) addEventListener('beforeunload', warnBeforeUnload);
  onBlocked = blocked;
}

/** The same question, kept apart from the guard: asked while a draft is typed but not sent. */
const warnDraft = (event: BeforeUnloadEvent) => warnBeforeUnload(event);

/**
 * While `on`, closing the tab, reloading or going Back out of the site asks first (a typed draft
 * is kept nowhere, so leaving loses it). In-app moves and the quick exit are not held.
 */
export function warnBeforeLeaving(on: boolean): void {
  if (on) addEventListener('beforeunload', warnDraft);
  else removeEventListener('beforeunload', warnDraft);
}

export function releaseGuard(): void {
  if (onBlocked) removeEventListener('beforeunload', warnBeforeUnload);
  onBlocked = null;
}

/** True (after telling the holder) if a move away from the current view must be refused now. */
export function guardRefuses(): boolean {
  onBlocked?.();
  return onBlocked !== null;
}
