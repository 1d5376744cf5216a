/** `desk`: starts the desk, prints its address, opens the browser, and runs until stopped. */
import { spawn } from 'node:child_process';
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
  options.out(`It locks itself after ${options.idleMinutes} minute(s) without use. Stop it with Ctrl+C.`);
  if (options.open) openBrowser(running.url);
  return running;
}
