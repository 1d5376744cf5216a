/** `desk`: starts the desk, prints its address, opens the browser, and runs until stopped. */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OfficerKey } from '../../shared/protocol/external-key.ts';
import { OfficerClient } from '../client.ts';
import { readSaved } from './settings.ts';
import type { Desk } from './api.ts';
import { loadAssets } from './assets.ts';
import { DeskCases } from './cases.ts';
import { startDesk, type RunningDesk } from './server.ts';

export interface OpenDeskOptions {
  /** The site; with `app`, the saved one wins. */
  api: string;
  /** A key unlocked in the terminal (`desk --key`), or none: the desk keeps its own (`app`). */
  key?: { key: OfficerKey; armored: string | null };
  /** With `key`: the key is GnuPG's, with this fingerprint (unlocking asks GnuPG again). */
  gnupg?: string;
  /** The desk's own folder for settings and key (first run in the browser, then the passphrase). */
  app?: { folder: string };
  now: () => Date;
  out: (line: string) => void;
  port: number;
  open: boolean;
  idleMinutes: number;
  /** "Bureau afsluiten" ends this process (the CLI and the program; not a test's desk). */
  exitOnQuit?: boolean;
  /** @default ~/Meldpunt */
  folder?: string;
  /** Where the browser's redirect file is written. @default runtimeFolder() */
  runtimeFolder?: string;
}

/**
 * Where the redirect file goes: the user's runtime folder, as Jupyter keeps its own: only the user
 * can read it (`XDG_RUNTIME_DIR` on Linux, else a 0700 folder in the user's data folder).
 */
export function runtimeFolder(): string {
  if (process.platform === 'linux' && process.env.XDG_RUNTIME_DIR) return join(process.env.XDG_RUNTIME_DIR, 'meldpunt');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'Meldpunt', 'runtime');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Meldpunt', 'runtime');
  return join(homedir(), '.local', 'share', 'meldpunt', 'runtime');
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Writes a page, readable by the user alone, that sends the browser on to `url`. The browser is
 * opened on this file's path, so the session secret never stands on a command line (which every
 * user of the computer can read in the process list, for as long as the browser runs).
 */
export function writeRedirect(url: string, folder = runtimeFolder()): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const path = join(folder, `desk-${process.pid}.html`);
  rmSync(path, { force: true });
  writeFileSync(
    path,
    `<!doctype html><html lang="nl"><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${html(url)}"><title>Meldpunt</title><p><a href="${html(url)}">Open de balie / open the desk</a></p></html>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  return path;
}

/** The system's way to open an address in the default browser. */
function openBrowser(url: string) {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export async function openDesk(options: OpenDeskOptions): Promise<RunningDesk> {
  const saved = options.app ? readSaved(options.app.folder) : null;
  const key = options.key?.key ?? null;
  const api = saved?.settings.api ?? options.api;
  const desk: Desk = {
    api,
    client: key ? new OfficerClient(api, key, options.now) : null,
    armoredKey: saved?.armoredKey ?? options.key?.armored ?? null,
    gnupg: saved?.settings.gnupg ?? options.gnupg ?? null,
    key,
    app: options.app && { folder: options.app.folder, settings: saved?.settings ?? null },
    cases: new DeskCases(() => ({ client: desk.client!, key: desk.key!, out: () => undefined, json: false, now: options.now })),
    now: options.now,
    folder: options.folder ?? join(homedir(), 'Meldpunt'),
  };
  const running = await startDesk({ desk, assets: await loadAssets(), port: options.port, idleMs: options.idleMinutes * 60_000, onQuit: options.exitOnQuit ? () => process.exit(0) : undefined });
  const minutes = options.idleMinutes === 1 ? '1 minuut' : `${options.idleMinutes} minuten`;
  options.out(`Het bureau draait op (alleen op deze computer) / The desk runs at (this computer only):\n\n  ${running.url}\n`);
  options.out(`Het vergrendelt zich na ${minutes} zonder gebruik. Stoppen: sluit dit venster of druk op Ctrl+C.`);
  if (desk.app) options.out(`Instellingen en sleutel / settings and key: ${desk.app.folder}`);
  if (options.open) {
    const redirect = writeRedirect(running.url, options.runtimeFolder);
    const remove = () => rmSync(redirect, { force: true });
    process.once('exit', remove);
    const close = running.close.bind(running);
    running.close = async () => {
      remove();
      process.removeListener('exit', remove);
      await close();
    };
    openBrowser(pathToFileURL(redirect).href);
  }
  return running;
}
