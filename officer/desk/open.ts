/** `desk`: starts the desk, prints its address, opens the browser, and runs until stopped. */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as openpgp from 'openpgp';
import type { OfficerClient } from '../client.ts';
import type { Desk } from './api.ts';
import { loadAssets } from './assets.ts';
import { DeskCases } from './cases.ts';
import { startDesk, type RunningDesk } from './server.ts';

export interface OpenDeskOptions {
  client: OfficerClient;
  key: openpgp.PrivateKey;
  armored: string;
  now: () => Date;
  out: (line: string) => void;
  port: number;
  open: boolean;
  idleMinutes: number;
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
  const desk: Desk = {
    client: options.client,
    armoredKey: options.armored,
    key: options.key,
    cases: new DeskCases(() => ({ client: options.client, key: desk.key!, out: () => undefined, json: false, now: options.now })),
    now: options.now,
    folder: options.folder ?? join(homedir(), 'Meldpunt'),
  };
  const running = await startDesk({ desk, assets: await loadAssets(), port: options.port, idleMs: options.idleMinutes * 60_000 });
  options.out(`The desk runs at (only on this computer):\n\n  ${running.url}\n`);
  options.out(`It locks itself after ${options.idleMinutes === 1 ? 'a minute' : `${options.idleMinutes} minutes`} without use. Stop it with Ctrl+C.`);
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
