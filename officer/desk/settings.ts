/**
 * What the desk remembers between starts, in its own folder in the user's application data: the
 * site's address, the officer's channel, and the private key, locked with the passphrase. The folder
 * is readable by the user alone (0700, files 0600); on Windows a user's AppData is already theirs.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';

/** The desk's folder: `MELDPUNT_DESK_HOME`, else the platform's place for an application's data. */
export function appFolder(): string {
  if (process.env.MELDPUNT_DESK_HOME) return process.env.MELDPUNT_DESK_HOME;
  if (process.platform === 'win32' && process.env.APPDATA) return join(process.env.APPDATA, 'Meldpunt', 'Bureau');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Meldpunt Bureau');
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'meldpunt-bureau');
}

const settingsSchema = z.object({
  /** The site, e.g. https://meldpunt.example.nl */
  api: z.string().check(z.regex(/^https?:\/\/[^\s/]+$/)),
  /** The channel (or escalation target) the officer reads for. */
  channel: z.string().check(z.minLength(1), z.maxLength(40)),
  /** A key GnuPG holds (on disk or a token), by fingerprint; then there is no key file. */
  gnupg: z.optional(z.string().check(z.regex(/^[0-9A-Fa-f]{40}$/))),
});
export type Settings = z.infer<typeof settingsSchema>;

export interface Saved {
  settings: Settings;
  /** The private key as saved, locked with the passphrase; null when GnuPG holds it. */
  armoredKey: string | null;
}

const SETTINGS = 'instellingen.json';
export const KEY_FILE = 'sleutel.private.asc';

/** The saved settings and key, or null on a first run (or when either is missing). */
export function readSaved(folder = appFolder()): Saved | null {
  const settingsFile = join(folder, SETTINGS);
  const keyFile = join(folder, KEY_FILE);
  if (!existsSync(settingsFile)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(settingsFile, 'utf8'));
  } catch {
    return null;
  }
  const parsed = settingsSchema.safeParse(value);
  if (!parsed.success) return null;
  if (parsed.data.gnupg) return { settings: parsed.data, armoredKey: null };
  if (!existsSync(keyFile)) return null;
  return { settings: parsed.data, armoredKey: readFileSync(keyFile, 'utf8') };
}

/** Writes a file whole or not at all, readable by the user alone. */
function writePrivate(path: string, text: string) {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, text, { mode: 0o600 });
  renameSync(partial, path);
  chmodSync(path, 0o600);
}

export function save(saved: Saved, folder = appFolder()): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  // A key is never lost to a second setup: an earlier one is kept beside it under another name.
  const keyFile = join(folder, KEY_FILE);
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') !== saved.armoredKey && saved.armoredKey !== null) {
    renameSync(keyFile, join(folder, `sleutel.private.vorige-${new Date().toISOString().replace(/[:.]/g, '-')}.asc`));
  }
  // The key first: settings without a key would read as a finished setup.
  if (saved.armoredKey !== null) writePrivate(keyFile, saved.armoredKey);
  writePrivate(join(folder, SETTINGS), `${JSON.stringify(saved.settings, null, 2)}\n`);
}
