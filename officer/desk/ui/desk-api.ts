import { DESK_TEXTS, type Lang } from './i18n.ts';
import { SETUP_TEXTS } from './i18n-setup.ts';

/**
 * The page's calls to its desk. The address holds the session secret, so every call is relative to
 * it. A 423 means the desk locked itself: the app is told, and drops what it shows.
 */
export class DeskCallError extends Error {
  constructor(
    message: string,
    /** A refusal the page words itself (setup); absent for the others. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const LOCKED_EVENT = 'desk-locked';

/** A refusal in the officer's language where the desk words it; otherwise the tool's own sentence. */
export function explain(err: unknown, locale: Lang): string {
  const code = err instanceof DeskCallError ? err.code : undefined;
  return (code && (DESK_TEXTS[locale].errors[code] ?? SETUP_TEXTS[locale].errors[code])) || (err as Error).message;
}

export async function call<T>(path: string, init: { method?: string; body?: unknown; raw?: Blob; headers?: Record<string, string> } = {}): Promise<T> {
  const url = new URL(`api/${path}`, location.href);
  url.hash = '';
  const response = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.raw ? 'POST' : 'GET'),
    headers: init.raw ? { 'content-type': 'application/octet-stream', ...init.headers } : init.body !== undefined ? { 'content-type': 'application/json' } : {},
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (response.status === 423) window.dispatchEvent(new Event(LOCKED_EVENT));
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    const body = type.includes('json') ? ((await response.json()) as { error?: string; code?: string }) : { error: await response.text() };
    throw new DeskCallError(body.error ?? `HTTP ${response.status}`, 'code' in body ? body.code : undefined);
  }
  return (type.includes('json') ? response.json() : response.blob()) as Promise<T>;
}

/** Sends files the officer picked to the desk (on this computer), for a message; returns their tokens. */
export async function upload(files: File[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const file of files) {
    const { token } = await call<{ token: string }>('uploads', { raw: file, headers: { 'x-file-name': encodeURIComponent(file.name) } });
    tokens.push(token);
  }
  return tokens;
}

export interface DeskState {
  locked: boolean;
  /** No key yet: the first run's setup. */
  setup?: boolean;
  /** Locked, with a key GnuPG holds: unlocking asks GnuPG (its pinentry), not a passphrase here. */
  gnupg?: boolean;
  /** Set up, but the site does not list this key yet: the hand-over sheet. */
  pending?: boolean;
  /** With `unreachable`: the desk keeps its own settings, so the address can be changed here. */
  canChange?: boolean;
  /** The site's address, when it does not answer. */
  unreachable?: string;
  role?: 'officer' | 'target';
  folder?: string;
  organisation?: string;
  channels?: Array<{ id: string; name: { nl: string; en: string } }>;
  targets?: Array<{ id: string; name: string }>;
  today?: string;
}

export type { Handover } from '../setup.ts';
